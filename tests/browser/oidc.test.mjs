// Sign-in with ProConnect in a real browser: a node configured for the test OpenID Connect
// provider (tests/oidc, oidc-provider configured like ProConnect, started by .ci/start-oidc),
// the ProConnect button clicked, the provider's form filled, back home signed in.
// Self-contained: starts its own provider and its own node (`entrepairs serve`), not the demo.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkA11y, openPage } from './lib.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = resolve(process.env.ENTREPAIRS_BIN || join(root, 'target/debug/entrepairs'));
let provider = { issuer: '', pid: '' };
let node = null;
let base = '';
let data = '';

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer().once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

before(async () => {
  const env = execFileSync('bash', [join(root, '.ci/start-oidc')], { encoding: 'utf8' });
  provider = {
    issuer: /ENTREPAIRS_TEST_OIDC=(\S+)/.exec(env)[1],
    pid: /ENTREPAIRS_OIDC_PID=(\S+)/.exec(env)[1],
  };
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  data = await mkdtemp(join(tmpdir(), 'entrepairs-oidc-browser-'));
  node = spawn(bin, ['serve'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      ENTREPAIRS_BIND: `127.0.0.1:${port}`,
      ENTREPAIRS_DATA_DIR: data,
      ENTREPAIRS_INSTITUTION_NAME: 'Mairie de Sète',
      ENTREPAIRS_ALLOW_HTTP: 'true',
      ENTREPAIRS_ALLOW_PRIVATE_ADDRESSES: 'true',
      ENTREPAIRS_OIDC_ISSUER: provider.issuer,
      ENTREPAIRS_OIDC_CLIENT_ID: 'entrepairs-test',
      ENTREPAIRS_OIDC_CLIENT_SECRET: 'entrepairs-test-secret-0123456789abcdef',
      ENTREPAIRS_OIDC_ALLOWED_SIRETS: '213403011',
    },
  });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the node did not answer /readyz within 30 s');
});

after(async () => {
  node?.kill('SIGTERM');
  if (provider.pid) execFileSync('bash', [join(root, '.ci/stop-oidc'), provider.pid]);
  if (data) await rm(data, { recursive: true, force: true });
});

test('an agent clicks the ProConnect button and is signed in', async (t) => {
  const page = await openPage(t);
  await page.goto(`${base}/login`);
  await checkA11y(page, 'login with the ProConnect button');
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.waitForURL(/\/interaction\//);
  await page.getByLabel('Identifiant').fill('jeanne');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator('body').innerText(), /Jeanne Dupont/);
  await checkA11y(page, 'home after the ProConnect sign-in');
});

test('an agent of another employer is told why', async (t) => {
  const page = await openPage(t);
  await page.goto(`${base}/login`);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.waitForURL(/\/interaction\//);
  await page.getByLabel('Identifiant').fill('autre');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/login\/oidc\/callback/);
  const alert = await page.getByRole('alert').innerText();
  assert.match(alert, /SIRET 11000201100044/);
  await checkA11y(page, 'ProConnect sign-in refused');
});
