//! Unread markers (issue 19): « nouveau » on what arrived since the agent's last visit of a
//! thread, counts of new replies on the home feed and the community's list, the « Non lus »
//! filter; on a member's node, for a thread hosted elsewhere.

use crate::communities::{community_on, join};
use crate::support::{Browser, TestNode};

const NEW: &str = "badge badge-new\">nouveau<";

#[tokio::test]
async fn an_agent_sees_what_is_new_in_a_remote_thread_since_her_last_visit() {
    let host = TestNode::spawn_named("uh").await;
    let member = TestNode::spawn_named("um").await;
    TestNode::federate(&[&host, &member]).await;
    let alice = host.create_user("alice", false).await;
    let bruno = member.create_user("bruno", false).await;
    community_on(&host, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", host.authority);
    join(&member, &bruno, &handle).await;
    TestNode::drain_all(&[&host, &member]).await;
    let c = entrepairs::domain::communities::resolve(&host.state, &handle)
        .await
        .expect("community");
    let thread = entrepairs::domain::posts::create_thread(
        &host.state,
        &alice,
        &c,
        "Horaires d'hiver",
        "Qui ferme à 16 h ?",
    )
    .await
    .expect("thread");
    TestNode::drain_all(&[&host, &member]).await;
    let copy = member
        .state
        .store
        .post_by_ap_id(&thread.ap_id)
        .await
        .expect("db")
        .expect("the thread reached bruno's node");

    let mut b = Browser::new(&member.base);
    b.login("bruno", crate::support::PASSWORD).await;
    // Never opened: the thread is new, and the « Non lus » filter shows it.
    let home = b.get("/?show=unread").await;
    assert!(home.body.contains("Horaires d&#39;hiver"), "{}", home.body);
    assert!(home.body.contains(NEW));
    assert!(
        home.body
            .contains("id=\"show-unread\" name=\"show\" value=\"unread\" checked")
    );
    // A first visit marks nothing new inside; afterwards nothing is unread.
    let page = b.get(&format!("/discussions/{}", copy.id)).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(NEW));
    let home = b.get("/?show=unread").await;
    assert!(!home.body.contains("Horaires d&#39;hiver"));
    assert!(home.body.contains("Rien de non lu"));
    assert!(
        b.get("/").await.body.contains("Horaires d&#39;hiver"),
        "« Tout » still shows it"
    );

    // Two replies arrive from the host's node.
    for text in ["Nous, à 16 h 30.", "Et le samedi ?"] {
        entrepairs::domain::posts::reply(&host.state, &alice, &thread.ap_id, text)
            .await
            .expect("reply");
    }
    TestNode::drain_all(&[&host, &member]).await;
    let home = b.get("/?show=unread").await;
    assert!(home.body.contains("2 nouvelles réponses"), "{}", home.body);
    assert!(home.body.contains("Et le samedi ?"));
    let list = b.get(&format!("/communities/{handle}")).await;
    assert!(list.body.contains("2 nouvelles réponses"));
    let page = b.get(&format!("/discussions/{}", copy.id)).await;
    assert_eq!(page.body.matches(NEW).count(), 2, "both replies are marked");
    // Seen now: reloading marks nothing, counts are gone.
    let page = b.get(&format!("/discussions/{}", copy.id)).await;
    assert_eq!(page.body.matches(NEW).count(), 0);
    assert!(
        !b.get(&format!("/communities/{handle}"))
            .await
            .body
            .contains("nouvelles réponses")
    );
    // Her own reply is never new to her.
    let mine = b
        .submit(
            &format!("/discussions/{}", copy.id),
            &format!("/discussions/{}/reply", copy.id),
            &[("body", "Merci !")],
        )
        .await;
    assert_eq!(mine.status, 303, "{}", mine.body);
    let home = b.get("/?show=unread").await;
    assert!(!home.body.contains("Merci !"), "{}", home.body);
    // An unknown filter value shows everything, no error.
    assert_eq!(b.get("/?show=%27%20OR%201").await.status, 200);
    let _ = bruno;
}
