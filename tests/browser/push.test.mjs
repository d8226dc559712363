// « Mes appareils » and the installable app: chloe (CHU) finds where to receive notifications
// on her phone, the page passes the accessibility audit at desktop and phone widths, the
// manifest carries the institution's name and icons, and the service worker shows the French
// offline page when the network is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, launch, login, openPage, screenshot, visit } from './lib.mjs';

const chu = NODES[2];

test('chloe finds « Mes appareils » from her profile', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/profile`, 'profile');
  await page.getByRole('link', { name: /Mes appareils/ }).click();
  await page.waitForLoadState();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Mes appareils');
  assert.ok(await page.getByText('Aucun appareil ne reçoit vos notifications').isVisible());
  // With JavaScript, the button shows; nothing is asked before a click.
  const button = page.getByRole('button', { name: 'Recevoir les notifications sur cet appareil' });
  assert.ok(await button.isVisible(), 'the subscribe button is shown');
  assert.equal(await page.evaluate(() => Notification.permission), 'default', 'no permission asked yet');
  await checkA11y(page, 'my devices');
  await screenshot(page, 'devices');
  assert.deepEqual(page.problems, [], 'every script, style and icon loaded under the CSP');
});

test('the devices page reads on a phone', async (t) => {
  const { page, close } = await launch({ viewport: { width: 390, height: 844 } });
  t.after(close);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/profile/devices`, 'my devices (phone)');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (${width} px)`);
});

test('the app is installable and shows a French page offline', async (t) => {
  const { context, page, close } = await launch();
  t.after(close);
  const manifest = await (await page.request.get(`${chu.url}/manifest.webmanifest`)).json();
  assert.equal(manifest.name, chu.name);
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    const answer = await page.request.get(new URL(icon.src, chu.url).href);
    assert.equal(answer.status(), 200, icon.src);
  }
  await login(page, chu.url, 'chloe');
  // « Mes appareils » registers the worker; once it controls the page, a lost connection
  // shows its page rather than the browser's error.
  await page.goto(`${chu.url}/profile/devices`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Every image of the page loaded first: going offline must not abort one mid-flight
  // (seen once in CI as an aborted icon, counted against the offline page).
  await page.waitForLoadState('load');
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await context.setOffline(true);
  await page.goto(`${chu.url}/communities`).catch(() => {});
  assert.ok(await page.getByRole('heading', { name: 'Vous êtes hors ligne' }).isVisible());
  await checkA11y(page, 'offline page');
  await context.setOffline(false);
});
