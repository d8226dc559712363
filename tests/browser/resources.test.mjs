// Resources as agents use them: chloe, at the CHU, opens the survival kit of the Mairie's
// accueil community, edits it, and sees her revision in the history once the host has
// recorded it and announced it back (reloading the page, as a user would).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const [, mairie, chu] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;
const KIT = "Kit de survie de l'agent d'accueil";

test('chloe edits the survival kit from the CHU and sees her revision in the history', async (t) => {
  const tip = `Astuce du jour ${randomBytes(3).toString('hex')}`;
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/communities/${ACCUEIL}`, 'community accueil (chloe)');
  await page.getByRole('link', { name: /^Ressources/ }).click();
  await page.waitForLoadState();
  await checkA11y(page, 'resources of accueil');
  await page.getByRole('link', { name: KIT }).click();
  await page.waitForLoadState();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), KIT);
  assert.ok(await page.getByText('Les premiers jours').isVisible(), 'the kit is rendered from Markdown');
  await checkA11y(page, 'resource: survival kit');

  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.waitForLoadState();
  await checkA11y(page, 'resource edit form');
  const body = page.getByLabel('Texte');
  await body.fill(`${await body.inputValue()}\n\n${tip}.`);
  await page.getByLabel('Résumé de la modification').fill(tip);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState();
  assert.ok(await page.getByText("envoyée à l'institution qui héberge").isVisible(), 'she is told it went to the host');

  // The host records it and announces it back: the history shows it, with her name.
  const history = `${chu.url}/communities/${ACCUEIL}/resources/kit-de-survie/history`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    await page.goto(history);
    if (await page.getByText(tip).first().isVisible()) break;
    if (Date.now() > deadline) assert.fail(`the new revision is not in the history within 15 s`);
    await page.waitForTimeout(300);
  }
  const latest = page.locator('li', { hasText: tip }).first();
  assert.ok(await latest.getByText(/Chloé Dubois/).first().isVisible(), 'the revision names its author');
  assert.ok(await latest.getByText('version actuelle').isVisible(), 'it is the current version');
  await checkA11y(page, 'resource history');
  await screenshot(page, 'resource-history');

  await page.goto(`${chu.url}/communities/${ACCUEIL}/resources/kit-de-survie`);
  assert.ok(await page.getByText(tip).first().isVisible(), 'the kit shows the new text');
});
