//! What other software sends, read leniently but safely: Mastodon-shaped posts to a group, a
//! top-level `Note`, `Delete{Tombstone}`, `Update{Note}`, reactions and reports, a group's
//! `Announce` of a bare object; each relaxation with the forged variant that still fails.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::db::{CommunityRow, PostRow};
use entrepairs::domain::communities;
use entrepairs::domain::posts;
use entrepairs::federation::fetch::{FetchBudget, fetch_json};

use crate::communities::{community_on, join};
use crate::support::TestNode;
use crate::support::signing::Signed;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// `body` signed by `username` of `from`, posted to `inbox`: the status.
async fn send(from: &TestNode, username: &str, inbox: &str, body: &Value) -> u16 {
    let bytes = serde_json::to_vec(body).expect("json");
    Signed::post(from, username, inbox, &bytes, SystemTime::now())
        .await
        .status()
        .await
}

async fn community(node: &TestNode, handle: &str) -> CommunityRow {
    communities::resolve(&node.state, handle)
        .await
        .expect("community")
}

async fn post(node: &TestNode, id: &str) -> Option<PostRow> {
    node.state.store.post_by_ap_id(id).await.expect("db")
}

#[tokio::test]
async fn mastodon_shaped_posts_to_a_group_become_threads_and_replies_announced_to_members_on_two_other_nodes()
 {
    let nodes = TestNode::spawn_many(4).await;
    let (a, b, c, d) = (&nodes[0], &nodes[1], &nodes[2], &nodes[3]);
    TestNode::federate(&[a, b, c, d]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    // dora plays a Mastodon user: her activities are written by hand below.
    let dora = d.create_user("dora", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    community_on(b, &bruno, "autre", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, who) in [(a, &alice), (c, &chloe), (d, &dora)] {
        join(node, who, &handle).await;
    }
    TestNode::drain_all(&[a, b, c, d]).await;
    let group = b.url("/c/accueil");
    let shared = b.url("/inbox");
    let cb = community(b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Horaires", "Quels horaires ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[a, b, c, d]).await;

    // A top-level Note, no audience, the group in cc and mentioned: Mastodon's post.
    let note = d.url("/users/dora/statuses/1");
    let note_doc = json!({
        "id": note, "type": "Note", "attributedTo": dora.actor,
        "to": [PUBLIC], "cc": [group, d.url("/users/dora/followers")],
        "content": format!("<p><span class=\"h-card\"><a href=\"{group}\" class=\"u-url mention\">@<span>accueil</span></a></span> Qui connaît la nouvelle procédure d'état civil ?</p>"),
        "published": "2026-12-01T10:00:00Z",
        "tag": [{"type": "Mention", "href": group, "name": format!("@accueil@{}", b.authority)}],
    });
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"), "type": "Create", "actor": dora.actor,
        "to": [PUBLIC], "cc": [group, d.url("/users/dora/followers")],
        "object": note_doc,
    });
    assert_eq!(send(d, "dora", &shared, &create).await, 202);
    TestNode::drain_all(&[a, b, c, d]).await;
    for node in [a, b, c] {
        let p = post(node, &note)
            .await
            .expect("the note is a thread on every member node");
        assert_eq!(p.thread_ap_id, note);
        assert!(
            p.title.starts_with("Qui connaît la nouvelle procédure"),
            "{}",
            p.title
        );
    }

    // A reply naming only the thread it answers (no audience, the group not addressed).
    let reply = d.url("/users/dora/statuses/2");
    let create_reply = json!({
        "id": format!("{reply}/activity"), "type": "Create", "actor": dora.actor,
        "to": [PUBLIC], "cc": [bruno.actor],
        "object": {"id": reply, "type": "Note", "attributedTo": dora.actor,
                   "inReplyTo": thread.ap_id, "to": [PUBLIC], "cc": [bruno.actor],
                   "content": "<p>De 9 h à 17 h.</p>"},
    });
    assert_eq!(send(d, "dora", &shared, &create_reply).await, 202);
    TestNode::drain_all(&[a, b, c, d]).await;
    for node in [a, b, c] {
        let p = post(node, &reply).await.expect("the reply is stored");
        assert_eq!(p.thread_ap_id, thread.ap_id);
    }

    // Forged: the group in cc, but the post names another community as its audience.
    let other = d.url("/users/dora/statuses/3");
    let misdirected = json!({
        "id": format!("{other}/activity"), "type": "Create", "actor": dora.actor,
        "to": [PUBLIC], "cc": [group],
        "object": {"id": other, "type": "Note", "attributedTo": dora.actor,
                   "audience": b.url("/c/autre"), "cc": [group], "content": "<p>x</p>"},
    });
    assert_eq!(send(d, "dora", &shared, &misdirected).await, 403);
    assert!(post(b, &other).await.is_none());

    // Update{Note} of one's own post is applied everywhere.
    let mut edited = create["object"].clone();
    edited["content"] = json!("<p>Qui connaît la procédure révisée ?</p>");
    edited["updated"] = json!("2026-12-01T11:00:00Z");
    let update = json!({
        "id": format!("{note}#updates/1"), "type": "Update", "actor": dora.actor,
        "to": [PUBLIC], "cc": [group], "object": edited,
    });
    assert_eq!(send(d, "dora", &shared, &update).await, 202);
    TestNode::drain_all(&[a, b, c, d]).await;
    for node in [a, b, c] {
        let p = post(node, &note).await.expect("post");
        assert!(p.content_html.contains("révisée"), "{}", p.content_html);
    }
    // Forged: an Update of a Note of another origin.
    let mut theirs = edited.clone();
    theirs["id"] = json!(thread.ap_id);
    theirs["attributedTo"] = json!(bruno.actor);
    let forged_update = json!({
        "id": d.url("/users/dora/statuses/forged-update"), "type": "Update",
        "actor": dora.actor, "to": [PUBLIC], "cc": [group], "object": theirs,
    });
    assert_eq!(send(d, "dora", &shared, &forged_update).await, 403);
    assert_eq!(
        post(b, &thread.ap_id).await.expect("kept").content_html,
        thread.content_html
    );

    // Reactions of a member, Mastodon-shaped (no audience, to the shared inbox): counted
    // (issue 19: a favourite is a « Merci », 👍 a « +1 »), the Undo removes; a Mastodon
    // report is accepted and ignored.
    let kinds = || async {
        b.state
            .store
            .community_reactions(cb.id)
            .await
            .expect("db")
            .into_iter()
            .map(|r| r.kind)
            .collect::<Vec<_>>()
    };
    let like = json!({"id": d.url("/users/dora#likes/1"), "type": "Like",
                      "actor": dora.actor, "object": thread.ap_id});
    assert_eq!(send(d, "dora", &shared, &like).await, 202);
    assert_eq!(kinds().await, ["merci"]);
    let undo = json!({"id": d.url("/users/dora#likes/1/undo"), "type": "Undo",
                      "actor": dora.actor, "object": like});
    assert_eq!(send(d, "dora", &shared, &undo).await, 202);
    assert!(kinds().await.is_empty());
    let react = json!({"id": d.url("/users/dora#reacts/1"), "type": "EmojiReact",
                       "actor": dora.actor, "content": "👍", "object": thread.ap_id});
    assert_eq!(send(d, "dora", &shared, &react).await, 202);
    assert_eq!(kinds().await, ["plus1"]);
    let flag = json!({"id": d.url("/flags/1"), "type": "Flag", "actor": d.url("/actor"),
                      "content": "Spam", "object": [bruno.actor, thread.ap_id]});
    let flag = serde_json::to_vec(&flag).expect("json");
    assert_eq!(
        Signed::post_as_instance(d, &shared, &flag)
            .await
            .status()
            .await,
        202
    );

    // Forged: a Delete{Tombstone} of someone else's post.
    let forged_delete = json!({
        "id": d.url("/users/dora#deletes/forged"), "type": "Delete", "actor": dora.actor,
        "to": [PUBLIC], "object": {"id": thread.ap_id, "type": "Tombstone"},
    });
    assert_eq!(send(d, "dora", &shared, &forged_delete).await, 403);
    assert!(post(b, &thread.ap_id).await.is_some());

    // Delete{Tombstone} of one's own post, addressed to the public only, as Mastodon sends it.
    let delete = json!({
        "id": format!("{note}#delete"), "type": "Delete", "actor": dora.actor,
        "to": [PUBLIC], "object": {"id": note, "type": "Tombstone", "atomUri": note},
    });
    assert_eq!(send(d, "dora", &shared, &delete).await, 202);
    TestNode::drain_all(&[a, b, c, d]).await;
    for node in [a, b, c] {
        assert!(post(node, &note).await.is_none(), "deleted on every node");
    }
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_profile_update_a_direct_note_and_its_delete_by_bare_id_are_applied_for_their_author_only()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, c, d) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, c, d]).await;
    let alice = a.create_user("alice", false).await;
    c.create_user("chloe", false).await;
    let dora = d.create_user("dora", false).await;
    let shared = a.url("/inbox");

    // Update{Person}: the key, and the display name and summary too.
    let mut person = fetch_json(&a.state, &dora.actor, &FetchBudget::default())
        .await
        .expect("dora's actor");
    person["name"] = json!("Dora Martin");
    person["summary"] = json!("<p>Agente d&#39;accueil &amp; état civil</p>");
    let update = json!({"id": d.url("/users/dora#updates/1"), "type": "Update",
                        "actor": dora.actor, "to": [PUBLIC], "object": person});
    assert_eq!(send(d, "dora", &shared, &update).await, 202);
    let cached = a
        .state
        .store
        .actor_by_ap_id(&dora.actor)
        .await
        .expect("db")
        .expect("cached");
    assert_eq!(cached.display_name, "Dora Martin");
    assert_eq!(cached.summary, "Agente d'accueil & état civil");

    // A note addressed to alice, then deleted by its bare id.
    let note = d.url("/users/dora/statuses/9");
    let create = json!({
        "id": format!("{note}/activity"), "type": "Create", "actor": dora.actor,
        "to": [alice.actor],
        "object": {"id": note, "type": "Note", "attributedTo": dora.actor,
                   "to": [alice.actor], "content": "<p>Bonjour Alice</p>"},
    });
    assert_eq!(send(d, "dora", &shared, &create).await, 202);
    let held = |id: String| async move { a.state.store.object_by_ap_id(&id).await.expect("db") };
    assert!(held(note.clone()).await.is_some());
    // Forged: another node's agent deletes it: nothing happens.
    let forged = json!({"id": c.url("/users/chloe#deletes/1"), "type": "Delete",
                        "actor": c.url("/users/chloe"), "object": note});
    assert_eq!(send(c, "chloe", &shared, &forged).await, 202);
    assert!(held(note.clone()).await.is_some(), "not chloe's to delete");
    let delete = json!({"id": format!("{note}#delete"), "type": "Delete",
                        "actor": dora.actor, "to": [alice.actor], "object": note});
    assert_eq!(send(d, "dora", &shared, &delete).await, 202);
    assert!(held(note.clone()).await.is_none(), "deleted by its author");
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_groups_announce_of_a_bare_object_is_read_from_its_origin_and_refused_when_the_origin_denies_it()
 {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b]).await;

    // bruno's threads are written on the host (as a Lemmy community's are); its own
    // Announces are held back, so that a learns them only from the bare Announces below.
    let cb = community(b, "accueil").await;
    let first = posts::create_thread(&b.state, &bruno, &cb, "Premier", "Le vrai texte")
        .await
        .expect("thread");
    let second = posts::create_thread(&b.state, &bruno, &cb, "Second", "Le texte d'origine")
        .await
        .expect("thread");
    assert!(post(a, &first.ap_id).await.is_none());

    let group = b
        .state
        .store
        .local_actor("accueil", "Group")
        .await
        .expect("db")
        .expect("group");
    let inbox = a.url("/inbox");
    let announce = |n: u32, object: Value| {
        let body = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": b.url(&format!("/c/accueil/activities/bare-{n}")), "type": "Announce",
            "actor": group.ap_id, "to": [PUBLIC], "cc": [b.url("/c/accueil/followers")],
            "object": object,
        });
        Signed::post_by(
            &group,
            &inbox,
            &serde_json::to_vec(&body).expect("json"),
            SystemTime::now(),
        )
    };

    // Announce{id} (Lemmy's Announce of a Page by its id) and Announce{Page} embedded: both
    // read from the post's origin, whatever the group embedded.
    assert_eq!(announce(1, json!(first.ap_id)).status().await, 202);
    assert_eq!(
        post(a, &first.ap_id).await.expect("fetched").title,
        "Premier"
    );
    let embedded = json!({"type": "Page", "id": second.ap_id, "name": "Second",
                          "attributedTo": bruno.actor, "content": "<p>Texte falsifié</p>"});
    assert_eq!(announce(2, embedded).status().await, 202);
    let stored = post(a, &second.ap_id).await.expect("fetched");
    assert!(
        stored.content_html.contains("origine"),
        "{}",
        stored.content_html
    );

    // Forged: an object its origin does not have, and one on a node that is not approved.
    let missing = format!(
        "{}/does-not-exist",
        first.ap_id.rsplit_once('/').expect("path").0
    );
    assert_eq!(announce(3, json!(missing)).status().await, 403);
    assert!(post(a, &missing).await.is_none());
    let unapproved = "http://127.0.0.1:9/posts/1";
    assert_eq!(announce(4, json!(unapproved)).status().await, 403);
    assert!(post(a, unapproved).await.is_none());

    TestNode::drain_all(&[a, b]).await;
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn statuses_tell_peers_whether_to_retry_ignored_is_202_unreadable_400_policy_403() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let inbox = b.url("/inbox");
    // About a post this node does not hold: nothing to do, nothing a retry would change.
    let note = a.url("/notes/unknown");
    let update = json!({"id": a.url("/activities/update-unknown"), "type": "Update",
                        "actor": alice.actor,
                        "object": {"id": note, "type": "Note", "attributedTo": alice.actor,
                                   "content": "<p>x</p>"}});
    assert_eq!(send(a, "alice", &inbox, &update).await, 202);
    // Unreadable: a Join without a session.
    let bad = json!({"id": a.url("/activities/join-bad"), "type": "Join", "actor": alice.actor});
    assert_eq!(send(a, "alice", &inbox, &bad).await, 400);
    // Policy: an activity whose id is on another node.
    let forged = json!({"id": b.url("/activities/not-alices"), "type": "Like",
                        "actor": alice.actor, "object": b.url("/users/bruno")});
    assert_eq!(send(a, "alice", &inbox, &forged).await, 403);
    for n in nodes {
        n.stop().await;
    }
}

