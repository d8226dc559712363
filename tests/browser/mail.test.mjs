// Mail in the browser (issue 15): the CHU's admin invites a new agent by mail, the
// invitation link opens her account creation; she forgets her password, « Mot de passe
// oublié ? » mails her a one-hour link, she chooses a new password and logs in with it.
// The demo has no SMTP relay (tests/browser/run starts it without --smtp, and .ci/run's
// browser step comes after the SMTP server of the cargo steps is stopped): it keeps every
// message in its outbox and shows it on « Courriels envoyés (démo) » (/admin/mail/demo),
// which is where an agent trying the demo reads them too. The real relay path (headers,
// parts, links followed) is the Rust suite's, through a real SMTP server (tests/it/mail.rs).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { NODES, checkA11y, launch, login, openPage, visit } from './lib.mjs';

const chu = NODES[2];
const PHONE = { width: 390, height: 844 };

// The link to `path` in the last demo mail to `address` whose subject starts with `subject`.
async function mailedLink(admin, address, subject, path) {
  await visit(admin, `${chu.url}/admin/mail/demo`, 'demo mail');
  assert.equal(await admin.getByRole('heading', { level: 1 }).innerText(), 'Courriels envoyés (démo)');
  const mail = admin.locator('article').filter({ hasText: address }).filter({ hasText: subject }).first();
  assert.ok(await mail.isVisible(), `a mail « ${subject} » to ${address}`);
  const text = await mail.locator('pre').innerText();
  const found = text.match(new RegExp(`${chu.url.replace(/[.]/g, '\\.')}${path}[^\\s]+`));
  assert.ok(found, `a ${path} link in:\n${text}`);
  return { link: found[0], text };
}

test('an invitation by mail opens an account, and a forgotten password is reset by mail', async (t) => {
  const admin = await openPage(t);
  await login(admin, chu.url, 'admin');
  const suffix = randomBytes(3).toString('hex');
  const username = `nadia${suffix}`;
  const address = `nadia.${suffix}@chu.demo.invalid`;

  // The admin invites Nadia: the account is created and the link leaves by mail.
  await visit(admin, `${chu.url}/admin/accounts`, 'accounts');
  await admin.fill('#username', username);
  await admin.fill('#display_name', 'Nadia Benali');
  await admin.fill('#email', address);
  await admin.fill('#job_title', 'Secrétaire médicale');
  await admin.getByRole('button', { name: 'Créer le compte et le lien' }).click();
  await admin.waitForLoadState();
  assert.ok(
    await admin.getByText(`Le lien vient d'être envoyé par courriel à ${address}.`).isVisible(),
    'the admin is told the link was mailed',
  );
  await checkA11y(admin, 'invitation mailed');
  const invitation = await mailedLink(admin, address, 'Votre invitation', '/invitation/');
  assert.match(invitation.text, /Bonjour/);
  assert.match(invitation.text, /Un compte vous a été ouvert\. Ce lien, valable une semaine/);
  assert.ok(invitation.text.includes(`Votre identifiant : ${username}`), invitation.text);

  // Nadia, in her own browser, follows the link and chooses her password.
  const nadia = await openPage(t);
  await visit(nadia, invitation.link, 'invitation');
  assert.ok(await nadia.getByText(username, { exact: true }).isVisible());
  await nadia.fill('#password', 'premier-mot-de-passe');
  await nadia.fill('#confirm', 'premier-mot-de-passe');
  await nadia.getByRole('button', { name: 'Enregistrer' }).click();
  await nadia.waitForLoadState();
  assert.ok(await nadia.getByText('Mot de passe enregistré. Vous pouvez vous connecter.').isVisible());
  await checkA11y(nadia, 'invitation accepted');
  // The link served once.
  await nadia.goto(invitation.link);
  assert.ok(await nadia.getByRole('alert').isVisible(), 'a used invitation link says so');

  // She forgets it: « Mot de passe oublié ? » on the login page.
  await visit(nadia, `${chu.url}/login`, 'login');
  await nadia.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await nadia.waitForLoadState();
  await checkA11y(nadia, 'forgotten password');
  assert.equal(await nadia.getByRole('heading', { level: 1 }).innerText(), 'Mot de passe oublié');
  await nadia.fill('#email', address);
  await nadia.getByRole('button', { name: 'Recevoir un lien' }).click();
  await nadia.waitForLoadState();
  assert.equal(
    (await nadia.locator('#reset-notice').innerText()).trim(),
    'Si cette adresse correspond à un compte, un courriel vient de partir avec un lien valable une heure.',
  );
  await checkA11y(nadia, 'reset requested');

  const reset = await mailedLink(admin, address, 'Votre nouveau mot de passe', '/password-reset/');
  assert.match(reset.text, /valable une heure et une seule fois/);
  assert.match(reset.text, /Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel/);

  await visit(nadia, reset.link, 'new password');
  assert.equal(await nadia.getByRole('heading', { level: 1 }).innerText(), 'Nouveau mot de passe');
  await nadia.fill('#password', 'nouveau-mot-de-passe');
  await nadia.fill('#confirm', 'nouveau-mot-de-passe');
  await nadia.getByRole('button', { name: 'Enregistrer' }).click();
  await nadia.waitForLoadState();
  assert.ok((await nadia.locator('#reset-done').innerText()).includes('Votre mot de passe est changé.'));
  await checkA11y(nadia, 'password changed');
  // The link served once; the old password no longer opens the account, the new one does.
  await nadia.goto(reset.link);
  assert.ok(await nadia.locator('#reset-invalid').isVisible(), 'a used reset link says so');
  await assert.rejects(login(nadia, chu.url, username, 'premier-mot-de-passe'));
  await login(nadia, chu.url, username, 'nouveau-mot-de-passe');
  assert.equal(new URL(nadia.url()).pathname === '/login', false);
});

test('the password and invitation pages read on a phone', async (t) => {
  const { page, close } = await launch({ viewport: PHONE });
  t.after(close);
  for (const [path, label, check] of [
    ['/login', 'login (phone)', () => page.getByRole('link', { name: 'Mot de passe oublié ?' })],
    ['/password-reset', 'forgotten password (phone)', () => page.getByRole('button', { name: 'Recevoir un lien' })],
    ['/password-reset/lien-inconnu', 'unknown reset link (phone)', () => page.locator('#reset-invalid')],
    ['/invitation/lien-inconnu', 'unknown invitation (phone)', () => page.getByRole('alert')],
  ]) {
    await page.goto(`${chu.url}${path}`);
    await checkA11y(page, label);
    assert.ok(await check().isVisible(), label);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${label}: no horizontal scrolling (${width} px)`);
  }
  await login(page, chu.url, 'admin');
  await visit(page, `${chu.url}/admin/mail/demo`, 'demo mail (phone)');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `demo mail: no horizontal scrolling (${width} px)`);
});
