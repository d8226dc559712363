//! Finding 11 of issue 13 for edits and deletions of posts: an edit or a deletion stored when
//! the process died before queuing is published after the restart, a refused one leaves
//! nothing to replay, and a replay after the deliveries were queued queues nothing twice.

use std::sync::Arc;

use entrepairs::domain::changes::{Change, PostChange};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::ports::RecordingPublisher;
use entrepairs::domain::{DomainError, journal, posts};
use entrepairs::state::AppState;

use crate::communities::{community_on, join};
use crate::faults::{DiesBeforeQueuing, restarted};
use crate::support::{DomainNode, TestNode};

#[tokio::test]
async fn an_edit_and_a_deletion_cut_before_queuing_are_published_after_the_restart() {
    let node = DomainNode::new("faults").await;
    let alice = node.create_user("alice", false).await;
    let c = communities::create(
        &node.state,
        &alice,
        &NewCommunityInput {
            slug: "accueil".into(),
            name: "Accueil du public".into(),
            description: String::new(),
            tags: String::new(),
            join_mode: "open".into(),
            question: String::new(),
            charter: String::new(),
        },
    )
    .await
    .expect("community");
    let edited = posts::create_thread(&node.state, &alice, &c, "Horaires", "9 h")
        .await
        .expect("thread");
    let deleted = posts::create_thread(&node.state, &alice, &c, "Doublon", "à effacer")
        .await
        .expect("thread");
    let dying = AppState::with_publisher(
        (*node.state.config).clone(),
        node.state.store.clone(),
        Arc::new(DiesBeforeQueuing),
    );

    let cut = posts::edit(&dying, &alice, &edited.ap_id, "Horaires", "10 h").await;
    assert!(cut.is_err(), "the request was cut: {cut:?}");
    let cut = posts::delete(&dying, &alice, &deleted.ap_id).await;
    assert!(cut.is_err(), "the request was cut: {cut:?}");
    let stored = posts::post(&node.state, &edited.ap_id).await.expect("post");
    assert_eq!(stored.source, "10 h", "the edit is stored");
    assert!(
        node.state
            .store
            .post_by_ap_id(&deleted.ap_id)
            .await
            .expect("db")
            .is_none(),
        "the deletion is done"
    );

    // A refusal leaves nothing to replay.
    let bruno = node.create_user("bruno", false).await;
    let refused = posts::edit(&dying, &bruno, &edited.ap_id, "Horaires", "pirate").await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = posts::delete(&dying, &bruno, &edited.ap_id).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(node.state.store.journal_len().await.expect("db"), 2);

    let recorder = Arc::new(RecordingPublisher::default());
    let after = restarted(&node.state, recorder.clone()).await;
    after.store.register_instance().await.expect("register");
    assert_eq!(journal::replay(&after).await.expect("replay"), 2);
    let changes = recorder.take();
    assert!(
        changes.iter().any(|c| matches!(c,
            Change::Post(PostChange::Edited { post, .. })
                if post.ap_id == edited.ap_id && post.source == "10 h")),
        "the edit is published as stored: {changes:?}"
    );
    assert!(
        changes.iter().any(|c| matches!(c,
            Change::Post(PostChange::Deleted { ap_id, author, .. })
                if *ap_id == deleted.ap_id && author.ap_id.ends_with("/users/alice"))),
        "the deletion is published by its author: {changes:?}"
    );
    assert_eq!(after.store.journal_len().await.expect("db"), 0);
    assert_eq!(journal::replay(&after).await.expect("replay"), 0);
}

