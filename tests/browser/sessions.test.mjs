// Sessions (séances) of the accueil community, hosted by the Mairie: an agent of another
// institution registers for a session of the monthly series and sees herself among the
// participants once the group's answer has come back (reloading, as a user would); the
// animateur's scheduling form is audited too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit } from './lib.mjs';

const [, mairie, chu] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;
const SERIES = 'Club accueil — séance mensuelle';

test('chloe, at the CHU, registers for a session of accueil and appears among its participants', async (t) => {
  const page = await openPage(t);
  await login(page, chu.url, 'chloe');
  await visit(page, `${chu.url}/communities/${ACCUEIL}`, 'community accueil (chloe)');
  await page.getByRole('link', { name: 'Séances', exact: true }).click();
  await page.waitForLoadState();
  await checkA11y(page, 'sessions of accueil');
  // The demo registered chloe for the first two sessions of the series: she takes the third.
  await page.getByRole('link', { name: SERIES }).nth(2).click();
  await page.waitForLoadState();
  const sessionUrl = page.url();
  const participants = () => page.getByRole('region', { name: /^Participants/ });
  assert.ok(!(await participants().getByText('Chloé Dubois').isVisible()), 'not registered yet');
  await page.getByRole('button', { name: "S'inscrire" }).click();
  await page.waitForLoadState();
  await checkA11y(page, 'session, registration sent');

  // The Join travels to the Mairie; the group's Update comes back in the background.
  const deadline = Date.now() + 15_000;
  while (!(await participants().getByText('Chloé Dubois').isVisible())) {
    if (Date.now() > deadline) assert.fail('chloe is not among the participants after 15 s');
    await page.waitForTimeout(300);
    await page.goto(sessionUrl);
  }
  assert.ok(await page.getByText('Vous êtes inscrit·e.').isVisible());
  assert.ok(await page.getByRole('button', { name: 'Se désinscrire' }).isVisible());
  await checkA11y(page, 'session, registered');
  await screenshot(page, 'session');

  // It is now among "Mes séances", next to the personal calendar address.
  await page.getByRole('link', { name: 'Mes séances' }).click();
  await page.waitForLoadState();
  assert.ok((await page.getByRole('link', { name: SERIES }).count()) >= 3, 'the three sessions of chloe');
  await checkA11y(page, 'my sessions');
});

test("bruno, animateur, sees the scheduling form and the workshop's waiting list", async (t) => {
  const page = await openPage(t);
  await login(page, mairie.url, 'bruno');
  await visit(page, `${mairie.url}/communities/accueil/sessions`, 'sessions (animateur)');
  assert.ok(await page.getByRole('heading', { name: 'Programmer une séance' }).isVisible());
  await page.getByRole('link', { name: /Atelier/ }).first().click();
  await page.waitForLoadState();
  assert.ok(await page.getByRole('heading', { name: /Liste d'attente/ }).isVisible());
  await checkA11y(page, 'workshop with a waiting list');
});
