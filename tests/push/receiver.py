#!/usr/bin/env python3
"""A push service for the tests that decrypts, as a browser's would (RFC 8030, 8291, 8292).

    python receiver.py PORT

POST /subscribe[?status=410]   a new device: a P-256 key pair and an auth secret made here;
                               answers {endpoint, p256dh, auth}; `status` is what its endpoint
                               will answer (default 201; 404 or 410 to say "gone")
POST /push/<id>                what the node sends: the VAPID header is read and its ES256
                               signature checked with the key it names (k=), the body is
                               decrypted (aes128gcm) with the device's private key
GET  /received/<id>            what <id> received, as JSON: [{vapid_header, claims, k,
                               signature_valid, ttl, content_encoding, payload, error}]
"""

import base64
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

LOCK = threading.Lock()
DEVICES = {}  # id -> {"key": private key, "auth": bytes, "status": int, "received": [...]}


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def check_vapid(header):
    """Reads `vapid t=<jwt>, k=<key>` and checks the JWT's ES256 signature with k."""
    out = {"vapid_header": None, "claims": None, "k": None, "signature_valid": False}
    if not header or not header.lower().startswith("vapid "):
        return out
    params = dict(
        part.strip().split("=", 1) for part in header[6:].split(",") if "=" in part
    )
    token, k = params.get("t", ""), params.get("k", "")
    out["k"] = k
    try:
        head, claims, sig = token.split(".")
        out["vapid_header"] = json.loads(b64d(head))
        out["claims"] = json.loads(b64d(claims))
        raw = b64d(sig)
        der = encode_dss_signature(
            int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        )
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(k))
        key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        out["signature_valid"] = len(raw) == 64
    except (ValueError, InvalidSignature) as e:
        out["error"] = f"vapid: {e!r}"
    return out


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("push-receiver: " + fmt % args + "\n")

    def answer(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if url.path == "/subscribe":
            status = int(parse_qs(url.query).get("status", ["201"])[0])
            key = ec.generate_private_key(ec.SECP256R1())
            auth = secrets.token_bytes(16)
            ident = secrets.token_hex(8)
            with LOCK:
                DEVICES[ident] = {"key": key, "auth": auth, "status": status, "received": []}
            public = key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
            host = self.headers.get("Host")
            return self.answer(201, {
                "id": ident,
                "endpoint": f"http://{host}/push/{ident}",
                "p256dh": b64e(public),
                "auth": b64e(auth),
            })
        if url.path.startswith("/push/"):
            ident = url.path[len("/push/"):]
            with LOCK:
                device = DEVICES.get(ident)
            if device is None:
                return self.answer(404, {"error": "no such device"})
            record = check_vapid(self.headers.get("Authorization"))
            record["ttl"] = self.headers.get("TTL")
            record["content_encoding"] = self.headers.get("Content-Encoding")
            record["payload"] = None
            try:
                record["payload"] = http_ece.decrypt(
                    body, private_key=device["key"], auth_secret=device["auth"],
                    version="aes128gcm",
                ).decode()
            except Exception as e:  # noqa: BLE001 - any failure is the test's finding
                record["error"] = f"decrypt: {e!r}"
            with LOCK:
                device["received"].append(record)
            return self.answer(device["status"], None)
        return self.answer(404, {"error": "unknown path"})

    def do_GET(self):
        url = urlparse(self.path)
        if url.path.startswith("/received/"):
            with LOCK:
                device = DEVICES.get(url.path[len("/received/"):])
                got = list(device["received"]) if device else None
            if got is None:
                return self.answer(404, {"error": "no such device"})
            return self.answer(200, got)
        if url.path == "/health":
            return self.answer(200, {"ok": True})
        return self.answer(404, {"error": "unknown path"})


if __name__ == "__main__":
    port = int(sys.argv[1])
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
