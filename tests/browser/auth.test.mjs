// Logging in and out, as an agent would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const node = NODES[0];
const signIn = (page) => page.getByRole('button', { name: 'Se connecter' }).click();

test('an anonymous visitor is sent to the login page', async (t) => {
  const page = await openPage(t);
  await visit(page, `${node.url}/`, 'login page (from /)');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connexion');
  await screenshot(page, 'login');
});

test('alice logs in and lands on the home page', async (t) => {
  const page = await openPage(t);
  await visit(page, `${node.url}/login`, 'login page');
  await login(page, node.url, 'alice');
  assert.equal(new URL(page.url()).pathname, '/');
  const heading = await page.getByRole('heading', { level: 1 }).innerText();
  assert.match(heading, /Bienvenue/);
  assert.match(heading, /Alice/);
  await checkA11y(page, 'home');
  await screenshot(page, 'home');
});

test('a wrong password shows an error and keeps the username', async (t) => {
  const page = await openPage(t);
  await visit(page, `${node.url}/login`, 'login page');
  await page.getByLabel('Identifiant').fill('alice');
  await page.getByLabel('Mot de passe').fill('not-the-password');
  await signIn(page);
  const alert = page.getByRole('alert');
  assert.ok(await alert.isVisible(), 'the error message is visible');
  assert.match(await alert.innerText(), /incorrect/i);
  // Still on the login form, not logged in; the username is kept, the password is not.
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connexion');
  assert.equal(await page.getByLabel('Identifiant').inputValue(), 'alice');
  assert.equal(await page.getByLabel('Mot de passe').inputValue(), '');
  assert.equal(await page.getByLabel('Identifiant').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'login page with an error');
});

test('logging out ends the session', async (t) => {
  const page = await openPage(t);
  await login(page, node.url, 'alice');
  // Its accessible name also holds the user's name, for screen readers.
  await page.getByRole('button', { name: /Se déconnecter/ }).click();
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('button', { name: /Se déconnecter/ }).count(), 0);
  // The session is really gone: a members-only page asks to log in again.
  await visit(page, `${node.url}/profile`, 'profile after logout');
  assert.equal(new URL(page.url()).pathname, '/login');
});

test('each institution shows its own name, and its colours pass the audit', async (t) => {
  const page = await openPage(t);
  for (const { url, name, agents } of NODES) {
    await visit(page, `${url}/login`, `${name}: login page`);
    assert.equal(await page.locator('header .brand').innerText(), name);
    await login(page, url, agents[0]);
    await checkA11y(page, `${name}: home`);
  }
});
