//! The `entrepairs serve` process as systemd runs it: JSON logs on stdout without secrets,
//! and SIGTERM ends it cleanly after the requests in flight are answered.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{fresh_database_url, postgres_admin_url};

/// Waiting longer than this for SIGTERM to end the process is a failure.
const STOP_WITHIN: Duration = Duration::from_secs(15);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `entrepairs serve` on `port` with JSON logs, its stdout captured.
fn serve(dir: &std::path::Path, port: u16, database_url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_entrepairs"))
        .arg("serve")
        .current_dir(dir)
        .env("ENTREPAIRS_BIND", format!("127.0.0.1:{port}"))
        .env("ENTREPAIRS_DATABASE_URL", database_url)
        .env("ENTREPAIRS_LOG_FORMAT", "json")
        .env_remove("ENTREPAIRS_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn entrepairs")
}

/// One HTTP/1.0 GET; the status line, or `None` when nothing answered.
fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes())
        .ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_owned)
}

fn wait_ready(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if get(port, "/readyz").is_some_and(|l| l.contains(" 200 ")) {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("entrepairs exited before it was ready: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("entrepairs never answered /readyz 200");
}

fn sigterm(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
}

/// Waits for the process to end by itself; kills it and fails after [`STOP_WITHIN`].
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + STOP_WITHIN;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("entrepairs did not stop within {STOP_WITHIN:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stdout_of(child: &mut Child) -> String {
    let mut out = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    out
}

#[test]
fn sigterm_answers_the_request_in_flight_then_exits_0() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let url = format!(
        "sqlite://{}",
        dir.path().join("data/entrepairs.db").display()
    );
    let mut child = serve(dir.path(), port, &url);
    wait_ready(port, &mut child);
    for _ in 0..20 {
        assert_eq!(
            get(port, "/healthz").as_deref(),
            Some("HTTP/1.0 200 OK"),
            "answered until the signal"
        );
    }

    // A request in flight when the signal comes: its head is in, its body still arriving.
    // (A connection whose head is incomplete is not a request yet: actix closes it.)
    let body = b"username=alice&password=un-mot-de-passe&csrf_token=none";
    let mut in_flight = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    in_flight
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).expect("head");
    in_flight.write_all(&body[..10]).expect("first part");
    std::thread::sleep(Duration::from_millis(300));
    sigterm(&child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no new connection is accepted after SIGTERM"
    );
    in_flight.write_all(&body[10..]).expect("rest of the body");
    let mut answer = String::new();
    let _ = in_flight.read_to_string(&mut answer);
    // The form carries no valid CSRF token: 403 is the complete, normal answer.
    assert!(
        answer.starts_with("HTTP/1.1 403"),
        "the request in flight is answered: {answer:?}"
    );

    let status = wait_exit(&mut child);
    assert!(status.success(), "exit status {status}");
    let logs = stdout_of(&mut child);
    assert!(logs.contains("shutting down"), "{logs}");
    assert!(logs.contains("\"stopped\""), "{logs}");
    assert!(
        !dir.path().join("data/entrepairs.db-wal").exists(),
        "the write-ahead log was folded into the database at exit"
    );
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_and_never_show_the_database_password() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let (url, secret) = match postgres_admin_url() {
        // PostgreSQL: the test server's URL with a password (trust authentication ignores
        // it; a server that checks passwords already has one in the URL).
        Some(_) => {
            let mut url = url::Url::parse(&fresh_database_url(dir.path()).await).expect("url");
            if url.password().is_none() {
                url.set_password(Some("s3cr3t-startup")).expect("password");
            }
            let secret = url.password().unwrap_or_default().to_owned();
            (url.to_string(), Some(secret))
        }
        None => (
            format!(
                "sqlite://{}",
                dir.path().join("data/entrepairs.db").display()
            ),
            None,
        ),
    };
    let mut child = serve(dir.path(), port, &url);
    let ready = tokio::task::spawn_blocking(move || {
        wait_ready(port, &mut child);
        get(port, "/healthz");
        sigterm(&child);
        let status = wait_exit(&mut child);
        (status, stdout_of(&mut child))
    });
    let (status, logs) = ready.await.expect("join");
    assert!(status.success(), "exit status {status}");

    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let started = lines
        .iter()
        .find(|l| l["fields"]["message"] == "node started")
        .unwrap_or_else(|| panic!("no startup line in\n{logs}"));
    assert_eq!(started["level"], "INFO");
    assert_eq!(started["fields"]["port"], port);
    assert!(
        started["fields"]["database"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    if let Some(secret) = secret {
        assert!(!logs.contains(&secret), "password in the logs:\n{logs}");
        assert!(
            started["fields"]["database"]
                .as_str()
                .is_some_and(|d| d.contains(":***@")),
            "{started}"
        );
    }
}
