//! The world the matrix runs in: node A hosts `atelier` (an owner, an animateur, a member, a
//! member on node B), with a thread, items, resources, a file, sessions, a poll, a
//! conversation; an agent in no community, an administrator, and an agent of node B.

use std::collections::HashMap;

use entrepairs::db::CommunityRow;
use entrepairs::domain::accounts;
use entrepairs::domain::action_plan::{self, NewItem};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::directory::{self, EntryInput};
use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::resources::{self, ResourceInput};
use entrepairs::domain::{membership_decisions, memberships, messages, posts, tokens};

use super::fingerprint::Db;
use crate::support::{Browser, PASSWORD, TestNode};

/// Names of the accounts of node A.
pub const OWNER: &str = "olga";
pub const ANIM: &str = "anim";
pub const MEMBER: &str = "mem";
pub const AGENT: &str = "agent";
pub const ADMIN: &str = "admin";
/// The account the administrator's actions aim at.
pub const TARGET: &str = "cible";
/// The agent of node B, member of `atelier` from there.
pub const REMOTE: &str = "bea";

pub struct World {
    pub a: TestNode,
    pub b: TestNode,
    pub db: Db,
    /// Fixture name → value, to fill the routes' parameters.
    pub values: HashMap<&'static str, String>,
}

pub async fn community_of(node: &TestNode, handle: &str) -> CommunityRow {
    communities::resolve(&node.state, handle)
        .await
        .expect("community")
}

fn last_segment(ap_id: &str) -> String {
    ap_id.rsplit('/').next().unwrap_or_default().to_owned()
}

