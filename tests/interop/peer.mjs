// A real Fedify peer for entrepairs' interoperability tests.
//
//   node peer.mjs [PORT]        (or PEER_PORT=...; 0 or nothing = any free port)
//
// It serves one Person actor, `fedi`, over plain http on 127.0.0.1, with
// WebFinger, a personal and a shared inbox (Fedify verifies every incoming
// signature before our listeners see the activity), a followers collection,
// and auto-accepted Follows.  A small JSON control API under /_control/ lets a
// test driver make the peer look things up, follow, send notes and send raw
// (unsigned or tampered) POSTs.  Nothing is persisted: everything lives in
// memory for the life of the process.
//
// When the server listens it prints exactly one line on stdout,
// `READY <base URL>`; all logging goes to stderr.
//
// Environment:
//   PEER_PORT=N        port when no argument is given (0 = pick one)
//   PEER_LOG=LEVEL     Fedify log level: debug, info (default), warning, error
//   PEER_ED25519=1     also give the actor an Ed25519 key, so that Fedify adds
//                      FEP-8b32 object integrity proofs to what it sends

// Fedify 2.x declares Node >= 22.  On Node 20 it works, except that some of
// its code paths (importing Ed25519 JWKs, e.g. keys reloaded by its queue)
// read the bare `navigator` global, which Node has only from 21 on:
// `navigator?.userAgent` throws a ReferenceError when `navigator` is not
// declared at all.  Define a harmless one before Fedify is loaded (hence the
// dynamic imports below).  Fedify brings its own Temporal polyfill; we import
// the same one for the `published` dates we build.
if (typeof globalThis.navigator === "undefined") {
  globalThis.navigator = { userAgent: `Node.js/${process.versions.node}` };
}

import http from "node:http";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

const { Temporal } = await import("@js-temporal/polyfill"); // no global Temporal in Node
const { configure, defaultTextFormatter } = await import("@logtape/logtape");
const {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
  signRequest,
} = await import("@fedify/fedify");
const {
  Accept,
  Activity,
  Create,
  Delete,
  Follow,
  Group,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Endpoints,
  isActor,
} = await import("@fedify/fedify/vocab");

const IDENTIFIER = "fedi";
const port = Number(process.argv[2] ?? process.env.PEER_PORT ?? 0);
let label = "peer"; // becomes "peer:PORT" once listening
const log = (...args) => console.error(`[${label}]`, ...args);

// Fedify logs through LogTape; send it to stderr so stdout carries only the
// READY line the driver waits for.
await configure({
  contextLocalStorage: new AsyncLocalStorage(), // else LogTape warns on every request
  sinks: { stderr: (record) => process.stderr.write(defaultTextFormatter(record)) },
  loggers: [
    { category: "fedify", lowestLevel: process.env.PEER_LOG ?? "info", sinks: ["stderr"] },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
  ],
});

// ---------------------------------------------------------------- state
// Keys are generated at every start: tests never need them to survive.
const keyPairs = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")];
if (process.env.PEER_ED25519 === "1") keyPairs.push(await generateCryptoKeyPair("Ed25519"));

const received = []; // verified activities, in arrival order
const followers = new Map(); // actor id -> { id, inboxId, endpoints }
const sentObjects = new Map(); // path id -> Note | Follow, so their ids dereference

// ---------------------------------------------------------------- server
// The HTTP server is created first so that, with port 0, we know the real
// port before building the federation with a fixed canonical origin.
let federation; // set below, once the origin is known
const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    log("unhandled error:", err);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(err?.stack ?? err));
  });
});
await new Promise((resolve, reject) => {
  server.once("error", reject);
  // Loopback only: the control API has no authentication.
  server.listen(port, "127.0.0.1", resolve);
});
const origin = `http://127.0.0.1:${server.address().port}`;
label = `peer:${server.address().port}`;

// INTEROP_STOCK_FEDIFY=1: a stock Fedify application, default settings except the
// loopback allowance: RFC 9421 first, and keys of shared-inbox senders fetched unsigned.
const STOCK = process.env.INTEROP_STOCK_FEDIFY === "1";

