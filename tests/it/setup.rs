//! A new node with no admin prints a one-time link that creates the first admin.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{Browser, fresh_database_url};

#[tokio::test]
async fn the_first_start_prints_a_one_time_link_that_creates_the_first_admin() {
    let dir = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let database_url = fresh_database_url(dir.path()).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_entrepairs"))
        .arg("serve")
        .current_dir(dir.path())
        .env("ENTREPAIRS_BIND", format!("127.0.0.1:{port}"))
        .env("ENTREPAIRS_ALLOW_HTTP", "true")
        .env("ENTREPAIRS_DATABASE_URL", &database_url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("/setup/") {
                let start = line[..at].rfind("http").unwrap_or(0);
                let _ = tx.send(line[start..].trim().to_owned());
            }
        }
    });
    let link = rx.recv_timeout(Duration::from_secs(30));
    let result = async {
        let link = link.expect("the first start prints a setup link");
        let base = format!("http://127.0.0.1:{port}");
        let path = link
            .strip_prefix(&base)
            .expect("link on the node")
            .to_owned();
        let mut b = Browser::new(&base);
        assert_eq!(b.get("/setup/not-the-token").await.status, 404);
        let form = b.get(&path).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("Premier administrateur"));
        let mismatch = b
            .post_raw(
                &path,
                &[
                    ("username", "admin"),
                    ("email", "dsi@mairie.test"),
                    ("password", "un mot de passe long"),
                    ("confirm", "autre chose encore"),
                ],
                None,
            )
            .await;
        assert_eq!(mismatch.status, 422);
        let done = b
            .post_raw(
                &path,
                &[
                    ("username", "admin"),
                    ("display_name", "DSI"),
                    ("email", "dsi@mairie.test"),
                    ("password", "un mot de passe long"),
                    ("confirm", "un mot de passe long"),
                ],
                None,
            )
            .await;
        assert_eq!(done.status, 201, "{}", done.body);
        b.login("admin", "un mot de passe long").await;
        assert_eq!(
            b.get("/admin/accounts").await.status,
            200,
            "the new account is an admin"
        );
        let again = Browser::new(&base).get(&path).await;
        assert_eq!(again.status, 404, "the link works once");
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    result
}
