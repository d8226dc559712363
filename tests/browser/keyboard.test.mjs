// Keyboard use: the skip link comes first and leads to the content.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, login, openPage } from './lib.mjs';

const node = NODES[0];
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return { tag: el.tagName, id: el.id, text: el.innerText?.trim(), onScreen: box.bottom > 0 && box.top < innerHeight && box.width > 0 };
});

async function checkSkipLink(page, path) {
  await page.goto(`${node.url}${path}`);
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.text, 'Aller au contenu', `${path}: the first Tab focuses the skip link`);
  assert.ok(first.onScreen, `${path}: the focused skip link is visible`);
  await page.keyboard.press('Enter');
  const after = await focused(page);
  assert.equal(after.tag, 'MAIN', `${path}: the skip link moves focus to <main>`);
}

test('the first Tab focuses the skip link, which moves focus to the content', async (t) => {
  const page = await openPage(t);
  await checkSkipLink(page, '/login');
  // From <main>, the next Tab reaches the form, not the header again.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'username');
  await login(page, node.url, 'alice');
  for (const path of ['/', '/profile']) await checkSkipLink(page, path);
});
