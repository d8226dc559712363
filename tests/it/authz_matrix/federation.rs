//! The federation half of the matrix: every document route fetched by each kind of peer, and
//! every inbox activity type sent by each kind of sender, as the table says; a refusal leaves
//! node A's database as it was (not even the activity's id or the sender's key).

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::domain::{action_plan, communities, memberships};

use super::fingerprint;
use super::fixture::{self, World, community_of};
use super::table::{Access, Activity, Fate, PEERS, Peer, Sender, TABLE};
use super::web::fill;
use crate::support::TestNode;
use crate::support::signing::Signed;

pub struct Federated {
    pub w: World,
    /// Approved by A, no member in `atelier`.
    pub c: TestNode,
    /// Never approved by A.
    pub d: TestNode,
    /// The group `ailleurs` on B, and an item of it.
    pub ailleurs: String,
    pub ailleurs_item: String,
}

pub async fn build() -> Federated {
    let w = fixture::build().await;
    let c = TestNode::spawn_named("c").await;
    let d = TestNode::spawn_named("d").await;
    TestNode::federate(&[&w.a, &w.b, &c]).await;
    // D allows A on its side only: A never approved D.
    entrepairs::domain::peers::allow(&d.state, &w.a.authority, "test")
        .await
        .expect("allow");
    c.create_user("cora", false).await;
    d.create_user("dan", false).await;
    let bea = entrepairs::domain::accounts::by_username(&w.b.state, fixture::REMOTE)
        .await
        .expect("bea");
    crate::communities::community_on(&w.b, &bea, "ailleurs", "open").await;
    let mem = entrepairs::domain::accounts::by_username(&w.a.state, fixture::MEMBER)
        .await
        .expect("mem");
    let remote = community_of(&w.a, &format!("ailleurs@{}", w.b.authority)).await;
    memberships::join(&w.a.state, &mem, &remote, "Accueil")
        .await
        .expect("mem joins ailleurs");
    TestNode::drain_all(&[&w.a, &w.b]).await;
    let cb = communities::local(&w.b.state, "ailleurs")
        .await
        .expect("ailleurs");
    let item = action_plan::propose(
        &w.b.state,
        &bea,
        &cb,
        &action_plan::NewItem {
            title: "Sur B".into(),
            ..Default::default()
        },
    )
    .await
    .expect("item on B");
    TestNode::drain_all(&[&w.a, &w.b]).await;
    Federated {
        ailleurs: w.b.url("/c/ailleurs"),
        ailleurs_item: item.ap_id,
        w,
        c,
        d,
    }
}

/// The document routes, fetched by each peer.
pub async fn run_fetches(f: &Federated) -> (usize, Vec<String>) {
    let mut cells = 0;
    let mut wrong = Vec::new();
    let mut before = f.w.db.print().await;
    for row in TABLE {
        let Access::Fed(passing) = row.access else {
            continue;
        };
        let url = f.w.a.url(&fill(&f.w, row));
        for peer in PEERS {
            cells += 1;
            let status = match peer {
                Peer::Unsigned => crate::support::client()
                    .get(&url)
                    .header("Accept", "application/activity+json")
                    .send()
                    .await
                    .expect("GET")
                    .status()
                    .as_u16(),
                Peer::Unapproved => Signed::get(&f.d, &url).await.status().await,
                Peer::Stranger => Signed::get(&f.c, &url).await.status().await,
                Peer::MemberNode => Signed::get(&f.w.b, &url).await.status().await,
            };
            let after = f.w.db.print().await;
            let pass = passing.contains(&peer);
            let ok = if pass {
                (200..300).contains(&status)
            } else {
                matches!(status, 401 | 403 | 404)
            };
            if !ok {
                wrong.push(format!(
                    "{:<60} {peer:?}: expected {}, got {status}",
                    row.route,
                    if pass { "2xx" } else { "401/403/404" }
                ));
            }
            let changed = fingerprint::changed(&before, &after);
            if !pass && !changed.is_empty() {
                wrong.push(format!(
                    "{:<60} {peer:?}: refused ({status}) but wrote to {changed:?}",
                    row.route
                ));
            }
            before = after;
        }
    }
    (cells, wrong)
}

fn new_id(origin: &str, what: &str) -> String {
    format!("{origin}/{what}/{}", uuid::Uuid::now_v7())
}

