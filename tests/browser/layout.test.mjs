// How the pages look: at a phone's width nothing is wider than the screen;
// the dark theme (prefers-color-scheme) passes the audit as the light one does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, PHONE, login, openPage, visit } from './lib.mjs';

const node = NODES[0];
const overflow = (page) => page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);

test('no horizontal scroll at 375×740', async (t) => {
  const page = await openPage(t, { viewport: PHONE });
  await visit(page, `${node.url}/login`, 'login page (phone)');
  assert.ok(await overflow(page) <= 0, `login page: ${await overflow(page)} px too wide`);
  // The longest institution name is on the third node.
  await login(page, NODES[2].url, NODES[2].agents[0]);
  for (const path of ['/', '/profile', '/directory', '/directory/me', '/search?q=formation']) {
    await visit(page, `${NODES[2].url}${path}`, `${path} (phone)`);
    assert.ok(await overflow(page) <= 0, `${path}: ${await overflow(page)} px too wide`);
  }
});

test('the dark theme passes the audit too', async (t) => {
  const page = await openPage(t);
  await page.emulateMedia({ colorScheme: 'dark' });
  await visit(page, `${node.url}/login`, 'login page (dark)');
  await login(page, node.url, 'alice');
  for (const path of ['/', '/profile']) await visit(page, `${node.url}${path}`, `${path} (dark)`);
});