pub async fn build() -> World {
    let a = TestNode::spawn_named("a").await;
    let b = TestNode::spawn_named("b").await;
    TestNode::federate(&[&a, &b]).await;
    let owner = a.create_user(OWNER, false).await;
    let anim = a.create_user(ANIM, false).await;
    let mem = a.create_user(MEMBER, false).await;
    a.create_user(AGENT, false).await;
    a.create_user(ADMIN, true).await;
    a.create_user(TARGET, false).await;
    let bea = b.create_user(REMOTE, false).await;

    communities::create(
        &a.state,
        &owner,
        &NewCommunityInput {
            slug: "atelier".into(),
            name: "Atelier accueil".into(),
            description: "Les agents d'accueil du bassin".into(),
            tags: "accueil".into(),
            join_mode: "open".into(),
            question: "Dans quel service travaillez-vous ?".into(),
            charter: "Bienveillance.".into(),
        },
    )
    .await
    .expect("community");
    let c = community_of(&a, "atelier").await;
    for who in [&anim, &mem] {
        memberships::join(&a.state, who, &c, "Accueil")
            .await
            .expect("join");
    }
    membership_decisions::set_role(&a.state, &owner, &c, &anim.actor, true)
        .await
        .expect("animateur");
    let cb = community_of(&b, &format!("atelier@{}", a.authority)).await;
    memberships::join(&b.state, &bea, &cb, "Accueil")
        .await
        .expect("bea joins");
    TestNode::drain_all(&[&a, &b]).await;

    let thread = posts::create_thread(&a.state, &mem, &c, "Horaires d'été", "Qui ouvre ?")
        .await
        .expect("thread");
    let thread2 = posts::create_thread(&a.state, &mem, &c, "Badges", "Où sont-ils ?")
        .await
        .expect("thread");
    // Issue 19: a reply with a photo, for the image routes.
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(4, 3)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let photo = entrepairs::domain::images::Photo {
        bytes: Some(png),
        alt: "Le planning".into(),
    };
    let with_photo =
        posts::reply_with_photos(&a.state, &mem, &thread.ap_id, "Le planning.", vec![photo])
            .await
            .expect("reply with a photo");
    let item = |title: &str| NewItem {
        title: title.into(),
        ..Default::default()
    };
    let i1 = action_plan::propose(&a.state, &mem, &c, &item("Affiches"))
        .await
        .expect("item");
    let i2 = action_plan::propose(&a.state, &mem, &c, &item("Flyers"))
        .await
        .expect("item");
    let comment = action_plan::comment(&a.state, &mem, &i1.ap_id, "Je m'en occupe.")
        .await
        .expect("comment");
    for (slug, title) in [("guide", "Guide d'accueil"), ("fiche", "Fiche réflexe")] {
        resources::create(
            &a.state,
            &owner,
            &c,
            &ResourceInput {
                kind: "guide".into(),
                slug: slug.into(),
                title: title.into(),
                body: "Accueillir avec le sourire.".into(),
                summary: String::new(),
            },
        )
        .await
        .expect("resource");
    }
    let session = |title: &str| EventInput {
        title: title.into(),
        kind: "atelier".into(),
        start: "2030-03-02T09:30".into(),
        end: "2030-03-02T12:00".into(),
        address: "Mairie, salle du conseil".into(),
        ..Default::default()
    };
    let e1 = events::create(&a.state, &owner, &c, &session("Atelier badges"))
        .await
        .expect("session")
        .remove(0);
    let e2 = events::create(&a.state, &owner, &c, &session("Atelier affiches"))
        .await
        .expect("session")
        .remove(0);
    let message = messages::send(&a.state, &mem, &a.handle_of(AGENT), "Bonjour !")
        .await
        .expect("message");
    let agent_account = accounts::by_username(&a.state, AGENT).await.expect("agent");
    directory::save(
        &a.state,
        &agent_account,
        &EntryInput {
            visibility: "node".into(),
            service: "Accueil".into(),
            phone_visibility: "node".into(),
            email_visibility: "node".into(),
            mobility_visibility: "node".into(),
            ..Default::default()
        },
    )
    .await
    .expect("directory entry");
    let (spare, _) = tokens::create(&a.state, &owner, "de rechange")
        .await
        .expect("token");

    // A file and a poll, through the owner's pages.
    let mut olga = Browser::new(&a.base);
    olga.login(OWNER, PASSWORD).await;
    let up = olga
        .upload(
            "/communities/atelier/resources/guide",
            "/communities/atelier/resources/guide/attachments",
            "plan.pdf",
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        )
        .await;
    assert_eq!(up.status, 303, "the owner adds a file: {}", up.body);
    let page = olga
        .submit(
            "/communities/atelier/sondages",
            "/communities/atelier/sondages",
            &[
                ("title", "Quel jour ?"),
                ("options", "Lundi\nMardi"),
                ("results", "always"),
                ("end_time", "2030-03-01T12:00"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "the owner opens a poll: {}", page.body);

    entrepairs::domain::notifications::send(
        &a.state,
        owner.actor_id,
        entrepairs::domain::notifications::kind::REPLY,
        &mem.actor,
        Some(c.id),
        Some(&thread.ap_id),
    )
    .await;
    let db = Db::open(&a.database_url).await;
    let pool = db.pool().clone();
    let one = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }
    };
    let attachment = one("SELECT MAX(id) FROM resource_attachments").await;
    let poll = one("SELECT MAX(post_id) FROM polls").await;
    let post_image = one("SELECT MAX(id) FROM post_images").await;
    let notification: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM notifications WHERE account_id = $1")
            .bind(owner.id)
            .fetch_one(db.pool())
            .await
            .expect("a notification of the owner");

    let mut values = HashMap::new();
    let mut put = |k: &'static str, v: String| {
        values.insert(k, v);
    };
    put("handle", "atelier".into());
    put("community", "atelier".into());
    put("community_id", c.id.to_string());
    put("slug", "guide".into());
    put("resource", "guide".into());
    put("resource2", "fiche".into());
    put("username", MEMBER.into());
    put("target", TARGET.into());
    put("kind", "veille".into());
    put("token", "jeton-inconnu-0123456789".into());
    put("secret", "secret-inconnu-0123456789".into());
    put("authority", "nulle-part.invalid".into());
    put("decision", "approve".into());
    put("action", "disable".into());
    put("file", "1.svg".into());
    put("link", "1.svg".into());
    put("missing", "999999".into());
    put("thread", thread.id.to_string());
    put("thread2", thread2.id.to_string());
    put("thread_uuid", last_segment(&thread.ap_id));
    put("item", i1.id.to_string());
    put("item2", i2.id.to_string());
    put("item_ap", i1.ap_id.clone());
    put("comment_ap", comment.ap_id.clone());
    put("thread_ap", thread.ap_id.clone());
    put("event_ap", e1.ap_id.clone());
    put("item_uuid", last_segment(&i1.ap_id));
    put("event", e1.id.to_string());
    put("event2", e2.id.to_string());
    put("event_uuid", last_segment(&e1.ap_id));
    put("poll", poll.to_string());
    put("attachment", attachment.to_string());
    put("notification", notification.to_string());
    put("token_id", spare.id.to_string());
    put("conversation", message.conversation.clone());
    put("directory", agent_account.actor_id.to_string());
    put("image", post_image.to_string());
    put("first", "1".into());
    put("photo_reply_uuid", last_segment(&with_photo.ap_id));
    World { a, b, db, values }
}