// A member's node may receive a reply before the thread it answers (the thread's Announce
// failed once and waits for its retry). Refusing it with 403 lost the reply for good; it is
// now a passing failure (5xx), and the host's retry stores it once the thread has arrived.
#[tokio::test]
async fn a_reply_announced_before_its_thread_is_retried_not_refused_and_stored_after_it() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b]).await;

    // The thread and its reply are written on the host; a has seen neither yet.
    let cb = community(b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Horaires", "Qui ouvre samedi ?")
        .await
        .expect("thread");
    let reply = posts::reply(&b.state, &bruno, &thread.ap_id, "Moi, à 9 h.")
        .await
        .expect("reply");
    let group = b
        .state
        .store
        .local_actor("accueil", "Group")
        .await
        .expect("db")
        .expect("group");
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": b.url("/c/accueil/activities/early-reply"), "type": "Announce",
        "actor": group.ap_id, "to": [PUBLIC], "cc": [b.url("/c/accueil/followers")],
        "object": reply.ap_id,
    }))
    .expect("json");
    let early = Signed::post_by(&group, &a.url("/inbox"), &body, SystemTime::now())
        .send()
        .await;
    // Retried soon (our sender honours the short Retry-After), not after a minute's backoff.
    assert_eq!(
        early.status(),
        503,
        "a reply before its thread must be retried soon"
    );
    assert_eq!(
        early
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok()),
        Some("10")
    );
    assert!(post(a, &reply.ap_id).await.is_none());

    // The thread arrives; the same Announce, sent again, is stored under it.
    TestNode::drain_all(&[a, b]).await;
    assert!(post(a, &thread.ap_id).await.is_some());
    let again = Signed::post_by(&group, &a.url("/inbox"), &body, SystemTime::now())
        .status()
        .await;
    assert_eq!(again, 202);
    let stored = post(a, &reply.ap_id).await.expect("the reply is stored");
    assert_eq!(stored.thread_ap_id, thread.ap_id);

    for n in nodes {
        n.stop().await;
    }
}

