// Self-test of peer.mjs and its control API: two Fedify peers talk to each
// other exactly the way the interop driver (./run) makes one talk to
// entrepairs.  If this passes, a failure of ./run is entrepairs' side.
//
//   node selftest.mjs          (SELFTEST_VERBOSE=1 to stream the peers' logs)
//
// Prints TAP-like `ok - ...` / `not ok - ...` lines and ends with
// `N passed, M failed`; exits non-zero if anything failed.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";

const here = fileURLToPath(new URL(".", import.meta.url));
const verbose = process.env.SELFTEST_VERBOSE === "1";
const peers = [];
let passed = 0;
let failed = 0;

function startPeer(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["peer.mjs", "0"], {
      cwd: here,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const peer = { name, child, log: [] };
    peers.push(peer);
    const timer = setTimeout(() => reject(new Error(`${name}: no READY line within 20 s`)), 20_000);
    child.stderr.on("data", (d) => {
      peer.log.push(d.toString());
      if (verbose) process.stderr.write(d);
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      const m = out.match(/^READY (\S+)$/m);
      if (m && !peer.base) {
        clearTimeout(timer);
        peer.base = m[1];
        resolve(peer);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!peer.base) reject(new Error(`${name} exited (${code}) before READY:\n${peer.log.join("")}`));
    });
  });
}

// Calls a control route; returns { status, json }.
async function control(peer, method, route, body) {
  const res = await fetch(`${peer.base}/_control/${route}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}`);
    console.log(`  # ${String(err?.message ?? err).replaceAll("\n", "\n  # ")}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function poll(fn, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const inbox = async (peer) => (await control(peer, "GET", "inbox")).json;

let a, b;
try {
  [a, b] = await Promise.all([startPeer("A"), startPeer("B")]);
  const aActor = (await control(a, "GET", "ready")).json.actor;
  const bActor = (await control(b, "GET", "ready")).json.actor;
  console.log(`# A = ${aActor}\n# B = ${bActor}`);

  await check("B answers WebFinger for acct:fedi@host", async () => {
    const host = new URL(b.base).host;
    const res = await fetch(`${b.base}/.well-known/webfinger?resource=acct:fedi@${host}`);
    assert(res.status === 200, `status ${res.status}`);
    const jrd = await res.json();
    const self = jrd.links?.find((l) => l.rel === "self");
    assert(self?.href === bActor, `self link ${JSON.stringify(self)}`);
  });

  await check("A looks up B's actor (signed fetch): a Person with a publicKey", async () => {
    const { status, json } = await control(a, "POST", "lookup", { target: bActor });
    assert(status === 200, `status ${status}: ${JSON.stringify(json)}`);
    assert(json.type === "Person", `type ${json.type}`);
    assert(json.id === bActor, `id ${json.id}`);
    assert(json.publicKey?.publicKeyPem?.includes("BEGIN PUBLIC KEY"), "no publicKey.publicKeyPem");
  });

  let followId;
  await check("A follows B", async () => {
    const { status, json } = await control(a, "POST", "follow", { target: bActor });
    assert(status === 200 && typeof json.id === "string", `status ${status}: ${JSON.stringify(json)}`);
    followId = json.id;
  });

  await check("A receives B's Accept of that Follow", async () => {
    const accept = await poll(
      async () => (await inbox(a)).find((x) => x.type === "Accept" && x.object === followId),
      "an Accept",
    );
    assert(accept.actor === bActor && accept.verified === true, JSON.stringify(accept));
  });

  await check("B recorded the verified Follow and lists A as follower", async () => {
    const follow = (await inbox(b)).find((x) => x.type === "Follow" && x.id === followId);
    assert(follow?.actor === aActor && follow.object === bActor, JSON.stringify(follow));
    const { json } = await control(b, "GET", "followers");
    assert(json.includes(aActor), `followers ${JSON.stringify(json)}`);
    // And B's public followers collection says so too.
    const res = await fetch(`${bActor}/followers`, { headers: { accept: "application/activity+json" } });
    const collection = await res.json();
    assert(collection.totalItems === 1, `followers collection ${JSON.stringify(collection)}`);
  });

  await check("the Follow id dereferences on A", async () => {
    const res = await fetch(followId, { headers: { accept: "application/activity+json" } });
    assert(res.status === 200, `status ${res.status}`);
    assert((await res.json()).type === "Follow", "not a Follow");
  });

  await check("A sends a note to B; B receives the verified Create{Note}", async () => {
    const content = `<p>Bonjour ${randomUUID()}</p>`;
    const { status, json } = await control(a, "POST", "send-note", { to: bActor, content });
    assert(status === 200, `status ${status}: ${JSON.stringify(json)}`);
    const create = (await inbox(b)).find((x) => x.id === json.id);
    assert(create?.type === "Create" && create.object === json.note, JSON.stringify(create));
    assert(create.raw.object.content === content, `content ${JSON.stringify(create.raw.object)}`);
  });

  const rawActivity = () => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${aActor}/raw/${randomUUID()}`,
    type: "Create",
    actor: aActor,
    to: bActor,
    object: { id: `${aActor}/raw-note/${randomUUID()}`, type: "Note", attributedTo: aActor, content: "raw" },
  });
  const bInbox = `${bActor}/inbox`;

  for (const [sign, name] of [
    [false, "an unsigned raw POST is refused with 401"],
    ["tamper", "a signed-then-altered raw POST is refused with 401"],
  ]) {
    await check(name, async () => {
      const body = rawActivity();
      const { status, json } = await control(a, "POST", "raw", { url: bInbox, body, sign });
      assert(status === 200, `control status ${status}: ${JSON.stringify(json)}`);
      assert(json.status === 401, `B answered ${json.status}: ${json.body}`);
      assert(!(await inbox(b)).some((x) => x.id === body.id), "B recorded it anyway");
    });
  }

  await check("a correctly signed raw POST is accepted (so the refusals above are meaningful)", async () => {
    const body = rawActivity();
    const { json } = await control(a, "POST", "raw", { url: bInbox, body, sign: true });
    assert(json.status >= 200 && json.status < 300, `B answered ${json.status}: ${json.body}`);
    await poll(async () => (await inbox(b)).some((x) => x.id === body.id), "B to record it", 5_000);
  });

  await check("control API reports failures: following a missing actor is an error", async () => {
    const { status, json } = await control(a, "POST", "follow", { target: `${b.base}/users/nobody` });
    assert(status >= 400 && typeof json.error === "string", `status ${status}: ${JSON.stringify(json)}`);
  });
} catch (err) {
  failed++;
  console.log(`not ok - peers start\n  # ${err.message}`);
} finally {
  for (const p of peers) p.child.kill("SIGTERM");
}

if (failed > 0 && !verbose) {
  for (const p of peers) console.error(`--- log of peer ${p.name} ---\n${p.log.join("")}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
