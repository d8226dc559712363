// Communities across institutions, as agents use them: finding a partner's community
// by its address and asking to join, the owner accepting, posting a thread that an
// agent of a third institution answers, and joining an open community at once.
// Federation is asynchronous (background deliveries): what another node should
// show is awaited by reloading the page, as a user would, never by a fixed sleep.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { NODES, checkA11y, login, openPage, screenshot, visit, visitUntil } from './lib.mjs';

const [prefecture, mairie, chu] = NODES;
const authority = (node) => new URL(node.url).host;
// `accueil` is hosted by the Mairie (owner bruno; alice, chloe and farida are members,
// join on request with a question); `assistants` by the Sous-préfecture (owner damien, open).
const ACCUEIL = `accueil@${authority(mairie)}`;
const ASSISTANTS = `assistants@${authority(prefecture)}`;
const ACCUEIL_NAME = 'Accueil du public — bassin de Castelsarrasin';
const QUESTION = 'Quel accueil assurez-vous (guichet, téléphone, urgences) ?';
const KIT = "Kit de survie de l'agent d'accueil";

const suffix = () => randomBytes(3).toString('hex');

// Reloads `url` until `locator()` shows something (another node's news arrives in
// the background), then audits the page.  Fails after `timeout` ms with `what`.

const h1 = (page) => page.getByRole('heading', { level: 1 }).innerText();
const discussions = (page) => page.getByRole('region', { name: 'Discussions' });
const replies = (page) => page.getByRole('region', { name: /^Réponses/ });
const replyForm = (page) => page.getByRole('region', { name: 'Répondre' });

// First, before any test adds a post: the pages of the README, as alice sees them.
test('alice sees her feed, the accueil community and its survival kit', async (t) => {
  const page = await openPage(t);
  await login(page, prefecture.url, 'alice');
  await visit(page, `${prefecture.url}/`, 'feed');
  assert.ok(await page.getByRole('heading', { name: 'Fil de vos communautés' }).isVisible());
  // The seeded discussions of a community hosted by another institution.
  assert.ok(await page.getByText(KIT).first().isVisible(), 'the pinned kit is in the feed');
  assert.ok(await page.getByText(`dans ${ACCUEIL_NAME}`).first().isVisible(), 'with its community');
  await screenshot(page, 'feed');

  await visit(page, `${prefecture.url}/communities`, 'communities');
  await page.getByRole('link', { name: ACCUEIL_NAME }).click();
  await page.waitForLoadState();
  assert.equal(await h1(page), ACCUEIL_NAME);
  // Issue 17: the institution by its name, never by its authority.
  assert.ok(await page.getByText(`hébergée par ${mairie.name}`).isVisible(), "it says where it lives");
  assert.ok(await page.getByText('Vous êtes membre').isVisible());
  await checkA11y(page, 'community accueil (remote, member)');
  await screenshot(page, 'community');

  await discussions(page).getByRole('link', { name: KIT }).click();
  await page.waitForLoadState();
  assert.equal(await h1(page), KIT);
  assert.ok(await page.getByText('Les premiers jours').isVisible(), 'the kit is rendered from Markdown');
  assert.ok(await page.getByRole('link', { name: ACCUEIL_NAME }).isVisible(), 'a way back to the community');
  await checkA11y(page, 'thread: survival kit');
  await screenshot(page, 'thread');
});

