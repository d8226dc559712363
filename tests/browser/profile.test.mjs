// "Mon profil": editing one's profile, and what a bad value gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const node = NODES[0];
const save = (page) => page.getByRole('button', { name: 'Enregistrer' }).click();

test('an agent edits their job title', async (t) => {
  const page = await openPage(t);
  await login(page, node.url, 'damien');
  await visit(page, `${node.url}/profile`, 'profile');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Mon profil');
  const jobTitle = 'Chargé de mission transition numérique';
  await page.getByLabel('Métier').fill(jobTitle);
  await save(page);
  const status = page.getByRole('status');
  assert.ok(await status.isVisible(), 'the confirmation is visible');
  assert.equal((await status.innerText()).trim(), 'Modifications enregistrées.');
  await checkA11y(page, 'profile, saved');
  await screenshot(page, 'profile');
  // It is stored, not just echoed back.
  await visit(page, `${node.url}/profile`, 'profile, reloaded');
  assert.equal(await page.getByLabel('Métier').inputValue(), jobTitle);
});

test('a job title of 81 characters gets an error tied to the field', async (t) => {
  const page = await openPage(t);
  await login(page, node.url, 'elise');
  await visit(page, `${node.url}/profile`, 'profile');
  const field = page.getByLabel('Métier');
  const before = await field.inputValue();
  // Typing stops at 80 characters (maxlength)...
  await field.fill('a'.repeat(81));
  assert.equal((await field.inputValue()).length, 80);
  // ...but the server must not rely on it: set the value as a client that
  // ignores maxlength would send it.
  await field.evaluate((el) => { el.value = 'a'.repeat(81); });
  await save(page);

  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  const ids = (await field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const descriptions = [];
  for (const id of ids) {
    const el = page.locator(`[id="${id}"]`);
    assert.equal(await el.count(), 1, `aria-describedby points to #${id}, which must exist once`);
    if (await el.isVisible()) descriptions.push(await el.innerText());
  }
  assert.ok(descriptions.some((d) => /80/.test(d)), `a visible message about the 80-character limit in ${JSON.stringify(descriptions)}`);
  assert.ok(await page.getByRole('alert').isVisible(), 'the form says it has errors');
  assert.equal(await page.getByRole('status').count(), 0, 'no "saved" message');
  await checkA11y(page, 'profile with an error');
  // Nothing was stored.
  await visit(page, `${node.url}/profile`, 'profile, reloaded');
  assert.equal(await page.getByLabel('Métier').inputValue(), before);
});
