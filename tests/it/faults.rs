//! Finding 11 of issue 13 at the level of one node: a change stored but never queued (the
//! process died in between, or queuing failed) is replayed from the publish journal, replays
//! never queue twice, and a restarted node takes over its own interrupted claims at once.

use std::sync::Arc;

use entrepairs::db::Store;
use entrepairs::domain::changes::{Change, PostChange};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::ports::{PortFuture, Publisher, RecordingPublisher};
use entrepairs::domain::{Ctx, DomainError, journal, notes, posts};
use entrepairs::state::AppState;

use crate::communities::{community_on, join};
use crate::support::{DomainNode, TestNode};

/// A publisher that fails as a process dying before queuing would: the change is stored,
/// nothing is queued.
pub(crate) struct DiesBeforeQueuing;

impl Publisher for DiesBeforeQueuing {
    fn publish<'a>(&'a self, _ctx: &'a Ctx, _change: Change) -> PortFuture<'a, ()> {
        Box::pin(async { Err(DomainError::Unreachable("the process died".into())) })
    }
}

/// The same database opened again, as the node restarted after a crash: a new instance.
pub(crate) async fn restarted(state: &AppState, publisher: Arc<dyn Publisher>) -> AppState {
    let url = state.config.database_url.expose().to_owned();
    let store = Store::connect(&url).await.expect("database");
    AppState::with_publisher((*state.config).clone(), store, publisher)
}

#[tokio::test]
async fn a_thread_stored_when_the_process_died_before_queuing_is_published_after_the_restart() {
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
    let dying = AppState::with_publisher(
        (*node.state.config).clone(),
        node.state.store.clone(),
        Arc::new(DiesBeforeQueuing),
    );

    let cut = posts::create_thread(&dying, &alice, &c, "Bonjour", "Premier message").await;
    assert!(cut.is_err(), "the request was cut: {cut:?}");
    let threads = node.state.store.threads(c.id).await.expect("db");
    assert_eq!(threads.len(), 1, "the thread is stored");
    let stored = threads[0].ap_id.clone();
    let note = notes::publish(&dying, &alice, "Une note").await;
    assert!(note.is_err(), "the note's request was cut too");

    // A refusal leaves nothing to replay: the bad input is not stored.
    let bruno = node.create_user("bruno", false).await;
    let refused = posts::create_thread(&dying, &bruno, &c, "Intrus", "pas membre").await;
    assert!(matches!(refused, Err(DomainError::Forbidden(_))));
    assert_eq!(node.state.store.journal_len().await.expect("db"), 2);

    let recorder = Arc::new(RecordingPublisher::default());
    let after = restarted(&node.state, recorder.clone()).await;
    after.store.register_instance().await.expect("register");
    let replayed = journal::replay(&after).await.expect("replay");

    assert_eq!(replayed, 2, "the thread and the note are published");
    let changes = recorder.take();
    assert!(
        changes.iter().any(|c| matches!(c,
            Change::Post(PostChange::Created { post, .. }) if post.ap_id == stored)),
        "the thread's Created is published: {changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Post(PostChange::NotePublished { .. }))),
        "the note is published: {changes:?}"
    );
    assert_eq!(after.store.journal_len().await.expect("db"), 0);
    assert_eq!(journal::replay(&after).await.expect("replay"), 0);
}

#[tokio::test]
async fn a_replay_after_the_deliveries_were_queued_queues_nothing_twice() {
    // A restart resumes at once on SQLite, where one process serves the file; on PostgreSQL
    // other processes may be alive, and their claims and journal entries wait for their
    // heartbeat to stop (`docs/federation.md`). This test is SQLite's.
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
    let p = posts::create_thread(&host.state, &owner, &c, "Bonjour", "Premier message")
        .await
        .expect("thread");
    let queued = host
        .state
        .store
        .count_deliveries("pending")
        .await
        .expect("db");
    assert_eq!(queued, 1, "one Announce for the member's node");

    // The process died after queuing and before forgetting its journal entry.
    host.state
        .store
        .journal_intent(journal::POST_CREATED, &p.ap_id)
        .await
        .expect("journal");
    let after = restarted(&host.state, host.state.publisher.clone()).await;
    after.store.register_instance().await.expect("register");
    assert_eq!(journal::replay(&after).await.expect("replay"), 1);

    assert_eq!(
        host.state
            .store
            .count_deliveries("pending")
            .await
            .expect("db"),
        1,
        "the replayed Announce has the same id: not queued again"
    );
    TestNode::drain_all(&[host, member]).await;
    let there = member
        .state
        .store
        .post_by_ap_id(&p.ap_id)
        .await
        .expect("db");
    assert!(there.is_some(), "the thread reached the member's node");
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_restarted_node_takes_over_its_interrupted_claims_at_once_and_a_live_process_keeps_its_own()
 {
    // A restart resumes at once on SQLite, where one process serves the file; on PostgreSQL
    // other processes may be alive, and their claims and journal entries wait for their
    // heartbeat to stop (`docs/federation.md`). This test is SQLite's.
    if crate::support::postgres_admin_url().is_some() {
        eprintln!("SQLite only: on PostgreSQL a live process keeps its claims");
        return;
    }
    let nodes = TestNode::spawn_many(2).await;
    let (sender, receiver) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[sender, receiver]).await;
    let alice = sender.create_user("alice", false).await;
    let bob = receiver.create_user("bob", false).await;
    entrepairs::domain::follows::follow(
        &receiver.state,
        &bob,
        &format!("{}/users/alice", sender.base),
    )
    .await
    .expect("follow");
    TestNode::drain_all(&[sender, receiver]).await;
    notes::publish(&sender.state, &alice, "Une note")
        .await
        .expect("note");

    // A process claims the delivery and stays alive (its heartbeat is fresh)...
    let first = &sender.state.store;
    first.register_instance().await.expect("register");
    assert_eq!(
        first
            .claim_deliveries(64, 60_000)
            .await
            .expect("claim")
            .len(),
        1
    );
    let other = Store::connect(&sender.database_url).await.expect("db");
    assert!(
        other
            .claim_deliveries(64, 60_000)
            .await
            .expect("claim")
            .is_empty(),
        "a second process leaves the claim of a live one alone"
    );
    // ...then dies: the restarted node (SQLite: the only process) takes it over at once,
    // not when the 60 s lease ends.
    let restarted = Store::connect(&sender.database_url).await.expect("db");
    assert_eq!(restarted.register_instance().await.expect("register"), 1);
    let taken = restarted.claim_deliveries(64, 60_000).await.expect("claim");
    assert_eq!(
        taken.len(),
        1,
        "the interrupted delivery is taken over at once"
    );
    // A clean stop hands its claims over at once as well.
    restarted.retire_instance().await.expect("retire");
    assert_eq!(
        other
            .claim_deliveries(64, 60_000)
            .await
            .expect("claim")
            .len(),
        1
    );
    other.close().await;
    restarted.close().await;
    for n in nodes {
        n.stop().await;
    }
}
