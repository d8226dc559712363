//! Documents shaped as other software publishes them (`tests/fixtures/`), read through our
//! readers: what a Mastodon, Lemmy, Mobilizon or Fedify peer sends must be understood.

use serde_json::Value;

use super::events::read_event;
use super::from_as::{addressees, id_of, kind_of, remote_actor, str_field};
use super::posts::read_post;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn a_mastodon_note_to_a_group_is_a_thread_titled_from_its_first_words() {
    let p = read_post(&fixture("mastodon-note.json")).expect("post");
    assert_eq!(p.kind, "Page", "top-level: a thread");
    assert_eq!(p.audience, "", "no audience: the group is in cc");
    assert_eq!(p.authority, "mastodon.example");
    assert!(
        p.title.starts_with("Quelqu'un a-t-il un modèle"),
        "{}",
        p.title
    );
    assert_eq!(p.mentions, ["https://entrepairs.example/c/accueil"]);
    assert!(!p.content_html.contains("<script"));
}

#[test]
fn a_mastodon_create_carries_its_note_and_addresses_the_group_in_cc() {
    let create = fixture("mastodon-create-note.json");
    assert_eq!(kind_of(&create), Some("Create"));
    assert!(addressees(&create).contains(&"https://entrepairs.example/c/accueil".to_owned()));
    let p = read_post(&create["object"]).expect("post");
    assert_eq!(
        p.attributed_to,
        str_field(&create, "actor").expect("actor"),
        "author = actor"
    );
}

#[test]
fn a_mastodon_delete_names_its_post_in_a_tombstone() {
    let delete = fixture("mastodon-delete-tombstone.json");
    assert_eq!(kind_of(&delete), Some("Delete"));
    assert_eq!(kind_of(&delete["object"]), Some("Tombstone"));
    assert_eq!(
        id_of(&delete["object"]),
        str_field(&fixture("mastodon-note.json"), "id")
    );
}

#[test]
fn mastodon_fedify_and_lemmy_actors_are_read_with_their_keys() {
    let m = remote_actor(&fixture("mastodon-actor.json")).expect("mastodon");
    assert_eq!(m.kind, "Person");
    let f = remote_actor(&fixture("fedify-person.json")).expect("fedify");
    assert_eq!((f.kind.as_str(), f.username.as_str()), ("Person", "carol"));
    assert_eq!(
        f.public_key_id,
        "https://fedify.example/users/carol#main-key"
    );
    assert_eq!(
        f.shared_inbox_url.as_deref(),
        Some("https://fedify.example/inbox")
    );
    assert_eq!(f.summary, "Une application Fedify");
    let g = remote_actor(&fixture("lemmy-group.json")).expect("lemmy");
    assert_eq!(g.kind, "Group");
    assert_eq!(g.display_name, "Médiation numérique");
    assert_eq!(g.summary, "Entraide entre médiateurs", "HTML read as text");
    assert!(g.public_key_pem.contains("BEGIN PUBLIC KEY"));
}

#[test]
fn a_lemmy_page_and_its_announce_are_read_as_a_thread_of_the_community() {
    let p = read_post(&fixture("lemmy-page.json")).expect("page");
    assert_eq!(p.kind, "Page");
    assert_eq!(
        p.title,
        "Ateliers numériques : quels outils pour les seniors ?"
    );
    assert_eq!(p.audience, "https://lemmy.example/c/mediation");
    assert_eq!(p.source, "Nous lançons des ateliers en janvier.");
    assert_eq!(p.kind_of.tags, ["mediation"]);
    let announce = fixture("lemmy-announce.json");
    assert_eq!(kind_of(&announce), Some("Announce"));
    let inner = &announce["object"];
    assert_eq!(kind_of(inner), Some("Create"));
    let q = read_post(&inner["object"]).expect("announced page");
    assert_eq!(q.id, p.id);
    assert_eq!(Some(q.attributed_to.as_str()), str_field(inner, "actor"));
}

#[test]
fn a_mobilizon_event_is_read_as_a_session() {
    let e = read_event(&fixture("mobilizon-event.json")).expect("event");
    assert_eq!(e.title, "Café des aidants numériques");
    assert_eq!(e.attributed_to, "https://mobilizon.example/@aidants");
    assert_eq!(e.ends_at - e.starts_at, 2 * 3600 * 1000);
    assert_eq!(e.capacity, Some(25));
    assert_eq!(e.status, "confirmed");
    assert_eq!(e.address, "12 rue des Lilas");
    assert_eq!(e.kind, "seance", "no eventKind: an ordinary session");
}

#[test]
fn a_mobilizon_join_names_its_session_and_its_participant() {
    let join = fixture("mobilizon-join.json");
    let event = fixture("mobilizon-event.json");
    assert_eq!(kind_of(&join), Some("Join"));
    assert_eq!(
        join.get("object").and_then(id_of),
        id_of(&event),
        "the session a Join is about is its object, by id"
    );
    assert_eq!(
        str_field(&join, "actor"),
        Some("https://mobilizon.example/@claire")
    );
    assert!(addressees(&join).contains(&"https://mobilizon.example/@aidants".to_owned()));
}
