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

// --- posts ---

use entrepairs::domain::Ctx;
use entrepairs::domain::accounts::Account;
use entrepairs::domain::changes::{Change, PostChange};
use entrepairs::domain::post_store::{self, IncomingPost, Via};

/// A community hosted on `node` where `alice` owns and `bruno` is an accepted member.
async fn two_members(node: &DomainNode) -> (Account, Account, entrepairs::db::CommunityRow) {
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    node.state
        .store
        .upsert_membership(c.id, bruno.actor_id, "member", "accepted", None, "")
        .await
        .expect("membership");
    (alice, bruno, c)
}

/// A thread `id` as read from a peer, written by `author`.
fn incoming(state: &Ctx, id: &str, author: &str) -> IncomingPost {
    IncomingPost {
        id: id.into(),
        kind: "Page".into(),
        authority: state.config.authority.clone(),
        attributed_to: author.into(),
        audience: String::new(),
        in_reply_to: None,
        title: "Titre changé".into(),
        source: "piraté".into(),
        content_html: "<p>piraté</p>".into(),
        published_at: None,
        mentions: Vec::new(),
        kind_of: Default::default(),
        images: Vec::new(),
    }
}

#[tokio::test]
async fn a_member_opens_a_thread_which_is_stored_and_published_as_created() {
    let node = DomainNode::new("rules").await;
    let (_alice, bruno, c) = two_members(&node).await;
    node.published.take();

    let p = posts::create_thread(&node.state, &bruno, &c, "Bonjour", "Premier *message*")
        .await
        .expect("thread");

    let stored = node.state.store.post_by_ap_id(&p.ap_id).await.expect("db");
    let stored = stored.expect("the thread is stored");
    assert_eq!(stored.title, "Bonjour");
    assert!(stored.content_html.contains("<em>message</em>"));
    assert_eq!(stored.community_id, c.id);
    let changes = node.published.take();
    assert!(
        matches!(
            changes.as_slice(),
            [Change::Post(PostChange::Created { post, community, author, .. })]
                if post.ap_id == p.ap_id && community.id == c.id && author.ap_id == p.attributed_to
        ),
        "one Created change: {changes:?}"
    );
}

