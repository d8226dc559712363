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
