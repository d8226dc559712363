//! The directory across three nodes: an agent of A is found on C by métier and skill, only
//! with the fields they show the circle (page, API, vCard, actor document), and no longer
//! once they hide their entry, are disabled, or A is revoked; forged updates change nothing.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::domain::accounts::{self, Account, ProfileInput};
use entrepairs::domain::directory::{self, EntryInput};

use crate::support::TestNode;
use crate::support::signing::Signed;

fn entry(visibility: &str) -> EntryInput {
    EntryInput {
        visibility: visibility.into(),
        branch: "fpe".into(),
        service: "Bureau de l'accueil".into(),
        phone: "05 63 11 22 33".into(),
        phone_visibility: "node".into(),
        email: "alice.martin@prefecture.example".into(),
        email_visibility: "circle".into(),
        skills: "Médiation\nAccueil du public, Titres d'identité".into(),
        mobility: Some("on".into()),
        mobility_visibility: "circle".into(),
        welcomes_newcomers: None,
    }
}

async fn alice_in_directory(a: &TestNode) -> Account {
    let alice = a.create_user("alice", false).await;
    let alice = accounts::update_profile(
        &a.state,
        &alice,
        &ProfileInput {
            display_name: "Alice Martin".into(),
            job_title: "Agente d'accueil".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("profile");
    directory::save(&a.state, &alice, &entry("circle"))
        .await
        .expect("entry saved");
    alice
}

/// The names the API of `node` finds for `q`, as `who` (a token) sees them.
async fn api_find(node: &TestNode, token: &str, q: &str) -> Vec<Value> {
    let res = crate::support::client()
        .get(node.url(&format!(
            "/api/v1/directory?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        )))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 200);
    res.json::<Vec<Value>>().await.expect("json")
}

/// A minimal vCard reader: unfolds lines (RFC 6350 §3.2), splits name and value.
fn vcard_properties(text: &str) -> Vec<(String, String)> {
    assert!(text.contains("\r\n"), "CRLF line ends");
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, value) = l.split_once(':').expect("NAME:value");
            (
                name.split(';').next().expect("name").to_ascii_uppercase(),
                value.to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_agent_of_a_is_found_on_c_by_metier_and_skill_with_only_circle_fields_until_hidden() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = alice_in_directory(a).await;
    TestNode::drain_all(&[a, b, c]).await;
    let mut web = c.logged_in("chloe", false).await;
    let token = c.token("chloe").await;

    // Found by métier and by skill, accents and case ignored.
    for q in [
        "agente d'accueil",
        "mediation",
        "TITRES",
        "médiations",
        "Mart",
    ] {
        let found = api_find(c, &token, q).await;
        assert_eq!(found.len(), 1, "{q}: {found:?}");
        assert_eq!(found[0]["name"], "Alice Martin");
    }
    let found = &api_find(c, &token, "médiation").await[0];
    assert_eq!(found["branch"], "FPE");
    assert_eq!(found["email"], "alice.martin@prefecture.example");
    assert_eq!(found["open_to_mobility"], true);
    assert_eq!(
        found["phone"],
        Value::Null,
        "the phone is for A's agents only"
    );
    let id = found["id"].as_i64().expect("id");

    // A's own agents see the phone.
    let damien_token = {
        a.create_user("damien", false).await;
        a.token("damien").await
    };
    assert_eq!(
        api_find(a, &damien_token, "mediation").await[0]["phone"],
        "05 63 11 22 33"
    );

    // The page, the vCard and the actor document fetched by C never show the phone.
    let page = web.get("/directory?q=m%C3%A9diation").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Alice Martin") && page.body.contains("Bureau de l"),
        "{}",
        page.body
    );
    let page = web.get(&format!("/directory/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("alice.martin@prefecture.example"));
    assert!(!page.body.contains("11 22 33"));
    let card = web.get(&format!("/directory/{id}/vcard")).await;
    assert_eq!(card.status, 200);
    let props = vcard_properties(&card.body);
    let get = |n: &str| props.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(props.first().map(|p| p.0.as_str()), Some("BEGIN"));
    assert_eq!(get("VERSION"), Some("4.0"));
    assert_eq!(get("FN"), Some("Alice Martin"));
    assert_eq!(get("TITLE"), Some("Agente d'accueil"));
    assert_eq!(get("EMAIL"), Some("alice.martin@prefecture.example"));
    assert_eq!(
        get("CATEGORIES"),
        Some("Médiation,Accueil du public,Titres d'identité")
    );
    assert_eq!(get("TEL"), None, "no node-only phone in the vCard");
    assert_eq!(props.last().map(|p| p.1.as_str()), Some("VCARD"));

    let doc: Value = Signed::get(c, &alice.actor)
        .await
        .set_header("Accept", "application/activity+json")
        .send()
        .await
        .json()
        .await
        .expect("actor document");
    assert_eq!(doc["inDirectory"], true);
    assert_eq!(doc["workEmail"], "alice.martin@prefecture.example");
    assert!(doc.get("workPhone").is_none(), "{doc}");
    assert!(!doc.to_string().contains("11 22 33"));

    // Making the email node-only removes it from C's copy.
    let mut e = entry("circle");
    e.email_visibility = "node".into();
    directory::save(&a.state, &alice, &e).await.expect("save");
    TestNode::drain_all(&[a, b, c]).await;
    let found = &api_find(c, &token, "mediation").await[0];
    assert_eq!(found["email"], Value::Null);

    // Hidden: C stops finding her, her page is gone; A's agents do not see it either.
    directory::save(&a.state, &alice, &entry("hidden"))
        .await
        .expect("hide");
    TestNode::drain_all(&[a, b, c]).await;
    assert!(api_find(c, &token, "mediation").await.is_empty());
    b.create_user("bruno", false).await;
    assert!(
        api_find(b, &b.token("bruno").await, "mediation")
            .await
            .is_empty()
    );
    assert_eq!(web.get(&format!("/directory/{id}")).await.status, 404);
    assert!(api_find(a, &damien_token, "mediation").await.is_empty());

    // Node only: A's agents find her, C does not.
    directory::save(&a.state, &alice, &entry("node"))
        .await
        .expect("node only");
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(api_find(a, &damien_token, "mediation").await.len(), 1);
    assert!(api_find(c, &token, "mediation").await.is_empty());
}

#[tokio::test]
async fn a_disabled_agent_and_a_revoked_node_leave_the_directory_of_the_others() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    alice_in_directory(a).await;
    let bea = b.create_user("bea", false).await;
    directory::save(&b.state, &bea, &entry("circle"))
        .await
        .expect("bea's entry");
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(
        directory::find(&c.state, "mediation")
            .await
            .expect("find")
            .len(),
        2
    );

    accounts::set_disabled(&b.state, "bea", true)
        .await
        .expect("disable");
    TestNode::drain_all(&[a, b, c]).await;
    let names: Vec<String> = directory::find(&c.state, "mediation")
        .await
        .expect("find")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["Alice Martin"]);
    assert!(
        directory::find(&b.state, "mediation")
            .await
            .expect("find")
            .iter()
            .all(|e| e.handle != format!("bea@{}", b.authority))
    );

    entrepairs::domain::peers::revoke(&c.state, &a.authority, "test")
        .await
        .expect("revoke");
    assert!(
        directory::find(&c.state, "mediation")
            .await
            .expect("find")
            .is_empty()
    );
    // Nor does C's full-text search.
    let chloe = c.create_user("chloe", false).await;
    let hits = entrepairs::domain::search::search(&c.state, &chloe, "médiation")
        .await
        .expect("search");
    assert!(hits.is_empty(), "{hits:?}");
}

#[tokio::test]
async fn forged_or_malformed_directory_updates_change_nothing() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = alice_in_directory(a).await;
    b.create_user("bruno", false).await;
    TestNode::drain_all(&[a, b, c]).await;
    let inbox = c.url("/inbox");
    let now = SystemTime::now();
    let person = |id: &str, extra: Value| {
        let mut p = json!({"type": "Person", "id": id, "inDirectory": true,
            "skills": ["Faux"], "service": "Faux service"});
        if let (Value::Object(p), Value::Object(e)) = (&mut p, extra) {
            p.extend(e);
        }
        p
    };

    // B's agent speaking for A's alice: refused (origin), nothing changed on C.
    let forged = json!({"type": "Update", "id": format!("{}/activities/forged", b.url("")),
        "actor": b.actor("bruno").await.ap_id, "object": person(&alice.actor, json!({}))});
    let status = Signed::post(b, "bruno", &inbox, forged.to_string().as_bytes(), now)
        .await
        .status()
        .await;
    assert_eq!(status, 403);

    // B's agent updating another agent of B: refused too.
    let damien = b.create_user("damien", false).await;
    let other = json!({"type": "Update", "id": format!("{}/activities/other", b.url("")),
        "actor": b.actor("bruno").await.ap_id, "object": person(&damien.actor, json!({}))});
    let status = Signed::post(b, "bruno", &inbox, other.to_string().as_bytes(), now)
        .await
        .status()
        .await;
    assert!(status == 403, "{status}");

    // Alice's own node, with a bad field: refused whole.
    let mut doc: Value = Signed::get(c, &alice.actor)
        .await
        .set_header("Accept", "application/activity+json")
        .send()
        .await
        .json()
        .await
        .expect("actor");
    doc["workPhone"] = json!("<script>alert(1)</script>");
    doc["service"] = json!("Changé");
    let bad = json!({"type": "Update", "id": format!("{}/activities/bad", a.url("")),
        "actor": alice.actor, "object": doc});
    let status = Signed::post(a, "alice", &inbox, bad.to_string().as_bytes(), now)
        .await
        .status()
        .await;
    assert_eq!(status, 400);

    let found = directory::find(&c.state, "mediation").await.expect("find");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].service, "Bureau de l'accueil");
    assert!(
        directory::find(&c.state, "faux")
            .await
            .expect("find")
            .is_empty()
    );
}

#[tokio::test]
async fn the_demo_directory_shows_agents_of_the_three_nodes_with_one_phone_kept_home() {
    use entrepairs::demo::{INSTITUTIONS, seed};
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    let (pref, mairie, chu) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[pref, mairie, chu]).await;
    for node in &nodes {
        entrepairs::demo::directory::seed(&node.state)
            .await
            .expect("seed");
        entrepairs::demo::directory::seed(&node.state)
            .await
            .expect("a second run changes nothing");
    }
    TestNode::drain_all(&[pref, mairie, chu]).await;
    let on_chu = directory::find(&chu.state, "").await.expect("find");
    let mut authorities: Vec<_> = on_chu
        .iter()
        .map(|e| e.handle.split('@').nth(1).unwrap_or_default().to_owned())
        .collect();
    authorities.sort();
    authorities.dedup();
    assert_eq!(authorities.len(), 3, "entries from the three institutions");
    let farida = directory::find(&chu.state, "formations cnfpt")
        .await
        .expect("find");
    assert_eq!(farida.len(), 1);
    assert_eq!(farida[0].open_to_mobility, Some(true));
    let damien = &directory::find(&chu.state, "protocole")
        .await
        .expect("find")[0];
    assert_eq!(
        damien.phone, None,
        "damien's phone stays at the sous-préfecture"
    );
    let damien_home = &directory::find(&pref.state, "protocole")
        .await
        .expect("find")[0];
    assert!(damien_home.phone.is_some());
    assert!(
        directory::find(&chu.state, "chorus")
            .await
            .expect("find")
            .is_empty(),
        "elise's entry is for her own institution"
    );
    assert_eq!(
        directory::find(&pref.state, "chorus")
            .await
            .expect("find")
            .len(),
        1
    );
}