#[tokio::test]
async fn only_the_author_edits_a_post_on_every_path_and_a_refusal_changes_nothing() {
    let node = DomainNode::new("rules").await;
    let (alice, bruno, c) = two_members(&node).await;
    let p = posts::create_thread(&node.state, &alice, &c, "Bonjour", "Texte d'Alice")
        .await
        .expect("thread");
    node.published.take();
    let bruno_id = node
        .state
        .store
        .actor_by_id(bruno.actor_id)
        .await
        .expect("db")
        .expect("bruno")
        .ap_id;

    let local = posts::edit(&node.state, &bruno, &p.ap_id, "Titre", "piraté").await;
    assert!(matches!(local, Err(DomainError::Forbidden(_))), "{local:?}");
    let edit = incoming(&node.state, &p.ap_id, &bruno_id);
    let on_host = post_store::receive_edit(&node.state, &c, &bruno_id, &edit, Via::Host).await;
    assert!(
        matches!(on_host, Err(DomainError::Forbidden(_))),
        "{on_host:?}"
    );
    let announced = post_store::receive_edit(&node.state, &c, &bruno_id, &edit, Via::Group).await;
    assert!(announced.is_ok(), "announced: ignored, as the host judged");
    let by_host = post_store::receive_delete(&node.state, &c, &bruno_id, &p.ap_id, Via::Host).await;
    assert!(
        matches!(by_host, Err(DomainError::Forbidden(_))),
        "{by_host:?}"
    );

    let stored = node.state.store.post_by_ap_id(&p.ap_id).await.expect("db");
    let stored = stored.expect("the thread is still there");
    assert_eq!(stored.source, "Texte d'Alice", "the text is unchanged");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn a_post_claimed_to_be_ours_that_we_never_wrote_is_refused_and_not_stored() {
    let node = DomainNode::new("rules").await;
    let (_alice, bruno, c) = two_members(&node).await;
    let bruno_id = node
        .state
        .store
        .actor_by_id(bruno.actor_id)
        .await
        .expect("db")
        .expect("bruno")
        .ap_id;
    let forged = IncomingPost {
        audience: c.ap_id.clone(),
        ..incoming(&node.state, &node.state.urls.new_post(), &bruno_id)
    };

    let refused = post_store::receive_created(&node.state, &c, &bruno_id, &forged).await;

    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let stored = node
        .state
        .store
        .post_by_ap_id(&forged.id)
        .await
        .expect("db");
    assert!(stored.is_none(), "nothing stored");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn an_animateur_removes_a_members_post_as_the_group() {
    let node = DomainNode::new("rules").await;
    let (alice, bruno, c) = two_members(&node).await;
    let p = posts::create_thread(&node.state, &bruno, &c, "Bonjour", "Texte de Bruno")
        .await
        .expect("thread");
    node.published.take();

    posts::delete(&node.state, &alice, &p.ap_id)
        .await
        .expect("removed");

    let stored = node.state.store.post_by_ap_id(&p.ap_id).await.expect("db");
    assert!(stored.is_none(), "the post is gone");
    let changes = node.published.take();
    assert!(
        matches!(
            changes.as_slice(),
            [Change::Post(PostChange::Removed { ap_id, .. })] if *ap_id == p.ap_id
        ),
        "the group's removal, not an author's delete: {changes:?}"
    );
}

// --- resources and action plan ---

use entrepairs::domain::action_plan::{self, NewItem, Status};
use entrepairs::domain::changes::{ActionChange, ResourceChange};
use entrepairs::domain::memberships;
use entrepairs::domain::resources::{self, ResourceInput, Saved};

/// A community of alice's with bruno as a plain member, and nothing published yet.
async fn plan_node() -> (
    DomainNode,
    entrepairs::domain::accounts::Account,
    entrepairs::domain::accounts::Account,
    entrepairs::db::CommunityRow,
) {
    let node = DomainNode::new("plan").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &community("accueil"))
        .await
        .expect("community");
    memberships::join(&node.state, &bruno, &c, "")
        .await
        .expect("bruno joins");
    node.published.take();
    (node, alice, bruno, c)
}

fn item(title: &str) -> NewItem {
    NewItem {
        title: title.into(),
        description: "Un badge pour les agents d'accueil.".into(),
        owner: String::new(),
        due_on: "2027-03-01".into(),
    }
}

#[tokio::test]
async fn a_member_proposes_an_item_it_is_stored_as_proposed_and_published_once() {
    let (node, alice, _, c) = plan_node().await;

    let i = action_plan::propose(&node.state, &alice, &c, &item("Badges"))
        .await
        .expect("proposed");

    let stored = node
        .state
        .store
        .action_item_by_ap_id(&i.ap_id)
        .await
        .expect("db")
        .expect("stored");
    assert_eq!(stored.title, "Badges");
    assert_eq!(stored.status, Status::Proposed.as_str());
    assert_eq!(stored.attributed_to, alice.actor);
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Action(ActionChange::Proposed { item, author, .. })]
                if item.ap_id == i.ap_id && author.ap_id == alice.actor
        ),
        "{published:?}"
    );
}

#[tokio::test]
async fn a_plain_member_neither_changes_the_status_of_anothers_item_nor_deletes_it() {
    let (node, alice, bruno, c) = plan_node().await;
    let i = action_plan::propose(&node.state, &alice, &c, &item("Badges"))
        .await
        .expect("proposed");
    node.published.take();

    let status = action_plan::set_status(&node.state, &bruno, &i.ap_id, Status::Done).await;
    let delete = action_plan::delete(&node.state, &bruno, &i.ap_id).await;

    assert!(
        matches!(status, Err(DomainError::Forbidden(_))),
        "{status:?}"
    );
    assert!(
        matches!(delete, Err(DomainError::Forbidden(_))),
        "{delete:?}"
    );
    let stored = node
        .state
        .store
        .action_item_by_ap_id(&i.ap_id)
        .await
        .expect("db")
        .expect("still there");
    assert_eq!(stored.status, Status::Proposed.as_str());
    assert!(node.published.take().is_empty(), "nothing is published");

    // The host's animateur (alice owns the community) may do both.
    let done = action_plan::set_status(&node.state, &alice, &i.ap_id, Status::Done)
        .await
        .expect("status");
    assert_eq!(done.status, "done");
    assert!(matches!(
        node.published.take().as_slice(),
        [Change::Action(ActionChange::Changed { item, .. })] if item.status == "done"
    ));
}