federation = createFederation({
  kv: new MemoryKvStore(),
  origin,
  // Test only: Fedify's SSRF guard refuses 127.0.0.1 and plain http otherwise.
  allowPrivateAddress: true,
  // Sign like Mastodon does first (draft-cavage).  The default, RFC 9421
  // first, falls back on any answer >= 400 and would blur what we test.
  ...(STOCK ? {} : { firstKnock: "draft-cavage-http-signatures-12" }),
  // No `queue`: sendActivity() then delivers at once and throws when the
  // remote inbox does not answer 2xx, which the control API reports.
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== IDENTIFIER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      summary: "A Fedify test peer for entrepairs",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey, // RSA: what Mastodon-style peers read
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === IDENTIFIER ? keyPairs : []))
  // WebFinger acct:fedi@host -> identifier `fedi` (said explicitly, else
  // Fedify logs an error on every WebFinger request).
  .mapHandle((_ctx, username) => (username === IDENTIFIER ? IDENTIFIER : null));

federation
  .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
    if (identifier !== IDENTIFIER) return null;
    return { items: [...followers.values()] };
  })
  .setCounter((_ctx, identifier) => (identifier === IDENTIFIER ? followers.size : null));

// Objects we send get dereferenceable ids, as a real server's would.
for (const [cls, path] of [
  [Note, "/notes/{id}"],
  [Follow, "/follows/{id}"],
]) {
  federation.setObjectDispatcher(cls, path, (_ctx, { id }) => {
    const obj = sentObjects.get(id);
    return obj instanceof cls ? obj : null;
  });
}

// Listeners run only for activities whose HTTP signature (or proof) Fedify
// verified; anything else is refused before it gets here (401).
const inboxes = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");
// Fetches made while handling shared-inbox activities (the sender's key, the sender's actor)
// are signed as `fedi` unless STOCK: then Fedify fetches the sender's key unsigned, and
// entrepairs answers with the public key document.  The personal inbox signs by itself.
if (!STOCK) inboxes.setSharedKeyDispatcher(() => ({ identifier: IDENTIFIER }));
inboxes
  .on(Follow, async (ctx, follow) => {
    await record(ctx, follow);
    const target = ctx.parseUri(follow.objectId);
    if (target?.type !== "actor" || target.identifier !== IDENTIFIER) return;
    const follower = await follow.getActor(ctx); // signed fetch, see above
    if (follower?.id == null || follower.inboxId == null) {
      log("Follow from an actor we cannot fetch:", follow.actorId?.href);
      return;
    }
    followers.set(follower.id.href, {
      id: follower.id,
      inboxId: follower.inboxId,
      endpoints: follower.endpoints,
    });
    const accept = new Accept({
      id: new URL(`${origin}/accepts/${randomUUID()}`),
      actor: ctx.getActorUri(IDENTIFIER),
      object: follow,
      to: follower.id,
    });
    // Deliver the Accept after we answered the Follow, like a queued server
    // does: the follower may be waiting on our response before it can take
    // another request.
    setTimeout(() => {
      ctx
        .sendActivity({ identifier: IDENTIFIER }, follower, accept)
        .then(() => log("sent Accept to", follower.id.href))
        .catch((err) => log("could not deliver Accept to", follower.id.href, "-", err.message));
    }, 50);
  })
  .on(Undo, async (ctx, undo) => {
    await record(ctx, undo);
    const inner = await undo.getObject(ctx);
    if (inner instanceof Follow && undo.actorId) followers.delete(undo.actorId.href);
  })
  .on(Activity, record) // everything else (Accept, Create, ...) is just recorded
  .onError((_ctx, err) => log("inbox listener error:", err));

async function record(ctx, activity) {
  const raw = await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  received.push({
    id: activity.id?.href ?? null,
    type: raw.type,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    verified: true, // Fedify only calls listeners for verified activities
    recipient: ctx.recipient ?? null, // null = shared inbox
    receivedAt: new Date().toISOString(),
    raw,
  });
  log(`received ${raw.type} ${activity.id?.href} from ${activity.actorId?.href}`);
}

