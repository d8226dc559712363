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

// --- resources and action plan ---

use entrepairs::domain::action_plan::{self, NewItem, Status};
use entrepairs::domain::changes::{ActionChange, Change, ResourceChange};
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