fn kit(body: &str) -> ResourceInput {
    ResourceInput {
        kind: "kit".into(),
        slug: "kit-de-survie".into(),
        title: "Kit de survie".into(),
        body: body.into(),
        summary: String::new(),
    }
}

#[tokio::test]
async fn a_resource_created_on_the_host_is_published_and_a_stale_edit_changes_nothing() {
    let (node, alice, bruno, c) = plan_node().await;

    let Saved::Done(r) = resources::create(&node.state, &bruno, &c, &kit("# Kit\n\nAccueil."))
        .await
        .expect("created")
    else {
        panic!("the host applies at once");
    };
    assert_eq!(r.revision, 1);
    assert!(matches!(
        node.published.take().as_slice(),
        [Change::Resource(ResourceChange::Created(p))]
            if p.resource.ap_id == r.ap_id && p.revision.number == 1
    ));
    let Saved::Done(r2) = resources::edit(&node.state, &alice, &r, &kit("Version 2"), 1)
        .await
        .expect("edited")
    else {
        panic!("the host applies at once");
    };
    assert_eq!(r2.revision, 2);
    node.published.take();

    // bruno's edit was written on revision 1, which is no longer current: the row he holds
    // is still at 1, so the host's numbering (not the early check of the copy) refuses it.
    let stale = resources::edit(&node.state, &bruno, &r, &kit("Version de bruno"), 1).await;

    assert!(matches!(stale, Err(DomainError::Conflict(_))), "{stale:?}");
    let now = node
        .state
        .store
        .resource_by_ap_id(&r.ap_id)
        .await
        .expect("db")
        .expect("resource");
    assert_eq!(now.revision, 2);
    assert_eq!(now.source, "Version 2");
    assert!(node.published.take().is_empty(), "nothing is published");
}

// --- action plan under a hostile community host (issue 13, findings 2 and 3) ---

use entrepairs::domain::action_sync::{self, IncomingComment};

#[tokio::test]
async fn a_comment_claimed_to_be_written_here_that_this_node_never_stored_is_refused() {
    let (node, alice, _, c) = plan_node().await;
    let i = action_plan::propose(&node.state, &alice, &c, &item("Badges"))
        .await
        .expect("proposed");
    let forged = IncomingComment {
        ap_id: format!("{}/forged-comment", node.state.urls.base()),
        authority: node.state.config.authority.clone(),
        attributed_to: alice.actor.clone(),
        in_reply_to: Some(i.ap_id.clone()),
        source: "Je démissionne.".into(),
        content_html: "<p>Je démissionne.</p>".into(),
        published_at: None,
    };
    node.published.take();

    let refused = action_sync::receive_comment(&node.state, &c, &alice.actor, &forged).await;

    assert!(
        matches!(
            refused,
            Err(DomainError::Forbidden("unknown local comment"))
        ),
        "{refused:?}"
    );
    let stored = node
        .state
        .store
        .action_comment_by_ap_id(&forged.ap_id)
        .await;
    assert!(
        stored.expect("read").is_none(),
        "the forged comment is not stored"
    );
    assert!(node.published.take().is_empty());
}

