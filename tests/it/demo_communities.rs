//! The demo's communities, seeded on three real nodes.

use entrepairs::demo::{INSTITUTIONS, communities, seed};

use crate::support::TestNode;

#[tokio::test]
async fn the_demo_seeds_accueil_on_the_mairie_with_members_of_three_nodes_and_a_pinned_kit_first() {
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    communities::seed(states).await.expect("seed");
    communities::seed(states)
        .await
        .expect("a second run changes nothing");
    let mairie = &nodes[1].state;
    let link = entrepairs::demo::welcome::seed(mairie)
        .await
        .expect("welcome")
        .expect("a join link");
    let again = entrepairs::demo::welcome::seed(mairie)
        .await
        .expect("again");
    assert_eq!(
        again.as_deref(),
        Some(link.as_str()),
        "a second run makes no new link"
    );
    let page = crate::support::client()
        .get(nodes[1].url("/decouvrir/accueil"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        page.status(),
        200,
        "the Mairie's accueil has its public page"
    );
    let accueil = mairie
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("accueil");
    assert_eq!(accueil.join_mode, "request");
    let members = mairie
        .store
        .members(accueil.id, "accepted")
        .await
        .expect("db");
    let mut authorities: Vec<_> = members.iter().map(|m| m.authority.clone()).collect();
    authorities.sort();
    authorities.dedup();
    assert_eq!(authorities.len(), 3, "members from the three institutions");
    // On the CHU's node, the survival kit comes first and the discussion has its replies.
    let chu = &nodes[2].state;
    let cached = chu
        .store
        .community_by_ap_id(&accueil.ap_id)
        .await
        .expect("db")
        .expect("cached");
    let threads = chu.store.threads(cached.id).await.expect("db");
    assert_eq!(threads.len(), 2);
    assert!(threads[0].title.starts_with("Kit de survie") && threads[0].pinned == 1);
    assert_eq!(
        chu.store
            .replies(&threads[1].ap_id)
            .await
            .expect("db")
            .len(),
        2
    );
    let assistants = nodes[0]
        .state
        .store
        .local_community("assistants")
        .await
        .expect("db")
        .expect("assistants");
    assert_eq!(assistants.join_mode, "open");
    assert_eq!(
        nodes[0]
            .state
            .store
            .members(assistants.id, "accepted")
            .await
            .expect("db")
            .len(),
        2
    );
    for n in nodes {
        n.stop().await;
    }
}