test("elise finds the Mairie's accueil from her node, asks to join, bruno accepts", async (t) => {
  const answer = `Guichet des titres, et le téléphone le matin (${suffix()})`;

  // Elise, at the Sous-préfecture, types the address she was given.
  const elise = await openPage(t);
  await login(elise, prefecture.url, 'elise');
  await visit(elise, `${prefecture.url}/communities`, 'communities (elise)');
  const find = elise.getByRole('region', { name: "Rejoindre une communauté d'une autre institution" });
  await find.getByLabel(/son adresse/).fill(ACCUEIL);
  await find.getByRole('button', { name: 'Trouver' }).click();
  await elise.waitForLoadState();
  assert.equal(await h1(elise), ACCUEIL_NAME);
  assert.ok(await elise.getByText('Les discussions sont réservées aux membres.').isVisible());
  await checkA11y(elise, 'community accueil, found (elise, not a member)');
  // The community's question is the label of the answer field.
  await elise.getByLabel(QUESTION).fill(answer);
  await elise.getByRole('button', { name: 'Demander à rejoindre' }).click();
  await elise.waitForLoadState();
  assert.equal((await elise.getByRole('status').innerText()).trim(), 'Demande en attente de décision');
  assert.equal(await elise.getByRole('button', { name: 'Demander à rejoindre' }).count(), 0);
  await checkA11y(elise, 'community accueil, request sent (elise)');

  // Bruno, owner at the Mairie, is told, and decides on the community page.
  const bruno = await openPage(t);
  await login(bruno, mairie.url, 'bruno');
  await visitUntil(bruno, `${mairie.url}/notifications`, 'notifications (bruno)',
    () => bruno.getByText(/Élise Garcia demande à rejoindre « Accueil/), "elise's request, a sentence naming who and which community");
  const requests = bruno.getByRole('region', { name: "Demandes d'adhésion" });
  await visitUntil(bruno, `${mairie.url}/communities/accueil`, 'community accueil, request waiting (bruno)',
    () => requests.getByText(answer), "elise's answer");
  assert.ok(await requests.getByText(prefecture.name).isVisible(), 'the request says where elise works');
  await requests.getByRole('button', { name: 'Accepter Élise Garcia' }).click();
  await bruno.waitForLoadState();
  assert.equal(await requests.getByText(answer).count(), 0, 'the request is no longer waiting');
  await checkA11y(bruno, 'community accueil, request accepted (bruno)');
  await visit(bruno, `${mairie.url}/communities/accueil/members`, 'members of accueil (bruno)');
  assert.equal(await h1(bruno), 'Membres');
  assert.ok(await bruno.getByRole('link', { name: 'Élise Garcia' }).isVisible(), 'elise is listed as a member, by her name');

  // Elise, on her own node, is now a member: she sees the discussions and can post.
  const url = `${prefecture.url}/communities/${ACCUEIL}`;
  await visitUntil(elise, url, 'community accueil, member (elise)', () => elise.getByText('Vous êtes membre'), 'membership');
  assert.ok(await discussions(elise).getByRole('link', { name: KIT }).isVisible(), 'the discussions so far');
  assert.ok(await elise.getByRole('region', { name: 'Nouvelle discussion' }).isVisible(), 'a form to post');
  await visitUntil(elise, `${prefecture.url}/notifications`, 'notifications (elise)',
    () => elise.getByText(/Votre demande pour rejoindre « .* » a été acceptée/), 'the acceptance');
});