#[tokio::test]
async fn only_its_author_deletes_a_comment_and_only_through_the_comments_community() {
    let (node, alice, bruno, c) = plan_node().await;
    let other = communities::create(&node.state, &alice, &community("autre"))
        .await
        .expect("second community");
    let i = action_plan::propose(&node.state, &alice, &c, &item("Badges"))
        .await
        .expect("proposed");
    let m = action_plan::comment(&node.state, &bruno, &i.ap_id, "Bonne idée.")
        .await
        .expect("commented");
    let still_there = |node: &DomainNode, id: String| {
        let store = node.state.store.clone();
        async move {
            store
                .action_comment_by_ap_id(&id)
                .await
                .expect("read")
                .is_some()
        }
    };

    // Another community's group announces the deletion: refused, the comment stays.
    let wrong_group = action_sync::cache_delete(&node.state, &other, &m.ap_id, &bruno.actor).await;
    assert!(
        matches!(wrong_group, Err(DomainError::Forbidden(_))),
        "{wrong_group:?}"
    );
    assert!(still_there(&node, m.ap_id.clone()).await);

    // Its own group, but someone else than the author: refused, the comment stays.
    let not_author = action_sync::cache_delete(&node.state, &c, &m.ap_id, &alice.actor).await;
    assert!(
        matches!(not_author, Err(DomainError::Forbidden(_))),
        "{not_author:?}"
    );
    assert!(still_there(&node, m.ap_id.clone()).await);

    // The author, through the comment's community: deleted.
    action_sync::cache_delete(&node.state, &c, &m.ap_id, &bruno.actor)
        .await
        .expect("the author's deletion");
    assert!(!still_there(&node, m.ap_id.clone()).await);
}

#[tokio::test]
async fn an_animateur_bans_neither_the_owner_nor_another_animateur_only_the_owner_may() {
    let (node, alice, bruno, c) = plan_node().await;
    let chloe = node.create_user("chloe", false).await;
    memberships::join(&node.state, &chloe, &c, "")
        .await
        .expect("chloe joins");
    for who in [&bruno, &chloe] {
        memberships::set_role(&node.state, &alice, &c, &who.actor, true)
            .await
            .expect("animateur");
    }
    node.published.take();
    let role_of = |account: &entrepairs::domain::accounts::Account| {
        let store = node.state.store.clone();
        let (cid, aid) = (c.id, account.actor_id);
        async move {
            let m = store
                .membership(cid, aid)
                .await
                .expect("read")
                .expect("member");
            (m.role, m.state)
        }
    };

    let owner = memberships::ban(&node.state, &bruno, &c, &alice.actor).await;
    assert!(matches!(owner, Err(DomainError::Forbidden(_))), "{owner:?}");
    assert_eq!(role_of(&alice).await, ("owner".into(), "accepted".into()));
    let peer = memberships::ban(&node.state, &chloe, &c, &bruno.actor).await;
    assert!(matches!(peer, Err(DomainError::Forbidden(_))), "{peer:?}");
    assert_eq!(
        role_of(&bruno).await,
        ("animateur".into(), "accepted".into())
    );
    assert!(node.published.take().is_empty(), "refusals publish nothing");

    memberships::ban(&node.state, &alice, &c, &bruno.actor)
        .await
        .expect("the owner bans an animateur");
    assert_eq!(role_of(&bruno).await.1, "banned");
}

// --- directory, departures, peers ---

use entrepairs::db::PeerUpdate;
use entrepairs::domain::changes::{AccountChange, DirectoryChange, PeerChange};
use entrepairs::domain::departures::{self, PostsChoice};
use entrepairs::domain::directory::{self, EntryInput};
use entrepairs::domain::peers;

fn entry(phone: &str) -> EntryInput {
    EntryInput {
        visibility: "circle".into(),
        service: "Accueil".into(),
        phone: phone.into(),
        phone_visibility: "circle".into(),
        email_visibility: "node".into(),
        skills: "Médiation".into(),
        mobility_visibility: "hidden".into(),
        ..EntryInput::default()
    }
}

#[tokio::test]
async fn a_directory_entry_with_a_bad_phone_is_refused_and_nothing_is_stored_or_published() {
    let node = DomainNode::new("dir-refused").await;
    let alice = node.create_user("alice", false).await;
    node.published.take();

    let refused = directory::save(&node.state, &alice, &entry("<script>")).await;

    assert!(
        matches!(refused, Err(DomainError::Invalid { field: "phone", .. })),
        "{refused:?}"
    );
    let stored = node.state.store.directory_entry(alice.actor_id).await;
    assert!(stored.expect("read").is_none(), "no entry was stored");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn a_saved_directory_entry_is_stored_and_published_for_the_circle() {
    let node = DomainNode::new("dir-saved").await;
    let alice = node.create_user("alice", false).await;
    node.published.take();

    directory::save(&node.state, &alice, &entry("01 23 45 67 89"))
        .await
        .expect("saved");

    let row = node
        .state
        .store
        .directory_entry(alice.actor_id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (row.visibility.as_str(), row.phone.as_str()),
        ("circle", "01 23 45 67 89")
    );
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Directory(DirectoryChange::Updated { actor, entry: Some(e), disabled: false })]
                if actor.ap_id == alice.actor && e.service == "Accueil"
        ),
        "{published:?}"
    );
}