#[tokio::test]
async fn an_edit_or_deletion_replayed_after_it_was_queued_is_sent_once() {
    // SQLite only, as `faults::a_replay_after_the_deliveries_were_queued_queues_nothing_twice`.
    if crate::support::postgres_admin_url().is_some() {
        eprintln!("SQLite only: on PostgreSQL a live process keeps its claims");
        return;
    }
    let nodes = TestNode::spawn_many(2).await;
    let (host, member) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[host, member]).await;
    let owner = host.create_user("alice", false).await;
    community_on(host, &owner, "accueil", "open").await;
    let bruno = member.create_user("bruno", false).await;
    join(member, &bruno, &format!("accueil@{}", host.authority)).await;
    TestNode::drain_all(&[host, member]).await;
    let c = host
        .state
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("community");
    let p = posts::create_thread(&host.state, &owner, &c, "Horaires", "9 h")
        .await
        .expect("thread");
    TestNode::drain_all(&[host, member]).await;
    let pending = || async {
        host.state
            .store
            .count_deliveries("pending")
            .await
            .expect("db")
    };

    posts::edit(&host.state, &owner, &p.ap_id, "Horaires", "10 h")
        .await
        .expect("edit");
    assert_eq!(pending().await, 1, "one Announce of the Update");
    // The process died after queuing and before forgetting its journal entry.
    host.state
        .store
        .journal_intent(journal::POST_EDITED, &p.ap_id)
        .await
        .expect("journal");
    let after = restarted(&host.state, host.state.publisher.clone()).await;
    after.store.register_instance().await.expect("register");
    assert_eq!(journal::replay(&after).await.expect("replay"), 1);
    assert_eq!(pending().await, 1, "the same Update: not queued again");
    TestNode::drain_all(&[host, member]).await;
    let there = member
        .state
        .store
        .post_by_ap_id(&p.ap_id)
        .await
        .expect("db")
        .expect("the thread is on the member's node");
    assert_eq!(there.source, "10 h");

    posts::delete(&host.state, &owner, &p.ap_id)
        .await
        .expect("delete");
    assert_eq!(pending().await, 1, "one Announce of the Delete");
    let subject = serde_json::json!({
        "post": p.ap_id, "community": c.ap_id,
        "author": host.actor("alice").await.ap_id,
    });
    host.state
        .store
        .journal_intent(journal::POST_DELETED, &subject.to_string())
        .await
        .expect("journal");
    let after = restarted(&host.state, host.state.publisher.clone()).await;
    after.store.register_instance().await.expect("register");
    assert_eq!(journal::replay(&after).await.expect("replay"), 1);
    assert_eq!(pending().await, 1, "the same Delete: not queued again");
    TestNode::drain_all(&[host, member]).await;
    assert!(
        member
            .state
            .store
            .post_by_ap_id(&p.ap_id)
            .await
            .expect("db")
            .is_none(),
        "the deletion reached the member's node"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_session_created_edited_or_cancelled_when_the_process_died_is_announced_after_the_restart()
 {
    use entrepairs::domain::changes::EventChange;
    use entrepairs::domain::events::{self, EventInput};

    let node = DomainNode::new("faults").await;
    let alice = node.create_user("alice", false).await;
    let c = communities::create(
        &node.state,
        &alice,
        &NewCommunityInput {
            slug: "formations".into(),
            name: "Formations".into(),
            description: String::new(),
            tags: String::new(),
            join_mode: "open".into(),
            question: String::new(),
            charter: String::new(),
        },
    )
    .await
    .expect("community");
    let input = |title: &str| EventInput {
        title: title.into(),
        description: "Ordre du jour".into(),
        kind: "seance".into(),
        start: "2027-03-02T09:30".into(),
        end: "2027-03-02T12:00".into(),
        address: "Mairie, salle du conseil".into(),
        capacity: "12".into(),
        ..Default::default()
    };
    let edited = events::create(&node.state, &alice, &c, &input("Accueil"))
        .await
        .expect("session")
        .remove(0);
    let cancelled = events::create(&node.state, &alice, &c, &input("Annulée"))
        .await
        .expect("session")
        .remove(0);
    let dying = AppState::with_publisher(
        (*node.state.config).clone(),
        node.state.store.clone(),
        Arc::new(DiesBeforeQueuing),
    );

    assert!(
        events::create(&dying, &alice, &c, &input("Nouvelle"))
            .await
            .is_err()
    );
    assert!(
        events::update(&dying, &alice, edited.id, &input("Accueil renouvelé"))
            .await
            .is_err()
    );
    assert!(events::cancel(&dying, &alice, cancelled.id).await.is_err());
    // A refusal (bruno is no animateur) leaves nothing to replay.
    let bruno = node.create_user("bruno", false).await;
    let refused = events::update(&dying, &bruno, edited.id, &input("Pirate")).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(node.state.store.journal_len().await.expect("db"), 3);

    let recorder = Arc::new(RecordingPublisher::default());
    let after = restarted(&node.state, recorder.clone()).await;
    after.store.register_instance().await.expect("register");
    assert_eq!(journal::replay(&after).await.expect("replay"), 3);
    let changes = recorder.take();
    assert!(
        changes.iter().any(|ch| matches!(ch,
            Change::Event(EventChange::Created { event, .. }) if event.title == "Nouvelle")),
        "the new session is announced as created: {changes:?}"
    );
    assert!(
        changes.iter().any(|ch| matches!(ch,
            Change::Event(EventChange::Updated { event, .. })
                if event.id == edited.id && event.title == "Accueil renouvelé")),
        "the edit is announced as stored: {changes:?}"
    );
    assert!(
        changes.iter().any(|ch| matches!(ch,
            Change::Event(EventChange::Updated { event, .. })
                if event.id == cancelled.id && event.status == "cancelled")),
        "the cancellation is announced: {changes:?}"
    );
    assert_eq!(after.store.journal_len().await.expect("db"), 0);
}
