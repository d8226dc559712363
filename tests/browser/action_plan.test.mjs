// The action plan of accueil, seen from the Sous-préfecture (a member node): the item the
// Mairie's animateur escalated to management shows its escalation, and the printable page an
// animateur hands to management carries it without the site's navigation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const [pref, mairie] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;
const ESCALATED = "Un bouton d'alerte à chaque guichet";

test('alice reads the action plan of accueil and its printable page from her own node', async (t) => {
  const page = await openPage(t);
  await login(page, pref.url, 'alice');
  await visit(page, `${pref.url}/communities/${ACCUEIL}`, 'community accueil (alice)');
  await page.getByRole('link', { name: "Plan d'action", exact: true }).click();
  await page.waitForLoadState();
  await checkA11y(page, 'action plan of accueil');
  assert.ok(await page.getByRole('link', { name: ESCALATED }).isVisible(), 'the escalated item is listed');
  await screenshot(page, 'action-plan');

  await page.getByRole('link', { name: ESCALATED }).click();
  await page.waitForLoadState();
  assert.ok(
    await page.getByText('Direction générale des services (DGS)').first().isVisible(),
    'the item says to whom it was escalated',
  );
  await checkA11y(page, 'escalated action item');

  await page.goto(`${pref.url}/communities/${ACCUEIL}/plan/print`);
  await page.waitForLoadState();
  assert.equal(await page.locator('nav').count(), 0, 'no navigation on paper');
  assert.ok(await page.getByText(ESCALATED).isVisible());
  assert.ok(await page.getByText('Direction générale des services (DGS)').first().isVisible());
  await checkA11y(page, 'printable action plan');
});
