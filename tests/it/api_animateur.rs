//! Polls and attendance through `/api/v1`, on two nodes: a date poll opened by the host's
//! animateur, voted on from both nodes, the vote changed, the leading date scheduled; the
//! roster marked and each present agent's trainings listed. Bad input (a non-member, a
//! second vote, an unknown option, after closing, a non-animateur marking attendance, a
//! stranger in the list, a session not begun) is refused with nothing written.

use reqwest::Response;
use serde_json::{Value, json};

use entrepairs::db::now_ms;
use entrepairs::domain::communities;
use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::polls::{self, PollSpec, Results};

use crate::communities::{community_on, join};
use crate::support::{TestNode, client};

async fn call(
    node: &TestNode,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut req = client()
        .request(method, node.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("api")
}

async fn status_and_json(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn votes(node: &TestNode, id: i64) -> Vec<(String, String)> {
    node.state
        .store
        .poll_votes(id)
        .await
        .expect("db")
        .into_iter()
        .map(|v| (v.voter, v.option_name))
        .collect()
}

#[tokio::test]
async fn polls_through_the_api_count_one_changeable_vote_per_member_and_refuse_bad_ballots() {
    use reqwest::Method;
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let emma = b.create_user("emma", false).await;
    b.create_user("nina", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    join(b, &emma, "accueil").await;
    TestNode::drain_all(&[a, b]).await;
    let (tb, te, tn, ta) = (
        b.token("bruno").await,
        b.token("emma").await,
        b.token("nina").await,
        a.token("alice").await,
    );

    // A poll with one answer is refused, nothing created.
    let (st, err) = status_and_json(
        call(
            b,
            &tb,
            Method::POST,
            "/communities/accueil/polls",
            Some(
                json!({"title": "Quelle date ?", "options": ["2099-03-12T14:00"],
                        "dates": true, "end_time": "2099-01-01T12:00"}),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(st, 422, "{err}");
    assert_eq!(err["error"]["field"], "options");
    let (_, list) =
        status_and_json(call(b, &tb, Method::GET, "/communities/accueil/polls", None).await).await;
    assert_eq!(list, json!([]));

    // The date poll: three dates, every member ticks those that suit them.
    let (st, poll) = status_and_json(
        call(
            b,
            &tb,
            Method::POST,
            "/communities/accueil/polls",
            Some(json!({"title": "Quelle date pour la séance de mars ?",
                        "options": ["2099-03-12T14:00", "2099-03-19T14:00", "2099-03-26"],
                        "dates": true, "end_time": "2099-01-01T12:00"})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 201, "{poll}");
    assert_eq!(poll["multiple"], true, "a date poll takes several dates");
    assert_eq!(poll["options"][2]["name"], "2099-03-26");
    let id = poll["id"].as_i64().expect("id");
    TestNode::drain_all(&[a, b]).await;
    let vote = format!("/polls/{id}/vote");

    // A non-member: refused, nothing written.
    let res = call(
        b,
        &tn,
        Method::POST,
        &vote,
        Some(json!({"choices": ["2099-03-12T14:00"]})),
    )
    .await;
    assert!(
        matches!(res.status().as_u16(), 403 | 404),
        "{}",
        res.status()
    );
    assert!(votes(b, id).await.is_empty());

    // emma votes; a second POST is refused (change it with PUT), nothing written.
    let (st, after) = status_and_json(
        call(
            b,
            &te,
            Method::POST,
            &vote,
            Some(json!({"choices": ["2099-03-12T14:00"]})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 201, "{after}");
    assert_eq!(after["my_choices"], json!(["2099-03-12T14:00"]));
    assert_eq!(after["options"][0]["total"], 1);
    let (st, err) = status_and_json(
        call(
            b,
            &te,
            Method::POST,
            &vote,
            Some(json!({"choices": ["2099-03-19T14:00"]})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 409, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("message")
            .contains("PUT")
    );
    assert_eq!(
        votes(b, id).await,
        [(emma.actor.clone(), "2099-03-12T14:00".into())]
    );

    // An option the poll does not list: refused, her vote unchanged.
    let res = call(
        b,
        &te,
        Method::PUT,
        &vote,
        Some(json!({"choices": ["2099-04-01"]})),
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = call(b, &te, Method::PUT, &vote, Some(json!({"choices": []}))).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        votes(b, id).await,
        [(emma.actor.clone(), "2099-03-12T14:00".into())]
    );

    // She changes her vote.
    let (st, after) = status_and_json(
        call(
            b,
            &te,
            Method::PUT,
            &vote,
            Some(json!({"choices": ["2099-03-19T14:00", "2099-03-26"]})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 200, "{after}");
    assert_eq!(after["options"][0]["total"], 0);
    assert_eq!(after["options"][1]["total"], 1);
    assert_eq!(after["options"][1]["voters"], json!([emma.actor]));

    // alice votes from node A through A's API; the host counts it.
    let (_, remote) = status_and_json(
        call(
            a,
            &ta,
            Method::GET,
            &format!("/communities/{handle}/polls"),
            None,
        )
        .await,
    )
    .await;
    let on_a = remote[0]["id"].as_i64().expect("the poll reached A");
    let res = call(
        a,
        &ta,
        Method::POST,
        &format!("/polls/{on_a}/vote"),
        Some(json!({"choices": ["2099-03-19T14:00"]})),
    )
    .await;
    assert_eq!(res.status(), 201);
    TestNode::drain_all(&[a, b]).await;
    let (_, shown) =
        status_and_json(call(b, &tb, Method::GET, &format!("/polls/{id}"), None).await).await;
    assert_eq!(shown["voters_count"], 2);
    assert_eq!(shown["options"][1]["total"], 2);

    // A member who is not an animateur cannot schedule it; bruno can, at the leading date.
    let session = format!("/polls/{id}/session");
    let res = call(
        b,
        &te,
        Method::POST,
        &session,
        Some(json!({"address": "Salle du conseil"})),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = call(
        b,
        &tb,
        Method::POST,
        &session,
        Some(json!({"address": "  "})),
    )
    .await;
    assert_eq!(res.status(), 422);
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    assert!(
        b.state
            .store
            .community_events(cb.id, 0)
            .await
            .expect("db")
            .is_empty()
    );
    let (st, e) = status_and_json(
        call(
            b,
            &tb,
            Method::POST,
            &session,
            Some(json!({"address": "Salle du conseil"})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 201, "{e}");
    assert_eq!(e["title"], "Quelle date pour la séance de mars ?");
    assert!(
        e["start"]
            .as_str()
            .expect("start")
            .starts_with("2099-03-19"),
        "{e}"
    );

    // After closing: refused, nothing written.
    let short = polls::create(
        &b.state,
        &bruno,
        &cb,
        "Pot de fin d'année ?",
        "",
        PollSpec {
            multiple: false,
            anonymous: true,
            results: Results::AfterClose,
            dates: false,
            end_time: now_ms() + 1_500,
            options: vec!["Oui".into(), "Non".into()],
        },
    )
    .await
    .expect("poll");
    let (_, hidden) =
        status_and_json(call(b, &te, Method::GET, &format!("/polls/{}", short.id), None).await)
            .await;
    assert_eq!(
        hidden["options"][0]["total"],
        Value::Null,
        "results hidden until closing"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_600)).await;
    let res = call(
        b,
        &te,
        Method::POST,
        &format!("/polls/{}/vote", short.id),
        Some(json!({"choices": ["Oui"]})),
    )
    .await;
    assert_eq!(res.status(), 409);
    assert!(votes(b, short.id).await.is_empty());
}

#[tokio::test]
async fn attendance_through_the_api_is_marked_by_the_animateur_only_and_listed_in_each_agents_trainings()
 {
    use reqwest::Method;
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let emma = b.create_user("emma", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    join(a, &alice, &format!("accueil@{}", b.authority)).await;
    join(b, &emma, "accueil").await;
    TestNode::drain_all(&[a, b]).await;
    let (tb, te, ta) = (
        b.token("bruno").await,
        b.token("emma").await,
        a.token("alice").await,
    );
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let session = |day: &str| EventInput {
        title: "Atelier kit de survie".into(),
        kind: "atelier".into(),
        start: format!("{day}T09:30"),
        end: format!("{day}T12:00"),
        address: "Mairie, salle du conseil".into(),
        ..Default::default()
    };
    let yesterday = jiff::Zoned::now()
        .date()
        .yesterday()
        .expect("date")
        .to_string();
    let past = events::create(&b.state, &bruno, &cb, &session(&yesterday))
        .await
        .expect("past session")
        .remove(0);
    let coming = events::create(&b.state, &bruno, &cb, &session("2099-03-02"))
        .await
        .expect("coming session")
        .remove(0);
    TestNode::drain_all(&[a, b]).await;
    let path = format!("/events/{}/attendance", past.id);
    let marked = || async {
        b.state
            .store
            .attended_events(&emma.actor)
            .await
            .expect("db")
            .len()
    };

    // A member who is not an animateur: refused, nothing written.
    assert_eq!(call(b, &te, Method::GET, &path, None).await.status(), 403);
    let res = call(
        b,
        &te,
        Method::PUT,
        &path,
        Some(json!({"present": [emma.actor]})),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(marked().await, 0);
    // A stranger in the list refuses the whole list.
    let res = call(
        b,
        &tb,
        Method::PUT,
        &path,
        Some(json!({"present": [emma.actor, "https://ailleurs.example/users/zoe"]})),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(marked().await, 0);
    // A session that has not begun.
    let res = call(
        b,
        &tb,
        Method::PUT,
        &format!("/events/{}/attendance", coming.id),
        Some(json!({"present": [emma.actor]})),
    )
    .await;
    assert_eq!(res.status(), 409);
    assert_eq!(marked().await, 0);

    // The roster offers the members as walk-ins; bruno marks alice (node A) and emma.
    let (st, roster) = status_and_json(call(b, &tb, Method::GET, &path, None).await).await;
    assert_eq!(st, 200, "{roster}");
    let people = roster["people"].as_array().expect("people");
    assert!(
        people
            .iter()
            .any(|p| p["actor"] == alice.actor.as_str() && p["state"] == "member")
    );
    let (st, roster) = status_and_json(
        call(
            b,
            &tb,
            Method::PUT,
            &path,
            Some(json!({"present": [alice.actor, emma.actor]})),
        )
        .await,
    )
    .await;
    assert_eq!(st, 200, "{roster}");
    let present: Vec<&str> = roster["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter(|p| p["present"] == true)
        .filter_map(|p| p["actor"].as_str())
        .collect();
    assert_eq!(present.len(), 2, "{roster}");
    TestNode::drain_all(&[a, b]).await;

    // Each finds it in their trainings, on their own node, with the attestation's address.
    for (node, token) in [(a, &ta), (b, &te)] {
        let (st, list) =
            status_and_json(call(node, token, Method::GET, "/me/trainings", None).await).await;
        assert_eq!(st, 200, "{list}");
        assert_eq!(list.as_array().expect("list").len(), 1, "{list}");
        assert_eq!(list[0]["event"]["title"], "Atelier kit de survie");
        assert!(
            list[0]["attestation_url"]
                .as_str()
                .expect("url")
                .starts_with(&node.base),
            "{list}"
        );
    }
    // bruno was not marked: nothing listed.
    let (_, none) = status_and_json(call(b, &tb, Method::GET, "/me/trainings", None).await).await;
    assert_eq!(none, json!([]));
}
