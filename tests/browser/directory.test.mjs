// "Annuaire" and "Rechercher": finding a peer of another institution, their entry and
// vCard, one's own entry form, and the search box in the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, login, openPage, screenshot, visit } from './lib.mjs';

const chu = NODES[2];

test('an agent of the CHU finds an agent of the Mairie by skill and opens her entry', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/directory`, 'directory');
  await page.getByLabel('Nom, métier, institution ou compétence').fill('formations cnfpt');
  await page.getByRole('button', { name: 'Rechercher', exact: true }).last().click();
  const result = page.getByRole('link', { name: 'Farida Benali' });
  assert.ok(await result.isVisible(), 'farida is found by her skill');
  await screenshot(page, 'directory');
  await result.click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Farida Benali');
  assert.ok(await page.getByText('Mairie de Castelsarrasin').first().isVisible());
  const card = page.getByRole('link', { name: /vCard/ });
  assert.match(await card.getAttribute('href'), /^\/directory\/\d+\/vcard$/);
  await visit(page, `${chu.url}/directory/me`, 'my directory entry');
});

test('the header search box finds the directory and says when nothing matches', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'hugo');
  await page.getByRole('searchbox', { name: 'Rechercher dans les discussions et l\'annuaire' }).first().fill('médiations');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  const results = page.locator('ol.search-results');
  assert.ok(await results.getByText('Annuaire', { exact: true }).first().isVisible(), 'a directory entry among the results');
  await visit(page, `${chu.url}/search?q=introuvable`, 'search, no result');
  assert.ok(await page.getByText('Aucun résultat').isVisible());
});
