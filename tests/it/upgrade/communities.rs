//! Samples for migration 20261122000020 (communities): a local Group actor and its community,
//! a membership of the foundation's local agent, a thread, a notification and a report.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000020;

const GROUP: &str = "http://upgrade.test/c/accueil";
const THREAD: &str = "http://upgrade.test/posts/kit";

pub async fn insert(pool: &AnyPool) {
    let (group_actor,): (i64,) = sqlx::query_as(
        "INSERT INTO actors (ap_id, kind, username, authority, is_local, display_name, summary, \
         job_title, institution, inbox_url, public_key_id, public_key_pem, created_at, updated_at) \
         VALUES ($1, 'Group', 'accueil', 'upgrade.test', 1, 'Accueil', '', '', 'Mairie', \
         $2, $3, 'PEM', 1700000000000, 1700000000000) RETURNING id",
    )
    .bind(GROUP)
    .bind(format!("{GROUP}/inbox"))
    .bind(format!("{GROUP}#main-key"))
    .fetch_one(pool)
    .await
    .expect("group actor");
    let (community,): (i64,) = sqlx::query_as(
        "INSERT INTO communities (actor_id, slug, name, description, tags, join_mode, question, \
         charter, members_only, is_local, created_at, updated_at) VALUES ($1, 'accueil', \
         'Accueil du public', 'Les agents d''accueil', 'accueil', 'request', 'Quel accueil ?', \
         'Bienveillance', 1, 1, 1700000000000, 1700000000000) RETURNING id",
    )
    .bind(group_actor)
    .fetch_one(pool)
    .await
    .expect("community");
    let (person, account): (i64, i64) = sqlx::query_as(
        "SELECT a.id, ac.id FROM actors a JOIN accounts ac ON ac.actor_id = a.id ORDER BY a.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the foundation's agent");
    sqlx::query(
        "INSERT INTO memberships (community_id, actor_id, role, state, follow_ap_id, answer, \
         created_at, updated_at) VALUES ($1, $2, 'owner', 'accepted', NULL, 'Guichet', \
         1700000000000, 1700000000000)",
    )
    .bind(community)
    .bind(person)
    .execute(pool)
    .await
    .expect("membership");
    sqlx::query(
        "INSERT INTO posts (ap_id, community_id, kind, authority, attributed_to, thread_ap_id, \
         in_reply_to, title, source, content_html, pinned, locked, published_at, updated_at) \
         VALUES ($1, $2, 'Page', 'upgrade.test', 'http://upgrade.test/users/alice', $1, NULL, \
         'Kit de survie', '# Kit', '<h1>Kit</h1>', 1, 0, 1700000000000, 1700000000000)",
    )
    .bind(THREAD)
    .bind(community)
    .execute(pool)
    .await
    .expect("post");
    sqlx::query(
        "INSERT INTO notifications (account_id, kind, actor_ap_id, community_id, post_ap_id, \
         read_at, created_at) VALUES ($1, 'reply', 'http://upgrade.test/users/alice', $2, $3, \
         NULL, 1700000000000)",
    )
    .bind(account)
    .bind(community)
    .bind(THREAD)
    .execute(pool)
    .await
    .expect("notification");
    sqlx::query(
        "INSERT INTO reports (ap_id, community_id, post_ap_id, reporter, reason, state, created_at) \
         VALUES ('http://upgrade.test/flags/1', $1, $2, 'http://upgrade.test/users/alice', \
         'hors sujet', 'open', 1700000000000)",
    )
    .bind(community)
    .bind(THREAD)
    .execute(pool)
    .await
    .expect("report");
}

pub async fn check(store: &Store) {
    let c = store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("community kept");
    assert_eq!(
        (c.join_mode.as_str(), c.question.as_str()),
        ("request", "Quel accueil ?")
    );
    let members = store.members(c.id, "accepted").await.expect("db");
    assert_eq!(members.len(), 1, "membership kept");
    let thread = store
        .post_by_ap_id(THREAD)
        .await
        .expect("db")
        .expect("thread kept");
    assert_eq!(thread.title, "Kit de survie");
    assert_eq!(thread.pinned, 1);
    assert_eq!(
        store.open_reports(c.id).await.expect("db").len(),
        1,
        "report kept"
    );
}
