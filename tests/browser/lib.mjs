// Helpers for the real-browser tests: headless Chromium driven by
// playwright-core, axe-core for the accessibility audit.  `./run` starts the
// three-node demo and exports ENTREPAIRS_DEMO_BASE_PORT before the tests run.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium } from 'playwright-core';

export const PASSWORD = 'entrepairs-demo';

// The demo's three institutions, on ports P, P+1, P+2.
const basePort = Number(process.env.ENTREPAIRS_DEMO_BASE_PORT || 8081);
export const NODES = [
  { name: 'Sous-préfecture de Castelsarrasin', agents: ['alice', 'damien', 'elise'] },
  { name: 'Mairie de Castelsarrasin', agents: ['bruno', 'farida', 'gilles'] },
  { name: 'CHU de Montauban', agents: ['chloe', 'hugo', 'ines'] },
].map((node, i) => ({ ...node, url: `http://127.0.0.1:${basePort + i}` }));

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

const CHROMIUM = process.env.ENTREPAIRS_CHROMIUM || '/usr/bin/chromium';
// As root, in a container without a GPU or network: no sandbox, no GPU, and
// none of Chromium's background calls to outside hosts (they only time out).
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

// A fresh browser with its own temporary profile, so no test sees another's
// cookies.  Playwright refuses `--user-data-dir` in `args`: the persistent
// context is how to give it one.  Returns { context, page, close }.
export async function launch({ viewport = DESKTOP } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'entrepairs-chromium-'));
  const context = await chromium
    .launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, locale: 'fr-FR' })
    .catch(async (e) => {
      await rm(profile, { recursive: true, force: true });
      throw e;
    });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  // What a user would miss without a message: a style or image that did not
  // load, or was blocked by the Content-Security-Policy (a console error; no
  // page has scripts).  A 4xx page itself is fine (a form error is a 422).
  const problems = (page.problems = []);
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    if (!r.isNavigationRequest()) problems.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  const close = async () => {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

// launch() for a node:test test: the browser is closed when the test ends.
export async function openPage(t, options) {
  const { page, close } = await launch(options);
  t.after(close);
  return page;
}

// Navigates, checks the answer and audits the page.  Returns the response.
export async function visit(page, url, label) {
  const response = await page.goto(url);
  assert.ok(response, `${label}: no response for ${url}`);
  assert.ok(response.status() < 400, `${label}: ${url} answered ${response.status()}`);
  await checkA11y(page, label);
  return response;
}

// Submits the login form; throws with the page's message if it fails.
export async function login(page, baseUrl, username, password = PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).pathname === '/login') {
    const alert = await page.getByRole('alert').textContent().catch(() => 'no message');
    throw new Error(`login as ${username} on ${baseUrl} failed: ${alert.trim()}`);
  }
}

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe-core on the page as it is now; throws listing every serious or
// critical violation.  The pages' CSP (default-src 'self') blocks an inline
// <script>, so page.addScriptTag({content}) fails: evaluating the source over
// the DevTools protocol is not subject to CSP, and keeps the page's real CSP
// in force for everything else (bypassCSP would hide CSP bugs).
export async function checkA11y(page, label) {
  const problems = page.problems?.splice(0) ?? [];
  assert.deepEqual(problems, [], `${label}: resources that failed or were blocked`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const { violations } = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_AA,
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map(
      (v) => `  - ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n` +
        v.nodes.map((n) => `      at ${n.target.join(' ')}`).join('\n'),
    );
    throw new Error(`${label} (${page.url()}): ${bad.length} axe violation(s)\n${lines.join('\n')}`);
  }
}

// docs/screenshots/NAME.png, only when ENTREPAIRS_SCREENSHOTS=1 (the PNGs
// are committed, so they are refreshed on purpose, not by every test run).
// The whole page if it is short, else the 1280×800 viewport, to keep files small.
export async function screenshot(page, name) {
  if (process.env.ENTREPAIRS_SCREENSHOTS !== '1') return;
  await page.setViewportSize(DESKTOP);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: height <= 1200 });
}

// Reloads `url` until `locator()` shows (what another node sends arrives through its
// delivery queue, within seconds), then audits the page.
export async function visitUntil(page, url, label, locator, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const response = await page.goto(url);
    assert.ok(response.status() < 400, `${label}: ${url} answered ${response.status()}`);
    if (await locator().first().isVisible()) break;
    if (Date.now() > deadline) assert.fail(`${label}: ${what} not shown within ${timeout / 1000} s at ${url}`);
    await page.waitForTimeout(300);
  }
  await checkA11y(page, label);
}