/// The activity `what` sent by `actor` (origin `origin`), and the inbox of A it goes to.
fn activity(f: &Federated, what: &str, actor: &str, origin: &str) -> (Value, String) {
    let v = |k: &str| f.w.values[k].clone();
    let a = &f.w.a;
    let atelier = a.url("/c/atelier");
    let mem = a.url(&format!("/users/{}", fixture::MEMBER));
    let group_inbox = "/c/atelier/inbox".to_owned();
    let mem_inbox = format!("/users/{}/inbox", fixture::MEMBER);
    let shared = "/inbox".to_owned();
    let note = |id: String, author: &str, to: &str| {
        json!({"type": "Note", "id": id, "attributedTo": author, "name": "Sujet",
               "content": "<p>Bonjour</p>", "to": [to], "audience": to})
    };
    let wrap = |kind: &str, object: Value, to: &str| {
        json!({"@context": "https://www.w3.org/ns/activitystreams",
               "id": new_id(origin, "activities"), "type": kind, "actor": actor,
               "to": [to], "object": object})
    };
    let bea = f.w.b.url(&format!("/users/{}", fixture::REMOTE));
    let b_origin = f.w.b.base.clone();
    // An activity of B's member, as the host of `ailleurs` announces it.
    let inner = |object: Value, kind: &str| {
        json!({"id": new_id(&b_origin, "activities"), "type": kind, "actor": bea,
               "to": [f.ailleurs], "object": object})
    };
    match what {
        "Create Note in atelier" => (
            wrap(
                "Create",
                note(new_id(origin, "notes"), actor, &atelier),
                &atelier,
            ),
            group_inbox,
        ),
        "Create comment on item" => {
            let mut n = note(new_id(origin, "notes"), actor, &atelier);
            n["inReplyTo"] = json!(v("item_ap"));
            (wrap("Create", n, &atelier), group_inbox)
        }
        "Create item in atelier" => (
            wrap(
                "Create",
                json!({"type": "Page", "actionItem": true, "id": new_id(origin, "actions"),
                       "attributedTo": actor, "audience": atelier, "to": [atelier],
                       "name": "Relancer", "content": "<p>x</p>", "actionStatus": "proposed"}),
                &atelier,
            ),
            group_inbox,
        ),
        "Update thread of mem" => {
            let mut n = note(v("thread_ap"), &mem, &atelier);
            n["name"] = json!("Modifié par un autre");
            (wrap("Update", n, &atelier), group_inbox)
        }
        "Delete thread of mem" => (wrap("Delete", json!(v("thread_ap")), &atelier), group_inbox),
        "Update item status" => (
            wrap(
                "Update",
                json!({"type": "Page", "actionItem": true, "id": v("item_ap"),
                       "attributedTo": mem, "audience": atelier, "to": [atelier],
                       "name": "Affiches", "content": "", "actionStatus": "done"}),
                &atelier,
            ),
            group_inbox,
        ),
        "Join session" => (wrap("Join", json!(v("event_ap")), &atelier), group_inbox),
        "Flag thread" => {
            let mut flag = wrap("Flag", json!([v("thread_ap")]), &atelier);
            flag["content"] = json!("Hors sujet");
            (flag, group_inbox)
        }
        "Like thread" => (wrap("Like", json!(v("thread_ap")), &atelier), group_inbox),
        "Follow atelier" => (wrap("Follow", json!(atelier), &atelier), group_inbox),
        "Follow mem" => (wrap("Follow", json!(mem), &mem), mem_inbox),
        "Create Note to mem" => (
            wrap("Create", note(new_id(origin, "notes"), actor, &mem), &mem),
            mem_inbox,
        ),
        "Accept unknown Follow" => (
            wrap(
                "Accept",
                json!({"type": "Follow", "id": a.url("/activities/jamais-envoye"),
                       "actor": mem, "object": actor}),
                &mem,
            ),
            mem_inbox,
        ),
        "Invite mem to atelier" => {
            let mut invite = wrap("Invite", json!(atelier), &mem);
            invite["target"] = json!(mem);
            (invite, mem_inbox)
        }
        "Update Person self" => (
            wrap(
                "Update",
                json!({"type": "Person", "id": actor, "preferredUsername": "x", "name": "X"}),
                "https://www.w3.org/ns/activitystreams#Public",
            ),
            shared,
        ),
        "Update Person of bea" => (
            wrap(
                "Update",
                json!({"type": "Person", "id": bea, "preferredUsername": "bea", "name": "Usurpée"}),
                "https://www.w3.org/ns/activitystreams#Public",
            ),
            shared,
        ),
        "Delete Person self" => (
            wrap(
                "Delete",
                json!(actor),
                "https://www.w3.org/ns/activitystreams#Public",
            ),
            shared,
        ),
        "Delete Person mem" => (
            wrap(
                "Delete",
                json!(mem),
                "https://www.w3.org/ns/activitystreams#Public",
            ),
            shared,
        ),
        "Announce Create Note" => {
            let n = note(new_id(&b_origin, "notes"), &bea, &f.ailleurs);
            (wrap("Announce", inner(n, "Create"), &f.ailleurs), shared)
        }
        "Announce Create Note as mem" => {
            // Finding 2: a note said to be written here, that this node never stored.
            let n = note(
                a.url(&format!("/posts/{}", uuid::Uuid::now_v7())),
                &mem,
                &f.ailleurs,
            );
            let mut create = inner(n, "Create");
            create["actor"] = json!(mem);
            create["id"] = json!(new_id(&a.base, "activities"));
            (wrap("Announce", create, &f.ailleurs), shared)
        }
        "Announce Create comment as mem" => {
            let mut n = note(
                a.url(&format!("/comments/{}", uuid::Uuid::now_v7())),
                &mem,
                &f.ailleurs,
            );
            n["inReplyTo"] = json!(f.ailleurs_item);
            let mut create = inner(n, "Create");
            create["actor"] = json!(mem);
            create["id"] = json!(new_id(&a.base, "activities"));
            (wrap("Announce", create, &f.ailleurs), shared)
        }
        "Announce Delete comment in atelier" => {
            // Finding 3: a host deletes a comment of a community it does not host.
            let mut delete = inner(json!(v("comment_ap")), "Delete");
            delete["actor"] = json!(mem);
            delete["id"] = json!(new_id(&a.base, "activities"));
            (wrap("Announce", delete, &f.ailleurs), shared)
        }
        "Announce Create Note into atelier" => {
            let n = note(new_id(&b_origin, "notes"), &bea, &atelier);
            let mut create = inner(n, "Create");
            create["to"] = json!([atelier]);
            (wrap("Announce", create, &f.ailleurs), shared)
        }
        "Create Event in atelier" => (
            wrap(
                "Create",
                json!({"type": "Event", "name": "Séance", "attributedTo": atelier,
                       "to": [atelier], "startTime": "2030-04-01T07:30:00Z",
                       "endTime": "2030-04-01T10:00:00Z",
                       "location": {"type": "Place", "name": "Mairie"}}),
                &atelier,
            ),
            group_inbox,
        ),
        "Update Event of atelier" => (
            wrap(
                "Update",
                json!({"type": "Event", "id": v("event_ap"), "name": "Déplacée",
                       "attributedTo": atelier, "to": [atelier],
                       "startTime": "2030-04-02T07:30:00Z", "endTime": "2030-04-02T10:00:00Z",
                       "location": {"type": "Place", "name": "Mairie"}}),
                &atelier,
            ),
            group_inbox,
        ),
        "Delete Event of atelier" => (wrap("Delete", json!(v("event_ap")), &atelier), group_inbox),
        "Add mem as animateur of ailleurs" => {
            let mut add = wrap("Add", json!(mem), &mem);
            add["target"] = json!(format!("{}/moderators", f.ailleurs));
            (add, mem_inbox)
        }
        other => panic!("no activity `{other}` in federation.rs"),
    }
}

