// Tiny HTTP client for the bash driver (./run), so that it needs no curl/jq.
//
//   node http.mjs METHOD URL [JSON_BODY] [ACCEPT] [AUTHORIZATION]
//     prints the status code on the first line, then the response body;
//     status 000 and the error when the request could not be made.
//   node http.mjs json-test 'JS EXPRESSION' < body
//     exits 0 when the expression (with `j` = the parsed stdin) is truthy.
//   node http.mjs free-port
//     prints a free TCP port on 127.0.0.1.

import net from "node:net";

const [cmd, ...args] = process.argv.slice(2);

if (cmd === "free-port") {
  const server = net.createServer().listen(0, "127.0.0.1", () => {
    console.log(server.address().port);
    server.close();
  });
} else if (cmd === "json-test") {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  let j;
  try {
    j = JSON.parse(input);
  } catch {
    process.exit(1);
  }
  // The expression comes from our own driver script, not from the network.
  const ok = new Function("j", `return (${args[0]});`)(j);
  process.exit(ok ? 0 : 1);
} else {
  const [url, body, accept, authorization] = args;
  try {
    const res = await fetch(url, {
      method: cmd,
      headers: {
        ...(body ? { "content-type": "application/json" } : {}),
        accept: accept || "application/json, */*",
        ...(authorization ? { authorization } : {}),
      },
      body: body || undefined,
      signal: AbortSignal.timeout(30_000),
    });
    process.stdout.write(`${res.status}\n${await res.text()}`);
  } catch (err) {
    process.stdout.write(`000\n${err.cause?.message ?? err.message}`);
  }
}
