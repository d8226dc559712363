//! The domain's rules without HTTP: a store on a fresh database and a recording publisher
//! (`support::DomainNode`). Each concept adds the rules it owns here.

use entrepairs::domain::DomainError;
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::posts;

use crate::support::DomainNode;

fn community(slug: &str) -> NewCommunityInput {
    NewCommunityInput {
        slug: slug.into(),
        name: "Accueil du public".into(),
        description: String::new(),
        tags: String::new(),
        join_mode: "open".into(),
        question: String::new(),
        charter: String::new(),
    }
}

#[tokio::test]
async fn an_agent_who_is_not_a_member_cannot_open_a_thread_and_nothing_is_published() {
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    node.published.take();

    let refused = posts::create_thread(&node.state, &bruno, &c, "Bonjour", "Premier message").await;

    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "a non-member is refused: {refused:?}"
    );
    assert!(node.published.take().is_empty(), "nothing is published");
    let threads = node.state.store.threads(c.id).await.expect("threads");
    assert!(threads.is_empty(), "no thread was stored");
}

// --- memberships, follows, sessions ---

/// An agent of another node, as if fetched from `remote.example`.
async fn remote_person(node: &DomainNode, username: &str) -> entrepairs::db::ActorRow {
    let ap_id = format!("https://remote.example/users/{username}");
    node.state
        .store
        .upsert_remote_actor(&entrepairs::db::NewActor {
            ap_id: ap_id.clone(),
            kind: "Person".into(),
            username: username.into(),
            authority: "remote.example".into(),
            is_local: false,
            display_name: username.into(),
            summary: String::new(),
            job_title: String::new(),
            institution: String::new(),
            inbox_url: format!("{ap_id}/inbox"),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            following_url: None,
            public_key_id: format!("{ap_id}#main-key"),
            public_key_pem: "PEM".into(),
            private_key_pem: None,
        })
        .await
        .expect("remote actor")
}

#[tokio::test]
async fn a_banned_agent_who_asks_to_join_again_is_refused_stays_banned_and_nothing_is_published() {
    use entrepairs::domain::memberships::{self, MembershipState};
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    memberships::join(&node.state, &bruno, &c, "")
        .await
        .expect("join");
    memberships::ban(&node.state, &alice, &c, &bruno.actor)
        .await
        .expect("ban");
    node.published.take();

    let refused = memberships::join(&node.state, &bruno, &c, "").await;

    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "a banned agent is refused: {refused:?}"
    );
    assert!(node.published.take().is_empty(), "nothing is published");
    let m = node
        .state
        .store
        .membership(c.id, bruno.actor_id)
        .await
        .expect("db")
        .expect("membership kept");
    assert_eq!(MembershipState::of(&m), MembershipState::Banned);
}

#[tokio::test]
async fn a_remote_agent_asking_to_join_an_open_community_is_admitted_and_the_admission_published() {
    use entrepairs::domain::changes::{Change, MembershipChange};
    use entrepairs::domain::memberships::{self, Admission, MembershipState, Role};
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    let group = communities::group_of(&node.state, &c).await.expect("group");
    let dora = remote_person(&node, "dora").await;
    node.published.take();

    let follow_id = "https://remote.example/activities/follow-1";
    let admission = memberships::request_received(&node.state, &group, &dora, follow_id, "Bonjour")
        .await
        .expect("request");

    assert_eq!(admission, Admission::Accepted);
    let m = node
        .state
        .store
        .membership(c.id, dora.id)
        .await
        .expect("db")
        .expect("membership");
    assert_eq!(MembershipState::of(&m), MembershipState::Accepted);
    assert_eq!(Role::of(&m), Role::Member);
    assert_eq!(m.follow_ap_id.as_deref(), Some(follow_id));
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Membership(MembershipChange::Admitted { group: g, member, follow_id: f })]
                if g.ap_id == group.ap_id && member.ap_id == dora.ap_id && f == follow_id
        ),
        "the admission is published: {published:?}"
    );
}

#[tokio::test]
async fn a_follow_answered_by_someone_else_than_the_followed_agent_changes_nothing() {
    use entrepairs::domain::follows;
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let dora = remote_person(&node, "dora").await;
    let follow_id = "https://rules.test/activities/follow-1";
    node.state
        .store
        .upsert_follow(alice.actor_id, dora.id, follow_id, "pending")
        .await
        .expect("follow");
    node.published.take();

    let refused = follows::answered(
        &node.state,
        follow_id,
        "https://remote.example/users/eve",
        true,
    )
    .await;

    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let f = node
        .state
        .store
        .follow_between(alice.actor_id, dora.id)
        .await
        .expect("db")
        .expect("follow kept");
    assert_eq!(f.state, "pending");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn a_remote_agent_following_one_of_ours_is_accepted_at_once_and_the_accept_published() {
    use entrepairs::domain::changes::{Change, FollowChange};
    use entrepairs::domain::follows;
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let dora = remote_person(&node, "dora").await;
    node.published.take();

    let follow_id = "https://remote.example/activities/follow-9";
    follows::accept_incoming(&node.state, &dora, &alice.actor, follow_id)
        .await
        .expect("follow");

    let f = node
        .state
        .store
        .follow_between(dora.id, alice.actor_id)
        .await
        .expect("db")
        .expect("follow stored");
    assert_eq!(f.state, "accepted");
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Follow(FollowChange::Accepted { follower, followee, follow_id: id })]
                if follower.ap_id == dora.ap_id && followee.ap_id == alice.actor && id == follow_id
        ),
        "the accept is published: {published:?}"
    );
}

fn session() -> entrepairs::domain::events::EventInput {
    entrepairs::domain::events::EventInput {
        title: "Séance de mars".into(),
        start: "2027-03-02T09:30".into(),
        end: "2027-03-02T12:00".into(),
        address: "Mairie, salle du conseil".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_member_who_is_not_animateur_cannot_create_a_session_and_nothing_is_published() {
    use entrepairs::domain::{events, memberships};
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    memberships::join(&node.state, &bruno, &c, "")
        .await
        .expect("join");
    node.published.take();

    let refused = events::create(&node.state, &bruno, &c, &session()).await;

    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(node.published.take().is_empty(), "nothing is published");
    let stored = node
        .state
        .store
        .community_events(c.id, 0)
        .await
        .expect("db");
    assert!(stored.is_empty(), "no session was stored");
}

#[tokio::test]
async fn an_animateur_creates_a_session_which_is_stored_and_published_as_created() {
    use entrepairs::domain::changes::{Change, EventChange};
    use entrepairs::domain::events;
    let node = DomainNode::new("rules").await;
    let alice = node.create_user("alice", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    node.published.take();

    let created = events::create(&node.state, &alice, &c, &session())
        .await
        .expect("session");

    let stored = node
        .state
        .store
        .community_events(c.id, 0)
        .await
        .expect("db");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].ap_id, created[0].ap_id);
    assert_eq!(stored[0].title, "Séance de mars");
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Event(EventChange::Created { community, event, participants })]
                if community.id == c.id && event.ap_id == stored[0].ap_id && participants.is_empty()
        ),
        "the session is published as created: {published:?}"
    );
}