// The host counts a new member as soon as it accepts them and announces to their node at
// once; that Announce can overtake the Accept. The member's node, still waiting for the
// Accept, acknowledged it (202) and dropped it: the first thread after a join was lost for
// good. While a membership of ours is pending it is now a passing failure, retried later.
#[tokio::test]
async fn an_announce_that_overtakes_the_accept_of_our_membership_is_retried_not_dropped() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    // The Follow reaches the host, which accepts; its Accept waits in the host's queue.
    a.drain().await;

    let cb = community(b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Bienvenue", "Présentez-vous.")
        .await
        .expect("thread");
    let group = b
        .state
        .store
        .local_actor("accueil", "Group")
        .await
        .expect("db")
        .expect("group");
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": b.url("/c/accueil/activities/before-accept"), "type": "Announce",
        "actor": group.ap_id, "to": [PUBLIC], "cc": [b.url("/c/accueil/followers")],
        "object": thread.ap_id,
    }))
    .expect("json");
    let early = Signed::post_by(&group, &a.url("/inbox"), &body, SystemTime::now())
        .send()
        .await;
    // "Not yet, try again in 10 s": a 503 with a short Retry-After, which senders (ours
    // included) honour, rather than a fault that waits a minute of backoff.
    assert_eq!(
        early.status(),
        503,
        "an Announce before our Accept must be retried soon"
    );
    assert_eq!(
        early
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok()),
        Some("10")
    );
    assert!(post(a, &thread.ap_id).await.is_none());

    // The Accept arrives; the Announce sent again is stored.
    b.drain().await;
    let again = Signed::post_by(&group, &a.url("/inbox"), &body, SystemTime::now())
        .status()
        .await;
    assert_eq!(again, 202);
    assert!(post(a, &thread.ap_id).await.is_some());

    for n in nodes {
        n.stop().await;
    }
}