/// The inbox activities of the table, each sent by its sender.
pub async fn run_inbox(f: &Federated, table: &[Activity]) -> (usize, Vec<String>) {
    let group =
        f.w.b
            .state
            .store
            .local_actor("ailleurs", "Group")
            .await
            .expect("db")
            .expect("group");
    let group = entrepairs::domain::actor_keys::ensure(&f.w.b.state, group)
        .await
        .expect("keys")
        .into_row();
    let (cora, bea) = (f.c.actor("cora").await, f.w.b.actor(fixture::REMOTE).await);
    let dan = f.d.actor("dan").await;
    let signer = |s: Sender| match s {
        Sender::Unapproved => (&dan, f.d.base.clone()),
        Sender::Stranger => (&cora, f.c.base.clone()),
        Sender::RemoteMember => (&bea, f.w.b.base.clone()),
        Sender::Host => (&group, f.w.b.base.clone()),
    };
    // A first contact, not asserted: approved senders' keys are fetched and cached.
    for s in [Sender::Stranger, Sender::RemoteMember, Sender::Host] {
        let (actor, origin) = signer(s);
        let (doc, inbox) = activity(f, "Like thread", &actor.ap_id, &origin);
        post(f, actor, &inbox, &doc).await;
    }
    let mut wrong = Vec::new();
    let mut before = f.w.db.print().await;
    for row in table {
        let (actor, origin) = signer(row.sender);
        let (doc, inbox) = activity(f, row.what, &actor.ap_id, &origin);
        let status = post(f, actor, &inbox, &doc).await;
        let after = f.w.db.print().await;
        let changed = fingerprint::changed(&before, &after);
        let beside_id: Vec<_> = changed
            .iter()
            .filter(|t| *t != "received_activities")
            .collect();
        let cell = format!("{:<40} {:?}", row.what, row.sender);
        match row.fate {
            Fate::Refused => {
                if !(400..500).contains(&status) {
                    wrong.push(format!("{cell}: expected a refusal, got {status}"));
                }
                if !changed.is_empty() {
                    wrong.push(format!(
                        "{cell}: refused ({status}) but wrote to {changed:?}"
                    ));
                }
            }
            Fate::Ignored => {
                if !(200..300).contains(&status) || !beside_id.is_empty() {
                    wrong.push(format!(
                        "{cell}: expected 2xx and nothing done, got {status}, wrote to {changed:?}"
                    ));
                }
            }
            Fate::Applied => {
                if !(200..300).contains(&status) || beside_id.is_empty() {
                    wrong.push(format!(
                        "{cell}: expected 2xx and applied, got {status}, wrote to {changed:?}"
                    ));
                }
            }
        }
        before = after;
    }
    (table.len(), wrong)
}

async fn post(f: &Federated, actor: &entrepairs::db::ActorRow, inbox: &str, doc: &Value) -> u16 {
    let body = serde_json::to_vec(doc).expect("json");
    Signed::post_by(actor, &f.w.a.url(inbox), &body, SystemTime::now())
        .status()
        .await
}
