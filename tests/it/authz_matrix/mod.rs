//! The authorization matrix (issue 13): one table (`table.rs`) says, for every route the code
//! serves (read from the code by `routes.rs`), who passes; every cell is asked over HTTP and
//! a refusal must leave the database unchanged (`fingerprint.rs`).

mod federation;
mod fingerprint;
mod fixture;
mod routes;
mod table;
mod web;

#[test]
fn the_table_has_one_row_for_every_route_of_the_code_and_no_other() {
    let code = routes::in_code();
    let mut rows: Vec<String> = table::TABLE.iter().map(|r| r.route.to_owned()).collect();
    rows.sort();
    let before = rows.len();
    rows.dedup();
    assert_eq!(before, rows.len(), "a route has two rows in the table");
    let missing: Vec<_> = code.iter().filter(|r| !rows.contains(r)).collect();
    let stale: Vec<_> = rows.iter().filter(|r| !code.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/it/authz_matrix/table.rs (say who may pass): {missing:#?}"
    );
    assert!(
        stale.is_empty(),
        "rows of tests/it/authz_matrix/table.rs for routes the code no longer has: {stale:#?}"
    );
}

#[tokio::test]
async fn every_web_and_api_route_answers_each_local_role_as_the_table_says() {
    let w = fixture::build().await;
    let started = std::time::Instant::now();
    let (cells, wrong) = web::run(&w).await;
    eprintln!(
        "authorization matrix (web, API): {cells} cells in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn every_federation_route_and_inbox_activity_answers_each_peer_as_the_table_says() {
    let f = federation::build().await;
    let started = std::time::Instant::now();
    let (fetches, mut wrong) = federation::run_fetches(&f).await;
    let (activities, inbox_wrong) = federation::run_inbox(&f, table::INBOX).await;
    wrong.extend(inbox_wrong);
    eprintln!(
        "authorization matrix (federation): {fetches} fetches, {activities} activities in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        wrong.is_empty(),
        "{} cells differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Finding 7: a 21 MiB upload without a session is answered before its body is read (the
/// node does not wait for the bytes: only the headers and a first kilobyte are sent).
#[tokio::test]
async fn an_upload_without_a_session_is_refused_before_its_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let node = crate::support::TestNode::spawn().await;
    for path in [
        "/communities/atelier/resources/guide/attachments",
        "/admin/accounts/import",
    ] {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", node.port))
            .await
            .expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; \
             boundary=xx\r\nContent-Length: {}\r\n\r\n--xx\r\n",
            node.authority,
            21 * 1024 * 1024
        );
        s.write_all(head.as_bytes()).await.expect("write");
        s.write_all(&[b'a'; 1024]).await.expect("write");
        let mut answer = vec![0u8; 512];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut answer))
            .await
            .unwrap_or_else(|_| panic!("{path}: no answer while the body is still coming"))
            .expect("read");
        let text = String::from_utf8_lossy(&answer[..n]);
        assert!(
            text.starts_with("HTTP/1.1 303") && text.contains("location: /login"),
            "{path}: {text}"
        );
    }
}
