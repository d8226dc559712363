// Names instead of addresses (issue 17): without typing any address, alice finds a community
// of another institution by its name and joins it; bruno invites a colleague of another
// institution by name; chloe gives an action item to alice by name; a click on a colleague's
// name of another institution stays on one's own node; the admin pages work on a phone.
// Each walk runs in both themes, on a desktop (1280 px) and on a phone (390 px), with the
// axe audit on every page visited.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DESKTOP, NODES, checkA11y, login, openPage, visit, visitUntil } from './lib.mjs';

const [prefecture, mairie, chu] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;
const PHONE_390 = { width: 390, height: 844 };
const h1 = (page) => page.getByRole('heading', { level: 1 }).innerText();
const unique = () => randomBytes(3).toString('hex');
const noAuthority = async (page, label) => {
  // The address shows only in its « Adresse » field.
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('code[id$="-address"]').forEach((c) => c.remove());
    return copy.innerText;
  });
  assert.ok(!/127\.0\.0\.1:\d/.test(text), `${label}: an authority outside the address field`);
};

// Creates a community on `node` as `agent`; returns its name.
async function createCommunity(page, node, agent, label) {
  const name = `Bien-être au travail ${unique()}`;
  await login(page, node.url, agent);
  await visit(page, `${node.url}/communities`, `communities (${label})`);
  const create = page.getByRole('region', { name: 'Créer une communauté' });
  // The form is folded until asked for.
  const open = create.getByText('Créer une communauté', { exact: true });
  if (await open.isVisible() && !(await create.getByLabel('Identifiant court').isVisible())) await open.click();
  await create.getByLabel('Identifiant court').fill(`bien-etre-${unique()}`);
  await create.getByLabel('Nom', { exact: true }).fill(name);
  await create.getByLabel('ouverte', { exact: true }).check();
  await create.getByRole('button', { name: 'Créer', exact: true }).click();
  await page.waitForLoadState();
  assert.equal(await h1(page), name);
  return name;
}

