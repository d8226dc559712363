//! The home feed pages through every post of the agent's communities exactly once, newest
//! first, even when many posts share a millisecond.

use std::collections::HashSet;

use entrepairs::db::NewPost;
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::memberships;
use serde_json::Value;

use crate::support::{Browser, PASSWORD, TestNode, client};

fn community(slug: &str) -> NewCommunityInput {
    NewCommunityInput {
        slug: slug.into(),
        name: format!("Communauté {slug}"),
        description: String::new(),
        tags: String::new(),
        join_mode: "open".into(),
        question: String::new(),
        charter: String::new(),
    }
}

#[tokio::test]
async fn feed_pages_neither_skip_nor_repeat_posts_of_the_same_millisecond() {
    let node = TestNode::spawn().await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let mut ids = Vec::new();
    for slug in ["accueil", "etat-civil", "urbanisme"] {
        let c = communities::create(&node.state, &bruno, &community(slug))
            .await
            .expect("community");
        memberships::join(&node.state, &alice, &c, "")
            .await
            .expect("join");
        ids.push(c.id);
    }
    let outside = communities::create(&node.state, &bruno, &community("ailleurs"))
        .await
        .expect("community");
    let author = format!("{}/users/bruno", node.base);
    // 70 posts in alice's communities: 40 in one millisecond, so that page boundaries fall
    // inside it, and 30 spread before it; plus posts of a community she is not in.
    let ms = 1_700_000_000_000_i64;
    let mut expected = HashSet::new();
    for i in 0..80_i64 {
        let ap_id = format!("{author}/posts/{i}");
        let (community_id, published_at) = match i {
            0..40 => (ids[(i % 3) as usize], ms),
            40..70 => (ids[(i % 3) as usize], ms - i),
            _ => (outside.id, ms),
        };
        if i < 70 {
            expected.insert(ap_id.clone());
        }
        node.state
            .store
            .insert_post(&NewPost {
                ap_id: &ap_id,
                community_id,
                kind: "Page",
                authority: &node.authority,
                attributed_to: &author,
                thread_ap_id: &ap_id,
                in_reply_to: None,
                title: &format!("Fil {i}"),
                source: "",
                content_html: "<p>Message</p>",
                published_at,
                category: "discussion",
                tags: "",
                deadline: "",
            })
            .await
            .expect("post");
    }

    let token = node.token("alice").await;
    let http = client();
    let mut seen = Vec::new();
    let mut last: Option<(i64, i64)> = None;
    let mut url = node.url("/api/v1/feed");
    let mut pages = 0;
    loop {
        let page: Value = http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("feed")
            .json()
            .await
            .expect("json");
        pages += 1;
        for item in page["items"].as_array().expect("items") {
            let key = (
                item["published_at"].as_i64().expect("published_at"),
                item["id"].as_i64().expect("id"),
            );
            if let Some(prev) = last {
                assert!(
                    key < prev,
                    "newest first, ties by id: {key:?} after {prev:?}"
                );
            }
            last = Some(key);
            seen.push(item["ap_id"].as_str().expect("ap_id").to_owned());
        }
        match page["next_before"].as_str() {
            Some(next) => url = node.url(&format!("/api/v1/feed?before={next}")),
            None => break,
        }
    }
    assert_eq!(pages, 3, "70 posts: 30 + 30 + 10");
    assert_eq!(seen.len(), 70, "no post shown twice");
    assert_eq!(
        seen.into_iter().collect::<HashSet<_>>(),
        expected,
        "none skipped"
    );

    // The web page's "older" link carries the same cursor.
    let mut browser = Browser::new(&node.base);
    browser.login("alice", PASSWORD).await;
    let first = browser.get("/").await;
    assert_eq!(first.status, 200);
    let link = first
        .body
        .split("href=\"/?before=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older posts")
        .to_owned();
    let second = browser.get(&format!("/?before={link}")).await;
    assert_eq!(second.status, 200);
    assert_eq!(
        second.body.matches("class=\"card\"").count(),
        30,
        "the second page is full"
    );

    // A malformed cursor is refused, not read as the first page.
    let bad = http
        .get(node.url("/api/v1/feed?before=demain"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("feed");
    assert_eq!(bad.status(), 422);
}

/// Past 100 communities the feed uses one filtered query instead of the merge: same pages.
#[tokio::test]
async fn the_feed_of_a_member_of_many_communities_pages_the_same_way() {
    use entrepairs::db::{NewActor, NewCommunity};
    let node = TestNode::spawn().await;
    let alice = node.create_user("alice", false).await;
    let store = &node.state.store;
    let author = format!("{}/users/bruno", node.base);
    let mut expected = Vec::new();
    for k in 0..120_i64 {
        let ap_id = format!("https://partner.example/c/c{k}");
        let group = store
            .upsert_remote_actor(&NewActor {
                ap_id: ap_id.clone(),
                kind: "Group".into(),
                username: format!("c{k}"),
                authority: "partner.example".into(),
                is_local: false,
                display_name: format!("C{k}"),
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
            .expect("group");
        let c = store
            .upsert_community(&NewCommunity {
                actor_id: group.id,
                slug: &format!("c{k}"),
                name: &format!("C{k}"),
                description: "",
                tags: "",
                join_mode: "open",
                question: "",
                charter: "",
                is_local: false,
            })
            .await
            .expect("community");
        // Every other community is hers; posts of the others must not show.
        if k % 2 == 0 {
            store
                .upsert_membership(c.id, alice.actor_id, "member", "accepted", None, "")
                .await
                .expect("membership");
        }
        let ap_id = format!("{author}/posts/{k}");
        store
            .insert_post(&NewPost {
                ap_id: &ap_id,
                community_id: c.id,
                kind: "Page",
                authority: &node.authority,
                attributed_to: &author,
                thread_ap_id: &ap_id,
                in_reply_to: None,
                title: "Fil",
                source: "",
                content_html: "<p>Message</p>",
                published_at: 1_700_000_000_000 + k % 7,
                category: "discussion",
                tags: "",
                deadline: "",
            })
            .await
            .expect("post");
        if k % 2 == 0 {
            expected.push(ap_id);
        }
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = entrepairs::domain::feed::page(&node.state, &alice, before)
            .await
            .expect("page");
        seen.extend(page.posts.iter().map(|p| p.ap_id.clone()));
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 60, "her 60 communities' posts, none twice");
    expected.sort();
    seen.sort();
    assert_eq!(seen, expected);
}