/// Refused is not lost (issue 14, point 4): a member's node that does not allow the node of a
/// post's author refuses the group's Announce of it, but keeps it; while that node is still
/// not allowed nothing is replayed or fetched; once the admin allows it, the post is there.
#[tokio::test]
async fn a_relay_refused_for_its_authors_node_is_kept_and_backfilled_when_that_node_is_allowed() {
    use entrepairs::federation::inbox::backfill;

    let nodes = TestNode::spawn_many(3).await;
    let (h, m, t) = (&nodes[0], &nodes[1], &nodes[2]);
    // The host and the author's node allow everyone; the member's node only the host.
    TestNode::federate(&[h, m]).await;
    TestNode::federate(&[h, t]).await;
    entrepairs::domain::peers::allow(&t.state, &m.authority, "test")
        .await
        .expect("allow");
    let bruno = h.create_user("bruno", false).await;
    let alice = m.create_user("alice", false).await;
    let tom = t.create_user("tom", false).await;
    community_on(h, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", h.authority);
    join(m, &alice, &handle).await;
    join(t, &tom, &handle).await;
    TestNode::drain_all(&[h, m, t]).await;

    let ct = community(t, &handle).await;
    let thread = posts::create_thread(&t.state, &tom, &ct, "Permanence", "Qui vient samedi ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[h, m, t]).await;
    assert!(post(h, &thread.ap_id).await.is_some(), "the host has it");
    assert!(
        post(m, &thread.ap_id).await.is_none(),
        "refused: tom's node is not allowed on alice's"
    );
    let kept = m
        .state
        .store
        .refused_relays_of(&t.authority, 10)
        .await
        .expect("db");
    assert_eq!(kept.len(), 1, "the refused Announce is kept");

    // Still not allowed: nothing replayed, nothing fetched, the note stays.
    let done = backfill::replay(&m.state, &t.authority)
        .await
        .expect("replay");
    assert_eq!(done, backfill::Backfilled::default());
    assert!(post(m, &thread.ap_id).await.is_none());

    // The admin allows tom's node: the thread is backfilled and the note forgotten.
    entrepairs::domain::peers::allow(&m.state, &t.authority, "test")
        .await
        .expect("allow");
    let p = post(m, &thread.ap_id)
        .await
        .expect("backfilled once tom's node is allowed");
    assert_eq!(p.title, "Permanence");
    assert_eq!(p.attributed_to, tom.actor);
    assert!(
        m.state
            .store
            .refused_relays_of(&t.authority, 10)
            .await
            .expect("db")
            .is_empty()
    );

    TestNode::drain_all(&[h, m, t]).await;
    for n in nodes {
        n.stop().await;
    }
}
