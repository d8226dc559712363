"""A real SMTP server for the mail tests (aiosmtpd), on 127.0.0.1.

Each message received is written to MAILDIR as NNN-<uuid>.json: the raw message as the
relay received it, and what Python's own MIME parser reads from it (headers decoded,
the text/plain and text/html parts, the attachments), so the Rust tests check our messages
with a parser that is not ours.  A recipient whose local part starts with "refuse" gets a permanent
550 refusal, so the tests can see a 5xx fail one message and not the others.

    python server.py PORT MAILDIR
"""

import asyncio
import json
import os
import sys
import uuid
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, maildir):
        self.maildir = maildir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].lower().startswith("refuse"):
            return "550 5.1.1 Destinataire inconnu (refus de test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        parts = {}
        attachments = []
        for part in msg.walk():
            ctype = part.get_content_type()
            if part.is_attachment():
                attachments.append({
                    "content_type": ctype,
                    "filename": part.get_filename(),
                    "content": part.get_content(),
                })
            elif ctype in ("text/plain", "text/html") and ctype not in parts:
                parts[ctype] = part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "raw": raw.decode("utf-8", "replace"),
            "from": str(msg.get("From", "")),
            "to": str(msg.get("To", "")),
            "reply_to": str(msg.get("Reply-To", "")),
            "subject": str(msg.get("Subject", "")),
            "date": str(msg.get("Date", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "content_type": msg.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
            "attachments": attachments,
        }
        self.count += 1
        name = "%06d-%s" % (self.count, uuid.uuid4().hex)
        tmp = os.path.join(self.maildir, "." + name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        # Renamed into place: a reader never sees half a file.
        os.rename(tmp, os.path.join(self.maildir, name + ".json"))
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    maildir = sys.argv[2]
    os.makedirs(maildir, exist_ok=True)
    controller = Controller(Handler(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print("smtp server listening on 127.0.0.1:%d, writing to %s" % (port, maildir), flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
