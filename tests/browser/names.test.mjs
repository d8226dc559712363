// Names instead of addresses (issue 17): agents find a community of another institution by
// its name, and a click on a colleague's name of another institution stays on their node.
// Each walk is audited with axe on a desktop (1280 px) and on a phone (390 px).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DESKTOP, NODES, checkA11y, login, openPage, visit } from './lib.mjs';

const [prefecture, , chu] = NODES;
const PHONE_390 = { width: 390, height: 844 };
const h1 = (page) => page.getByRole('heading', { level: 1 }).innerText();
const noAuthority = async (page, label) => {
  // The address shows only in its « Adresse » field.
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('code[id$="-address"]').forEach((c) => c.remove());
    return copy.innerText;
  });
  assert.ok(!/127\.0\.0\.1:\d/.test(text), `${label}: an authority outside the address field`);
};

for (const viewport of [DESKTOP, PHONE_390]) {
  const at = `${viewport.width} px`;

  test(`alice finds a community of the CHU by its name and joins it (${at})`, async (t) => {
    const name = `Bien-être au travail ${randomBytes(3).toString('hex')}`;
    const slug = `bien-etre-${randomBytes(3).toString('hex')}`;
    const hugo = await openPage(t, { viewport });
    await login(hugo, chu.url, 'hugo');
    await visit(hugo, `${chu.url}/communities`, `communities (hugo, ${at})`);
    const create = hugo.getByRole('region', { name: 'Créer une communauté' });
    await create.getByLabel('Identifiant court').fill(slug);
    await create.getByLabel('Nom', { exact: true }).fill(name);
    await create.getByLabel('ouverte', { exact: true }).check();
    await create.getByRole('button', { name: 'Créer', exact: true }).click();
    await hugo.waitForLoadState();
    assert.equal(await h1(hugo), name);

    const alice = await openPage(t, { viewport });
    await login(alice, prefecture.url, 'alice');
    await visit(alice, `${prefecture.url}/communities`, `communities (alice, ${at})`);
    const find = alice.getByRole('region', { name: "Rejoindre une communauté d'une autre institution" });
    await find.getByLabel(/Son nom/).fill(name.toLowerCase().replace('ê', 'e'));
    await find.getByRole('button', { name: 'Trouver' }).click();
    await alice.waitForLoadState();
    assert.match(await alice.getByRole('status').innerText(), /1 communauté trouvée/);
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
    await checkA11y(alice, `community of the CHU, joined (alice, ${at})`);
  });

  test(`chloe clicks alice's name and stays on her node (${at})`, async (t) => {
    const chloe = await openPage(t, { viewport });
    await login(chloe, chu.url, 'chloe');
    const accueil = `${chu.url}/communities/accueil@${new URL(NODES[1].url).host}`;
    await visit(chloe, accueil, `community accueil (chloe, ${at})`);
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
}
