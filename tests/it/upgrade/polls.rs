//! Samples for migration 20261204000150 (polls): the earlier samples' thread becomes a date
//! poll with two options and one vote.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000150;

const VOTE: &str = "http://upgrade.test/users/alice/votes/1";

pub async fn insert(pool: &AnyPool) {
    let (post,): (i64,) = sqlx::query_as("SELECT id FROM posts ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .expect("the thread of the earlier samples");
    sqlx::query(
        "INSERT INTO polls (post_id, multiple, anonymous, results, dates, end_time, voters_count) \
         VALUES ($1, 1, 0, 'after_vote', 1, 4102444800000, 1)",
    )
    .bind(post)
    .execute(pool)
    .await
    .expect("poll");
    for (i, name, total) in [(0_i64, "2027-03-12T14:00", 1_i64), (1, "2027-03-19", 0)] {
        sqlx::query(
            "INSERT INTO poll_options (post_id, position, name, total) VALUES ($1, $2, $3, $4)",
        )
        .bind(post)
        .bind(i)
        .bind(name)
        .bind(total)
        .execute(pool)
        .await
        .expect("option");
    }
    sqlx::query(
        "INSERT INTO poll_votes (post_id, ap_id, voter, option_name, voted_at) \
         VALUES ($1, $2, 'http://upgrade.test/users/alice', '2027-03-12T14:00', 1700000000000)",
    )
    .bind(post)
    .bind(VOTE)
    .execute(pool)
    .await
    .expect("vote");
}

pub async fn check(store: &Store) {
    let (post, vote) = store
        .poll_vote_by_ap_id(VOTE)
        .await
        .expect("db")
        .expect("the vote survives");
    assert_eq!(vote.option_name, "2027-03-12T14:00");
    let poll = store.poll(post).await.expect("db").expect("poll");
    assert_eq!(
        (poll.multiple, poll.dates, poll.results.as_str()),
        (1, 1, "after_vote")
    );
    let options = store.poll_options(post).await.expect("db");
    assert_eq!(options.len(), 2);
    assert_eq!(options[0].total, 1);
}