test('alice posts a thread from her node, chloe answers from hers, alice sees the reply', async (t) => {
  const title = `Permanence CAF du jeudi : qui a les nouveaux horaires ? (${suffix()})`;
  const body = 'La permanence a changé de salle, et peut-être d’horaires. Quelqu’un sait ?';
  const answer = `Au CHU, on nous a donné 9 h – 12 h, salle B (${suffix()}).`;

  // Alice (Sous-préfecture) posts in the community hosted by the Mairie.
  const alice = await openPage(t);
  await login(alice, prefecture.url, 'alice');
  const aliceCommunity = `${prefecture.url}/communities/${ACCUEIL}`;
  await visit(alice, aliceCommunity, 'community accueil (alice)');
  const form = alice.getByRole('region', { name: 'Nouvelle discussion' });
  await form.getByLabel('Titre', { exact: true }).fill(title);
  await form.getByLabel('Message').fill(body);
  await form.getByRole('button', { name: 'Publier' }).click();
  await alice.waitForLoadState();
  await visitUntil(alice, aliceCommunity, 'community accueil, thread posted (alice)',
    () => discussions(alice).getByRole('link', { name: title }), 'the new thread');

  // Chloé (CHU) sees it on her node and answers.
  const chloe = await openPage(t);
  await login(chloe, chu.url, 'chloe');
  await visitUntil(chloe, `${chu.url}/communities/${ACCUEIL}`, 'community accueil (chloe)',
    () => discussions(chloe).getByRole('link', { name: title }), "alice's thread");
  await discussions(chloe).getByRole('link', { name: title }).click();
  await chloe.waitForLoadState();
  assert.equal(await h1(chloe), title);
  assert.ok(await chloe.getByText(body).isVisible(), 'the message');
  await checkA11y(chloe, 'thread (chloe)');
  await replyForm(chloe).getByLabel('Message').fill(answer);
  await replyForm(chloe).getByRole('button', { name: 'Publier' }).click();
  await chloe.waitForLoadState();
  // .first(): the text is also in the (folded) form to edit her own reply.
  assert.ok(await replies(chloe).getByText(answer).first().isVisible(), 'chloe sees her reply');
  await checkA11y(chloe, 'thread, replied (chloe)');

  // Alice sees the reply on her node, with who wrote it.
  await alice.getByRole('link', { name: title }).click();
  await alice.waitForLoadState();
  const aliceThread = alice.url();
  await visitUntil(alice, aliceThread, 'thread with the reply (alice)', () => replies(alice).getByText(answer), "chloe's reply");
  assert.ok(await replies(alice).getByText('Chloé Dubois').isVisible(), 'the reply shows its author');

  // Bruno, at the host, sees both.
  const bruno = await openPage(t);
  await login(bruno, mairie.url, 'bruno');
  await visitUntil(bruno, `${mairie.url}/communities/accueil`, 'community accueil with the thread (bruno)',
    () => discussions(bruno).getByRole('link', { name: title }), "alice's thread");
  await discussions(bruno).getByRole('link', { name: title }).click();
  await bruno.waitForLoadState();
  await visitUntil(bruno, bruno.url(), 'thread with the reply (bruno)', () => replies(bruno).getByText(answer), "chloe's reply");
  assert.ok(await bruno.getByText(body).isVisible(), "alice's message");
});

test('ines, at the CHU, joins the open assistants community of the Sous-préfecture at once', async (t) => {
  const ines = await openPage(t);
  await login(ines, chu.url, 'ines');
  await visit(ines, `${chu.url}/communities`, 'communities (ines)');
  const find = ines.getByRole('region', { name: "Rejoindre une communauté d'une autre institution" });
  await find.getByLabel(/son adresse/).fill(ASSISTANTS);
  await find.getByRole('button', { name: 'Trouver' }).click();
  await ines.waitForLoadState();
  assert.equal(await h1(ines), 'Assistants de direction');
  assert.ok(await ines.getByText('ouverte').first().isVisible(), 'it says it is open');
  await checkA11y(ines, 'community assistants, found (ines)');
  await ines.getByRole('button', { name: 'Rejoindre', exact: true }).click();
  await ines.waitForLoadState();
  // No one has to decide: membership follows as soon as the host answers.
  const url = `${chu.url}/communities/${ASSISTANTS}`;
  await visitUntil(ines, url, 'community assistants, member (ines)', () => ines.getByText('Vous êtes membre'), 'membership');
  assert.ok(await ines.getByRole('region', { name: 'Nouvelle discussion' }).isVisible(), 'a form to post');

  // Damien, the owner, sees her among the members, with no request to decide.
  const damien = await openPage(t);
  await login(damien, prefecture.url, 'damien');
  await visitUntil(damien, `${prefecture.url}/communities/assistants/members`, 'members of assistants (damien)',
    () => damien.getByRole('link', { name: 'Inès Petit' }), 'ines, by her name');
  await visit(damien, `${prefecture.url}/communities/assistants`, 'community assistants (damien)');
  const requests = damien.getByRole('region', { name: "Demandes d'adhésion" });
  assert.equal(await requests.getByText('Inès').count(), 0, 'no request from ines waits');
});