// ---------------------------------------------------------------- control API
// Plain JSON for the test driver.  Errors are { error: "..." } with a 4xx
// (bad request, nothing found) or 502 (the remote side failed).

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const control = {
  "GET /_control/ready": () => ({ actor: actorUri().href }),

  "GET /_control/inbox": () => received,

  "GET /_control/followers": () => [...followers.keys()],

  // { target: URL | handle } -> the object, as Fedify understood it.
  "POST /_control/lookup": async (ctx, body) => {
    const obj = await lookup(ctx, requireString(body, "target"));
    return await obj.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  },

  // { target: actor URL } -> { id } of the Follow we delivered.
  "POST /_control/follow": async (ctx, body) => {
    const target = await lookupActor(ctx, requireString(body, "target"));
    const id = randomUUID();
    const follow = new Follow({
      id: ctx.getObjectUri(Follow, { id }),
      actor: actorUri(),
      object: target.id,
      to: target.id,
    });
    sentObjects.set(id, follow);
    await deliver(ctx, target, follow);
    return { id: follow.id.href };
  },

  // { to: actor URL, content: html, inReplyTo?: URL } -> ids of the Create and the Note.
  // Sent to a Group, the note is a reply in that community (FEP-1b12: `audience` = the
  // group, delivered to the group only, which announces it to its members).
  "POST /_control/send-note": async (ctx, body) => {
    const target = await lookupActor(ctx, requireString(body, "to"));
    const content = requireString(body, "content");
    const id = randomUUID();
    const inReplyTo = body.inReplyTo == null ? null : new URL(requireString(body, "inReplyTo"));
    const note = new Note({
      id: ctx.getObjectUri(Note, { id }),
      attribution: actorUri(),
      to: target.id,
      content,
      published: Temporal.Now.instant(),
      replyTarget: inReplyTo,
      audience: target instanceof Group ? target.id : null,
    });
    sentObjects.set(id, note);
    const create = new Create({
      id: new URL(`${note.id.href}/activity`),
      actor: actorUri(),
      object: note,
      to: target.id,
      published: note.published,
    });
    await deliver(ctx, target, create);
    return { id: create.id.href, note: note.id.href };
  },

  // { group: Group URL, content: html, inReplyTo?: URL } -> ids of the Create and the Note:
  // a public post as Mastodon writes one to a group: `to` Public, the group and our
  // followers in `cc`, a Mention of the group, and no `audience` (FEP-1b12 is not assumed).
  "POST /_control/send-mastodon": async (ctx, body) => {
    const group = await lookupActor(ctx, requireString(body, "group"));
    const id = randomUUID();
    const inReplyTo = body.inReplyTo == null ? null : new URL(requireString(body, "inReplyTo"));
    const followersUri = ctx.getFollowersUri(IDENTIFIER);
    const note = new Note({
      id: ctx.getObjectUri(Note, { id }),
      attribution: actorUri(),
      to: PUBLIC_COLLECTION,
      ccs: [group.id, followersUri],
      content: requireString(body, "content"),
      published: Temporal.Now.instant(),
      replyTarget: inReplyTo,
      tags: [new Mention({ href: group.id })],
    });
    sentObjects.set(id, note);
    const create = new Create({
      id: new URL(`${note.id.href}/activity`),
      actor: actorUri(),
      object: note,
      to: PUBLIC_COLLECTION,
      ccs: [group.id, followersUri],
      published: note.published,
    });
    await deliver(ctx, group, create);
    return { id: create.id.href, note: note.id.href };
  },

  // { to: actor URL, note: URL } -> { id } of the Delete{Tombstone} we delivered: how
  // Mastodon and Fedify apps delete their posts.
  "POST /_control/send-delete": async (ctx, body) => {
    const target = await lookupActor(ctx, requireString(body, "to"));
    const noteId = new URL(requireString(body, "note"));
    const del = new Delete({
      id: new URL(`${noteId.href}#delete`),
      actor: actorUri(),
      object: new Tombstone({ id: noteId }),
      to: target.id,
    });
    await deliver(ctx, target, del);
    return { id: del.id.href };
  },

  // { to: person URL, content: html } -> ids of the Create and the Note: a direct message
  // as Mastodon writes one (to the person only, `cc` empty, a Mention of them).
  "POST /_control/send-direct": async (ctx, body) => {
    const target = await lookupActor(ctx, requireString(body, "to"));
    const id = randomUUID();
    const note = new Note({
      id: ctx.getObjectUri(Note, { id }),
      attribution: actorUri(),
      to: target.id,
      content: requireString(body, "content"),
      published: Temporal.Now.instant(),
      tags: [new Mention({ href: target.id })],
    });
    sentObjects.set(id, note);
    const create = new Create({
      id: new URL(`${note.id.href}/activity`),
      actor: actorUri(),
      object: note,
      to: target.id,
      published: note.published,
    });
    await deliver(ctx, target, create);
    return { id: create.id.href, note: note.id.href };
  },

  // { url, body, sign: false | true | "tamper" } -> { status, body }.
  // Sends the body as is (no Fedify processing), unsigned, signed, or signed
  // and then altered (the Digest and signature no longer match the body).
  "POST /_control/raw": async (_ctx, body) => {
    const url = new URL(requireString(body, "url"));
    const sign = body.sign ?? false;
    if (![false, true, "tamper"].includes(sign)) {
      throw new HttpError(400, 'sign must be false, true or "tamper"');
    }
    const text = JSON.stringify(body.body ?? {});
    let request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
      body: text,
    });
    if (sign) {
      const { privateKey } = keyPairs[0];
      request = await signRequest(request, privateKey, new URL(`${actorUri().href}#main-key`), {
        spec: "draft-cavage-http-signatures-12",
      });
    }
    if (sign === "tamper") {
      // Same signed headers, different body: a replay with altered content.
      const altered = text.replace(/\}$/, ', "tampered": true}');
      request = new Request(request, { body: altered });
    }
    const response = await fetch(request);
    return { status: response.status, body: (await response.text()).slice(0, 2000) };
  },

  // Issue 18 (polls). { to: actor URL, question: URL, name: option } -> ids of the Create
  // and the Note: a vote as Mastodon casts one (a Note with the option as its `name`, no
  // content, replying to the Question), sent to the poll's community.
  "POST /_control/send-vote": async (ctx, body) => {
    const target = await lookupActor(ctx, requireString(body, "to"));
    const id = randomUUID();
    const note = new Note({
      id: ctx.getObjectUri(Note, { id }),
      attribution: actorUri(),
      to: target.id,
      name: requireString(body, "name"),
      replyTarget: new URL(requireString(body, "question")),
    });
    sentObjects.set(id, note);
    const create = new Create({
      id: new URL(`${note.id.href}/activity`),
      actor: actorUri(),
      object: note,
      to: target.id,
    });
    await deliver(ctx, target, create);
    return { id: create.id.href, note: note.id.href };
  },
};

