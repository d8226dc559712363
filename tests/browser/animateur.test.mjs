// What the animateur of accueil (bruno, at the Mairie) runs, walked as the agents would:
// the date poll (farida votes, changes her vote and reads the results; bruno turns the
// leading date into a session in one click), the attendance of the demo's past atelier
// (farida is refused an attestation, bruno marks her present and prints the sign-in
// sheet, she downloads it; chloe gets hers from the CHU) and the session's report (a
// resource revision and two action items). Each state is audited at 1280 and 390 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const [, mairie, chu] = NODES;
const PHONE_390 = { width: 390, height: 844 };
const QUESTION = 'Quelle date pour la séance de mars ?';
const ATELIER = 'Atelier : le kit de survie des nouveaux arrivants';

// The audit at both widths: the phone layout is where labels wrap and tables overflow.
async function audit(page, label) {
  await checkA11y(page, `${label} (1280 px)`);
  await page.setViewportSize(PHONE_390);
  await checkA11y(page, `${label} (390 px)`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

// The poll's page, reached as a member does: community, then "Sondages", then the question.
async function openPoll(page, base, handle) {
  await visit(page, `${base}/communities/${handle}`, 'community accueil');
  await page.getByRole('link', { name: 'Sondages', exact: true }).click();
  await page.waitForLoadState();
  await audit(page, 'polls of accueil');
  await page.getByRole('link', { name: QUESTION }).click();
  await page.waitForLoadState();
}

// The past atelier, reached from the sessions page of accueil.
async function openAtelier(page, base, handle) {
  await visit(page, `${base}/communities/${handle}/sessions`, 'sessions of accueil');
  await page.getByRole('region', { name: 'Séances passées' }).getByRole('link', { name: new RegExp(`^${ATELIER} — `) }).click();
  await page.waitForLoadState();
  await audit(page, 'past atelier');
}

test('farida votes on the date poll, changes her vote and reads the results', async (t) => {
  const page = await openPage(t);
  await login(page, mairie.url, 'farida');
  await openPoll(page, mairie.url, 'accueil');
  await audit(page, 'date poll, before voting');
  const ballot = page.getByRole('group', { name: QUESTION });
  const dates = ballot.getByRole('checkbox');
  assert.equal(await dates.count(), 3, 'three proposed dates');
  await dates.nth(0).check();
  await page.getByRole('button', { name: 'Voter' }).click();
  await page.waitForLoadState();
  assert.equal((await page.getByRole('status').innerText()).trim(), 'Votre vote est enregistré.');
  await audit(page, 'date poll, voted');

  // Her ticks are kept; she changes her mind for the second date only.
  const mine = page.getByRole('group', { name: 'Votre vote' }).getByRole('checkbox');
  assert.ok(await mine.nth(0).isChecked(), 'her first choice is ticked');
  await mine.nth(0).uncheck();
  await mine.nth(1).check();
  await page.getByRole('button', { name: 'Modifier mon vote' }).click();
  await page.waitForLoadState();
  assert.ok(await page.getByRole('status').isVisible());
  const results = page.getByRole('region', { name: 'Résultats' });
  const rows = results.getByRole('row');
  // Header + three dates; the second date now leads, with farida named on it (a named poll).
  assert.equal(await rows.count(), 4);
  const second = await rows.nth(2).innerText();
  assert.match(second, /En tête/);
  assert.match(second, /Farida/);
  assert.doesNotMatch(await rows.nth(1).innerText(), /Farida/, 'her first vote is withdrawn');
  await audit(page, 'date poll, vote changed');
  await screenshot(page, 'poll');

  // Nothing is counted twice: an empty ballot is refused and her vote stays.
  await page.getByRole('group', { name: 'Votre vote' }).getByRole('checkbox').nth(1).uncheck();
  await page.getByRole('button', { name: 'Modifier mon vote' }).click();
  await page.waitForLoadState();
  assert.match(await page.getByRole('alert').innerText(), /Choisissez au moins une/);
  assert.match(await page.getByRole('region', { name: 'Résultats' }).getByRole('row').nth(2).innerText(), /Farida/);
  await audit(page, 'date poll, empty ballot refused');
});

test('chloe, at the CHU, sees the same poll from her node and her vote is ticked', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await openPoll(page, chu.url, `accueil@${new URL(mairie.url).host}`);
  await audit(page, 'date poll from the CHU');
  const mine = page.getByRole('group', { name: 'Votre vote' }).getByRole('checkbox');
  assert.ok(await mine.nth(1).isChecked(), 'the demo vote of chloe (the second date)');
  assert.ok(await page.getByRole('button', { name: 'Modifier mon vote' }).isVisible());
});

test('bruno turns the leading date into a session in one click', async (t) => {
  const page = await openPage(t);
  await login(page, mairie.url, 'bruno');
  await openPoll(page, mairie.url, 'accueil');
  const schedule = page.getByRole('region', { name: /^En tête/ });
  assert.ok(await schedule.isVisible(), 'the animateur sees the leading date');
  // The place is asked: without it, a clear sentence and nothing created.
  await schedule.getByLabel('Lieu de la séance').fill('   ');
  await schedule.getByRole('button', { name: 'Créer la séance à cette date' }).click();
  await page.waitForLoadState();
  assert.match(new URL(page.url()).pathname, /^\/sondages\//, 'still on the poll');
  assert.match(await page.getByRole('alert').innerText(), /Indiquez le lieu/);
  await audit(page, 'date poll, place missing');
  await visit(page, `${mairie.url}/communities/accueil/sessions`, 'sessions before scheduling');
  assert.equal(await page.getByRole('link', { name: new RegExp(`^${QUESTION}`) }).count(), 0, 'nothing created');
  await openPoll(page, mairie.url, 'accueil');
  await page.getByLabel('Lieu de la séance').fill('Mairie de Castelsarrasin, salle du conseil');
  await page.getByRole('button', { name: 'Créer la séance à cette date' }).click();
  await page.waitForLoadState();
  assert.match(new URL(page.url()).pathname, /^\/sessions\/\d+$/);
  assert.ok(await page.getByRole('heading', { level: 1, name: QUESTION }).isVisible());
  assert.ok(await page.getByText('salle du conseil').first().isVisible());
  await audit(page, 'session created from the poll');
});

test("farida is refused an attestation, bruno marks her present and prints the sheet, she downloads it", async (t) => {
  const farida = await openPage(t);
  await login(farida, mairie.url, 'farida');
  await openAtelier(farida, mairie.url, 'accueil');
  const atelier = farida.url();
  assert.ok(!(await farida.getByRole('link', { name: 'Mon attestation de participation' }).isVisible()));
  const refused = await farida.goto(`${atelier}/attestation`);
  assert.equal(refused.status(), 403);
  assert.match(await farida.getByRole('alert').innerText(), /pas été marqué présent/);
  await audit(farida, 'attestation refused');

  const bruno = await openPage(t);
  await login(bruno, mairie.url, 'bruno');
  await openAtelier(bruno, mairie.url, 'accueil');
  await bruno.getByRole('link', { name: 'Présences', exact: true }).click();
  await bruno.waitForLoadState();
  await audit(bruno, 'attendance');
  const walkIns = bruno.getByRole('group', { name: 'Venus sans inscription' });
  await walkIns.getByLabel(/Farida/).check();
  await bruno.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await bruno.waitForLoadState();
  assert.equal((await bruno.getByRole('status').innerText()).trim(), 'Présences enregistrées.');
  assert.ok(await bruno.getByLabel(/Farida/).isChecked(), 'farida is now present');
  await audit(bruno, 'attendance saved');
  await screenshot(bruno, 'attendance');

  await bruno.getByRole('link', { name: "Feuille d'émargement" }).click();
  await bruno.waitForLoadState();
  const sheet = await bruno.getByRole('table').innerText();
  for (const who of ['Alice', 'Chloé', 'Farida']) assert.match(sheet, new RegExp(who));
  assert.match(sheet, /Signature/);
  assert.match(sheet, /CHU de Montauban/, "each agent's institution");
  await audit(bruno, 'sign-in sheet');

  // Farida's list of trainings, from her profile, and her attestation.
  await visit(farida, `${mairie.url}/profile`, 'profile (farida)');
  await farida.getByRole('link', { name: 'Mes formations inter-institutions' }).click();
  await farida.waitForLoadState();
  await audit(farida, 'my trainings');
  await farida.getByRole('link', { name: new RegExp(`Attestation — ${ATELIER}`) }).click();
  await farida.waitForLoadState();
  assert.ok(await farida.getByRole('heading', { name: 'Attestation de participation' }).isVisible());
  const text = await farida.locator('main').innerText();
  assert.match(text, /Farida/);
  assert.match(text, /Mairie de Castelsarrasin/);
  assert.match(text, /2 h 30/);
  await audit(farida, 'attestation');
  await screenshot(farida, 'attestation');
});

test('chloe, at the CHU, downloads her attestation from her own node', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/my/trainings`, 'my trainings (chloe)');
  await page.getByRole('link', { name: new RegExp(`Attestation — ${ATELIER}`) }).click();
  await page.waitForLoadState();
  const text = await page.locator('main').innerText();
  assert.match(text, /Chloé Dubois/);
  assert.match(text, /CHU de Montauban/);
  assert.match(text, /Mairie de Castelsarrasin/, 'the hosting institution');
  await audit(page, 'attestation (chloe)');
});

test('bruno publishes the report: a resource revision and two action items', async (t) => {
  const page = await openPage(t);
  await login(page, mairie.url, 'bruno');
  await openAtelier(page, mairie.url, 'accueil');
  await page.getByRole('link', { name: 'Compte rendu', exact: true }).click();
  await page.waitForLoadState();
  await audit(page, 'report form');
  const present = await page.getByRole('region', { name: 'Présents' }).innerText();
  assert.match(present, /Alice/);

  // A bad date: the sentence says which line and what to write; nothing is published.
  await page.getByLabel('Points abordés').fill('- Le kit relu par les trois institutions');
  await page.getByLabel('Décisions').fill('Le kit est diffusé en avril.');
  await page.getByLabel('Actions').fill('Imprimer le kit ; bruno ; le 31 février\nDiffuser le kit ; ; 2099-04-30');
  await page.getByRole('button', { name: /^Publier le compte rendu/ }).click();
  await page.waitForLoadState();
  assert.match(await page.getByRole('alert').innerText(), /Rien n'a été publié/);
  await audit(page, 'report, bad date');

  await page.getByLabel('Actions').fill('Imprimer le kit ; bruno ; 15/04/2099\nDiffuser le kit ; ; 30/04/2099');
  await page.getByRole('button', { name: /^Publier le compte rendu/ }).click();
  await page.waitForLoadState();
  assert.match(await page.getByRole('status').innerText(), /publié/);
  await audit(page, 'report published');
  await screenshot(page, 'session-report');

  await page.getByRole('status').getByRole('link', { name: /plan d'action/i }).click();
  await page.waitForLoadState();
  for (const item of ['Imprimer le kit', 'Diffuser le kit']) {
    assert.ok(await page.getByRole('link', { name: item }).first().isVisible(), `${item} in the plan`);
  }
  await audit(page, 'action plan with the report items');
});