#[tokio::test]
async fn entries_written_before_a_federation_is_approved_reach_both_sides_at_approval() {
    use entrepairs::domain::peers;
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    alice_in_directory(a).await;
    let bea = b.create_user("bea", false).await;
    let mut e = entry("circle");
    e.skills = "Archives".into();
    directory::save(&b.state, &bea, &e).await.expect("bea");
    TestNode::drain_all(&[a, b]).await;
    assert!(
        directory::find(&b.state, "mediation")
            .await
            .expect("f")
            .is_empty()
    );

    peers::request(&a.state, &b.authority, "Bonjour", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    peers::approve(&b.state, &a.authority, "admin")
        .await
        .expect("approve");
    TestNode::drain_all(&[a, b]).await;

    assert_eq!(
        directory::find(&a.state, "archives")
            .await
            .expect("f")
            .len(),
        1,
        "A pulled B's directory"
    );
    let on_b = directory::find(&b.state, "mediation").await.expect("f");
    assert_eq!(on_b.len(), 1, "A pushed its entries to B");
    assert_eq!(on_b[0].phone, None);

    // The collection is for approved peers only: an unsigned request gets nothing.
    let res = crate::support::client()
        .get(b.url("/federation/directory"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn an_agent_edits_their_entry_on_the_web_and_the_api_and_bad_input_changes_nothing() {
    let node = TestNode::spawn().await;
    let mut web = node.logged_in("alice", false).await;
    let form = web.get("/directory/me").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Ma fiche annuaire"));
    let fields = |phone: &'static str| {
        vec![
            ("visibility", "node"),
            ("branch", "fpt"),
            ("service", "Archives"),
            ("phone", phone),
            ("phone_visibility", "node"),
            ("email", ""),
            ("email_visibility", "hidden"),
            ("skills", "Archivage\nNumérisation"),
            ("mobility", "on"),
            ("mobility_visibility", "circle"),
        ]
    };
    let bad = web
        .submit("/directory/me", "/directory/me", &fields("<b>appelez</b>"))
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(
        bad.body.contains("n&#39;est pas un numéro de téléphone")
            || bad.body.contains("n'est pas un numéro de téléphone"),
        "{}",
        bad.body
    );
    let alice = entrepairs::domain::accounts::by_username(&node.state, "alice")
        .await
        .expect("alice");
    assert!(
        node.state
            .store
            .directory_entry(alice.actor_id)
            .await
            .expect("db")
            .is_none(),
        "nothing saved"
    );
    let ok = web
        .submit("/directory/me", "/directory/me", &fields("05 63 00 00 00"))
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        directory::find(&node.state, "numerisation")
            .await
            .expect("find")
            .len(),
        1
    );

    // The API: the same rules.
    let token = node.token("alice").await;
    let put = |body: Value| {
        crate::support::client()
            .put(node.url("/api/v1/directory/me"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let res = put(json!({"visibility": "everyone"})).await.expect("PUT");
    assert_eq!(res.status(), 422);
    let res = put(json!({"visibility": "circle", "email": "pas une adresse"}))
        .await
        .expect("PUT");
    assert_eq!(res.status(), 422);
    assert_eq!(
        directory::find(&node.state, "numerisation")
            .await
            .expect("find")[0]
            .service,
        "Archives",
        "a refused update keeps the entry"
    );
    let res = put(json!({"visibility": "hidden", "phone_visibility": "node",
        "email_visibility": "node", "mobility_visibility": "node"}))
    .await
    .expect("PUT");
    assert_eq!(res.status(), 200);
    assert!(
        directory::find(&node.state, "")
            .await
            .expect("find")
            .is_empty()
    );
}