function actorUri() {
  return new URL(`/users/${IDENTIFIER}`, origin);
}

function requireString(body, key) {
  const value = body?.[key];
  if (typeof value !== "string" || value === "") {
    throw new HttpError(400, `missing string field "${key}"`);
  }
  return value;
}

// Looks an object up with fetches signed by `fedi`.  Note: Fedify's WebFinger
// client always uses https, so on plain http give it URLs, not handles.
async function lookup(ctx, target) {
  const documentLoader = await ctx.getDocumentLoader({ identifier: IDENTIFIER });
  let obj;
  try {
    obj = await ctx.lookupObject(target, { documentLoader });
  } catch (err) {
    throw new HttpError(502, `lookup of ${target} failed: ${err.message}`);
  }
  if (obj == null) throw new HttpError(404, `lookup of ${target} found nothing (see the peer's log)`);
  return obj;
}

async function lookupActor(ctx, target) {
  const obj = await lookup(ctx, target);
  if (!isActor(obj) || obj.id == null || obj.inboxId == null) {
    throw new HttpError(422, `${target} is not an actor with an inbox`);
  }
  return obj;
}

async function deliver(ctx, target, activity) {
  try {
    // Personal inbox: the test is about that actor's inbox, not sharing.
    await ctx.sendActivity({ identifier: IDENTIFIER }, target, activity, { preferSharedInbox: false });
  } catch (err) {
    throw new HttpError(502, `delivery of ${activity.id.href} to ${target.inboxId.href} failed: ${err.message}`);
  }
  log(`delivered ${activity.id.href} to ${target.inboxId.href}`);
}

// ---------------------------------------------------------------- plumbing

async function handle(req, res) {
  const url = new URL(req.url, origin);
  const started = Date.now();
  const body = await readBody(req);
  let response;
  if (url.pathname.startsWith("/_control/")) {
    response = await handleControl(req, url, body);
  } else {
    // Node's IncomingMessage -> a web Request for Fedify.  Keep the headers
    // as sent (Host included): the signature covers them.
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    const request = new Request(new URL(req.url, `http://${req.headers.host ?? url.host}`), {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    response = await federation.fetch(request, { contextData: undefined });
  }
  log(`${req.method} ${url.pathname}${url.search} -> ${response.status} (${Date.now() - started} ms)`);
  res.writeHead(response.status, [...response.headers].flat());
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function handleControl(req, url, body) {
  const route = control[`${req.method} ${url.pathname}`];
  if (route == null) return json(404, { error: `no control route ${req.method} ${url.pathname}` });
  let input = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return json(400, { error: "body is not JSON" });
    }
  }
  try {
    const ctx = federation.createContext(new URL(origin), undefined);
    return json(200, await route(ctx, input));
  } catch (err) {
    if (err instanceof HttpError) {
      log(`control ${url.pathname}: ${err.message}`);
      return json(err.status, { error: err.message });
    }
    log(`control ${url.pathname} crashed:`, err);
    return json(500, { error: String(err?.message ?? err) });
  }
}

function json(status, value) {
  return new Response(JSON.stringify(value, null, 2), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}

process.stdout.write(`READY ${origin}\n`);
