// Per-agent language (issue 19): an agent of a French node, whose browser asks for French,
// chooses English in « Mon profil », walks her pages in English (audited at 1280 and 390 px),
// then switches back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, visit } from './lib.mjs';

const node = NODES[1];
const PHONE_390 = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
// Must not remain on an English page.
const FRENCH = ['Accueil', 'Communautés', 'Se déconnecter', 'Mon profil', 'Aller au contenu', 'Rechercher'];
// Reported, not failed on: what is still written in French in her pages (user content aside).
const WATCH = ['Répondre', 'Enregistrer', 'Membres', 'Séances', 'Ressources', 'Discussions', 'Envoyer', 'Filtrer', 'Précédent', 'Suivant', 'Tout marquer comme lu'];

async function walk(t, page, url, label) {
  await page.setViewportSize(DESKTOP);
  await visit(page, url, `${label} (1280 px)`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', `${label}: <html lang>`);
  // Interface texts are whole elements (a link, a button, a heading); what agents wrote
  // (« Accueil du public », a French thread) contains such words but is not one.
  for (const word of FRENCH) {
    assert.equal(await page.getByText(word, { exact: true }).count(), 0, `${label} still says « ${word} »`);
  }
  const left = [];
  for (const word of WATCH) if (await page.getByText(word, { exact: true }).count()) left.push(word);
  if (left.length) t.diagnostic(`${label}: French left in the interface: ${left.join(', ')}`);
  await page.setViewportSize(PHONE_390);
  await checkA11y(page, `${label} (390 px)`);
}

test('an agent chooses English, sees English everywhere, and switches back', async (t) => {
  const page = await openPage(t);
  await login(page, node.url, 'farida');
  await visit(page, `${node.url}/profile`, 'profile (French)');
  if ((await page.locator('html').getAttribute('lang')) === 'en') {
    // A run stopped half-way left her in English: the demo keeps its data.
    await page.getByLabel('Français').check();
    await page.getByRole('button', { name: 'Change language' }).click();
    await page.waitForLoadState();
  }
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  const group = page.getByRole('group', { name: /La langue des pages/ });
  await group.getByLabel('English').check();
  await page.getByRole('button', { name: 'Changer de langue' }).click();
  await page.waitForLoadState();
  assert.equal((await page.getByRole('status').innerText()).trim(), 'Language saved.');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'My profile');
  await checkA11y(page, 'profile, English chosen');

  await walk(t, page, `${node.url}/`, 'home');
  await walk(t, page, `${node.url}/communities`, 'communities');
  const community = await page.locator('main a[href^="/communities/"]').first().getAttribute('href');
  assert.ok(community, 'a community is listed');
  await walk(t, page, `${node.url}${community}`, 'a community');
  const thread = await page.locator('main a[href*="/discussions/"]').first().getAttribute('href');
  if (thread) {
    await walk(t, page, new URL(thread, node.url).href, 'a thread');
  } else {
    t.diagnostic('no thread in the first community: the thread page was not walked');
  }
  await walk(t, page, `${node.url}/directory`, 'directory');
  await walk(t, page, `${node.url}/notifications`, 'notifications');

  // Back to French.
  await page.setViewportSize(DESKTOP);
  await visit(page, `${node.url}/profile`, 'profile (English)');
  await page.getByRole('group', { name: /The language of the pages/ }).getByLabel('Français').check();
  await page.getByRole('button', { name: 'Change language' }).click();
  await page.waitForLoadState();
  assert.equal((await page.getByRole('status').innerText()).trim(), 'Langue enregistrée.');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.ok(await page.getByRole('link', { name: 'Accueil' }).first().isVisible());
});