for (const scheme of ['light', 'dark']) {
  for (const viewport of [DESKTOP, PHONE_390]) {
    const at = `${viewport.width} px, ${scheme === 'light' ? 'thème clair' : 'thème sombre'}`;
    const open = async (t) => {
      const page = await openPage(t, { viewport });
      await page.emulateMedia({ colorScheme: scheme });
      return page;
    };

    test(`alice finds a community of the CHU by its name and joins it (${at})`, async (t) => {
      const hugo = await open(t);
      const name = await createCommunity(hugo, chu, 'hugo', `hugo, ${at}`);

      const alice = await open(t);
      await login(alice, prefecture.url, 'alice');
      await visit(alice, `${prefecture.url}/communities`, `communities (alice, ${at})`);
      const find = alice.getByRole('region', { name: "Rejoindre une communauté d'une autre institution" });
      await find.getByLabel(/Son nom/).fill(name.toLowerCase().replace('ê', 'e'));
      await find.getByRole('button', { name: 'Trouver' }).click();
      await alice.waitForLoadState();
      assert.match(await alice.getByRole('status').first().innerText(), /1 communauté trouvée/);
      assert.ok(await alice.getByText(`hébergée par ${chu.name}`).first().isVisible(), 'the institution is named');
      await checkA11y(alice, `communities found by name (alice, ${at})`);
      await noAuthority(alice, 'results');
      await alice.getByRole('link', { name: `Voir la communauté ${name}` }).click();
      await alice.waitForLoadState();
      assert.equal(await h1(alice), name);
      assert.equal(new URL(alice.url()).origin, prefecture.url, 'alice stays on her node');
      await checkA11y(alice, `community of the CHU (alice, ${at})`);
      await noAuthority(alice, 'community page');
      await alice.getByRole('button', { name: 'Rejoindre', exact: true }).click();
      await alice.waitForLoadState();
      await visitUntil(alice, alice.url(), `community of the CHU, joined (alice, ${at})`,
        () => alice.getByText('Vous êtes membre'), 'her membership');
    });

    test(`bruno invites a colleague of the CHU by her name (${at})`, async (t) => {
      const bruno = await open(t);
      const name = await createCommunity(bruno, mairie, 'bruno', `bruno, ${at}`);
      const invite = bruno.getByRole('region', { name: "Demandes d'adhésion" });
      await invite.getByLabel('Son nom, son métier ou son institution').fill('Inès');
      await invite.getByRole('button', { name: 'Inviter' }).click();
      await bruno.waitForLoadState();
      const sent = bruno.getByText('Invitation envoyée.');
      assert.ok(await sent.isVisible(), 'bruno is told, next to the form he used');
      assert.ok(await sent.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      }), 'the confirmation is on screen, where the eye is');
      await checkA11y(bruno, `invitation sent (bruno, ${at})`);
      await noAuthority(bruno, 'invitation sent');

      // Inès, on her own node, is told in words and led to the community.
      const ines = await open(t);
      await login(ines, chu.url, 'ines');
      const told = () => ines.getByRole('listitem').filter({ hasText: `Vous êtes invité·e à rejoindre la communauté « ${name} »` });
      await visitUntil(ines, `${chu.url}/notifications`, `notifications (inès, ${at})`, told, 'the invitation');
      await noAuthority(ines, 'notifications');
      await told().getByRole('link', { name: "Voir l'invitation" }).click();
      await ines.waitForLoadState();
      assert.equal(await h1(ines), name);
      assert.equal(new URL(ines.url()).origin, chu.url, 'inès stays on her node');
      assert.ok(await ines.getByText('Vous êtes invité·e').isVisible());
      await checkA11y(ines, `community she is invited to (inès, ${at})`);
      await ines.getByRole('button', { name: 'Rejoindre', exact: true }).click();
      await ines.waitForLoadState();
      await visitUntil(ines, ines.url(), `community joined by invitation (inès, ${at})`,
        () => ines.getByText('Vous êtes membre'), 'her membership');
    });

    test(`chloe gives an action item to alice by her name (${at})`, async (t) => {
      const chloe = await open(t);
      await login(chloe, chu.url, 'chloe');
      await visit(chloe, `${chu.url}/communities/${ACCUEIL}`, `community accueil (chloe, ${at})`);
      await chloe.getByRole('link', { name: "Plan d'action", exact: true }).click();
      await chloe.waitForLoadState();
      await checkA11y(chloe, `action plan (chloe, ${at})`);
      const title = `Affiche commune des horaires ${unique()}`;
      const form = chloe.getByRole('region', { name: 'Proposer une action' });
      await form.getByLabel('Intitulé').fill(title);
      await form.getByLabel('Responsable').fill('Alice Martin');
      await form.getByRole('button', { name: 'Proposer' }).click();
      await chloe.waitForLoadState();
      // She lands on the item, which names its owner.
      assert.equal(await h1(chloe), title);
      const owner = chloe.locator('dt', { hasText: 'Responsable' }).locator('xpath=following-sibling::dd[1]');
      assert.equal((await owner.innerText()).trim(), 'Alice Martin');
      await checkA11y(chloe, `action proposed (chloe, ${at})`);
      await noAuthority(chloe, 'action item');

      // Alice, on her node, is told the item is hers.
      const alice = await open(t);
      await login(alice, prefecture.url, 'alice');
      await visitUntil(alice, `${prefecture.url}/notifications`, `notifications (alice, ${at})`,
        () => alice.getByText(title), 'the item given to her');
      await noAuthority(alice, 'notifications');
    });

    test(`chloe clicks alice's name and stays on her node (${at})`, async (t) => {
      const chloe = await open(t);
      await login(chloe, chu.url, 'chloe');
      await visit(chloe, `${chu.url}/communities/${ACCUEIL}`, `community accueil (chloe, ${at})`);
      await chloe.getByRole('link', { name: 'Usagers en colère : vos procédures ?' }).click();
      await chloe.waitForLoadState();
      await checkA11y(chloe, `thread by alice (chloe, ${at})`);
      await noAuthority(chloe, 'thread');
      await chloe.getByRole('link', { name: 'Alice Martin' }).first().click();
      await chloe.waitForLoadState();
      assert.equal(new URL(chloe.url()).origin, chu.url, 'chloe stays on her node');
      assert.equal(await h1(chloe), 'Alice Martin');
      await checkA11y(chloe, `alice's page on the CHU's node (chloe, ${at})`);
    });

    test(`the admin pages read well (${at})`, async (t) => {
      const admin = await open(t);
      await login(admin, prefecture.url, 'admin');
      for (const path of ['/admin', '/admin/federation', '/admin/accounts', '/admin/accounts/import',
        '/admin/deliveries', '/admin/mail', '/admin/audit']) {
        await visit(admin, `${prefecture.url}${path}`, `${path} (admin, ${at})`);
        const wide = await admin.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);
        assert.ok(wide <= 0, `${path}: ${wide} px wider than the screen`);
      }
    });
  }
}
