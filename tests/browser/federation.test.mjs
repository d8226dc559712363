// Federation administration: the admin of the first institution sees the demo's waiting
// request from the CDG with what it says and what was verified, and approves it through
// the confirmation page (no JavaScript needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const node = NODES[0];

test('an admin approves the federation request waiting from the CDG', async (t) => {
  const page = await openPage(t);
  await login(page, node.url, 'admin');
  await visit(page, `${node.url}/admin`, 'admin home');
  await checkA11y(page, 'admin home');
  await page.getByRole('link', { name: 'Fédération', exact: true }).first().click();
  const pending = page.getByRole('region', { name: /Demandes reçues/ });
  assert.ok(await pending.getByText('CDG de Tarn-et-Garonne').first().isVisible(), 'the request shows who asks');
  assert.ok(await pending.getByText('Centre de gestion').first().isVisible(), 'and its kind');
  await checkA11y(page, 'federation');
  await screenshot(page, 'admin-federation');

  await pending.getByRole('link', { name: /Approuver/ }).first().click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Confirmer la décision');
  await checkA11y(page, 'federation, confirmation');
  await page.getByLabel('Je confirme cette décision').check();
  await page.getByRole('button', { name: /Approuver/ }).click();
  assert.equal((await page.getByRole('status').innerText()).trim(), 'Fédération approuvée.');
  const approved = page.getByRole('region', { name: /Institutions fédérées/ });
  assert.ok(await approved.getByText('CDG de Tarn-et-Garonne').first().isVisible());
  await checkA11y(page, 'federation, approved');
});