#[tokio::test]
async fn the_last_admin_cannot_leave_and_nothing_is_published() {
    let node = DomainNode::new("leave-refused").await;
    let root = node.create_user("root", true).await;
    node.published.take();

    let refused = departures::remove(&node.state, &root, PostsChoice::Delete).await;

    assert!(
        matches!(refused, Err(DomainError::Conflict(_))),
        "{refused:?}"
    );
    let kept = node.state.store.account_by_id(root.id).await.expect("read");
    assert!(kept.is_some(), "the account stays");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn an_agent_who_leaves_is_closed_and_their_deletion_published_without_removing_data() {
    let node = DomainNode::new("leave").await;
    node.create_user("root", true).await;
    let alice = node.create_user("alice", false).await;
    node.published.take();

    departures::remove(&node.state, &alice, PostsChoice::Anonymise)
        .await
        .expect("left");

    let gone = node
        .state
        .store
        .account_by_id(alice.id)
        .await
        .expect("read");
    assert!(gone.is_none(), "the account is closed");
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [Change::Account(AccountChange::Deleted { actor, remove_data: false, .. })]
                if actor.ap_id == alice.actor
        ),
        "{published:?}"
    );
}

#[tokio::test]
async fn an_answer_to_a_request_we_did_not_send_changes_and_publishes_nothing() {
    let node = DomainNode::new("peer-refused").await;
    let pending = PeerUpdate {
        state: peers::PENDING,
        ..PeerUpdate::default()
    };
    node.state
        .store
        .upsert_peer("b.test", &pending)
        .await
        .expect("peer");

    peers::incoming::answer_received(&node.state, "b.test", true)
        .await
        .expect("ignored");

    let row = node
        .state
        .store
        .peer("b.test")
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.state, peers::PENDING, "still waiting for our admin");
    assert!(node.published.take().is_empty(), "nothing is published");
}

#[tokio::test]
async fn an_accepted_request_approves_the_peer_and_publishes_the_directory_exchange() {
    let node = DomainNode::new("peer-accepted").await;
    let requested = PeerUpdate {
        state: peers::REQUESTED,
        ..PeerUpdate::default()
    };
    node.state
        .store
        .upsert_peer("b.test", &requested)
        .await
        .expect("peer");

    peers::incoming::answer_received(&node.state, "b.test", true)
        .await
        .expect("accepted");

    let row = node
        .state
        .store
        .peer("b.test")
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.state, peers::APPROVED);
    let published = node.published.take();
    assert!(
        matches!(
            published.as_slice(),
            [
                Change::Peer(PeerChange::StateChanged { authority: a }),
                Change::Peer(PeerChange::AcceptedOurRequest { authority: b }),
            ] if a == "b.test" && b == "b.test"
        ),
        "{published:?}"
    );
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

// Forty members saving at the same moment on SQLite: each save reads (is the short name free?)
// and then writes. Deferred transactions made some fail at once with "database is locked"
// (SQLite refuses to upgrade a read snapshot another writer has overtaken), shown to agents
// as an internal error; write transactions now take the lock first and wait their turn.
#[tokio::test]
async fn resources_saved_at_the_same_moment_are_all_stored() {
    let (node, _alice, bruno, c) = plan_node().await;
    let inputs: Vec<ResourceInput> = (0..40)
        .map(|i| ResourceInput {
            kind: "kit".into(),
            slug: format!("fiche-{i}"),
            title: format!("Fiche {i}"),
            body: "Texte.".into(),
            summary: String::new(),
        })
        .collect();
    let results = futures_util::future::join_all(
        inputs
            .iter()
            .map(|input| resources::create(&node.state, &bruno, &c, input)),
    )
    .await;
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 40 saves failed, e.g. {:?}",
        failed.len(),
        failed.first()
    );
    let stored = node.state.store.resources_of(c.id).await.expect("list");
    assert_eq!(stored.len(), 40);
}
