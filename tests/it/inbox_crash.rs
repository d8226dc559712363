//! The inbox under `kill -9`: a real `entrepairs serve` receives many signed notes at once, is
//! killed without warning, and restarted. Every activity it answered 202 is stored (the
//! group commit acknowledges only what is committed), and a resent activity is stored once.

use std::collections::HashSet;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use entrepairs::db::Store;
use entrepairs::domain::peers;
use futures_util::StreamExt;
use serde_json::json;

use crate::support::signing::Signed;
use crate::support::{TestNode, client, fresh_database_url};

/// Activities sent in the first wave; the process is killed while they arrive.
const ACTIVITIES: usize = 1500;
/// Requests in flight, as a busy peer sends them.
const IN_FLIGHT: usize = 32;
/// 202 answers awaited before the kill, so that it falls in the middle of the wave.
const KILL_AFTER: usize = 300;

/// The receiving process; killed with SIGKILL when dropped (also when the test panics).
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The receiver's configuration file: loopback, plain http, its own data folder.
fn write_config(dir: &std::path::Path, port: u16, database_url: &str) -> String {
    let path = dir.join("entrepairs.toml");
    let body = format!(
        "authority = \"127.0.0.1:{port}\"\nbind = \"127.0.0.1:{port}\"\n\
         database_url = \"{database_url}\"\ndata_dir = {:?}\n\
         institution_name = \"Institution qui tombe\"\n\
         allow_http = true\nallow_private_addresses = true\n",
        dir.display().to_string(),
    );
    std::fs::write(&path, body).expect("write config");
    path.display().to_string()
}

fn entrepairs(config: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_entrepairs"));
    c.arg("--config")
        .arg(config)
        .args(args)
        .env_remove("ENTREPAIRS_DATABASE_URL")
        .env_remove("ENTREPAIRS_BIND")
        .env("ENTREPAIRS_LOG", "warn");
    c
}

async fn serve(config: &str, port: u16) -> Served {
    let child = entrepairs(config, &["serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn entrepairs serve");
    let mut served = Served(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    let http = client();
    loop {
        let ready = http
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .map(|r| r.status().as_u16() == 200)
            .unwrap_or(false);
        if ready {
            return served;
        }
        if let Ok(Some(status)) = served.0.try_wait() {
            panic!("entrepairs serve exited before it was ready: {status}");
        }
        assert!(Instant::now() < deadline, "entrepairs serve never ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A public note mentioning an agent of the receiver, as Mastodon sends it.
fn create_note(author: &str, recipient: &str, i: usize) -> (String, Vec<u8>) {
    let note_id = format!("{author}/notes/crash-{i}-{}", uuid::Uuid::now_v7());
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note_id}/activity"),
        "type": "Create",
        "actor": author,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{author}/followers"), recipient],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": author,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{author}/followers"), recipient],
            "content": format!("<p>Note n°{i} avant la panne</p>"),
            "tag": [{"type": "Mention", "href": recipient}],
        },
    });
    (note_id, body.to_string().into_bytes())
}

/// Sends every request with `IN_FLIGHT` in flight; each one's status (0: no answer).
/// `answered` counts the 202s as they come.
async fn send_all(requests: &[Signed], answered: Arc<AtomicUsize>) -> Vec<u16> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    futures_util::stream::iter(requests)
        .map(|s| {
            let mut req = http.post(&s.url).body(s.body.clone());
            for (k, v) in &s.headers {
                if k != "Host" {
                    req = req.header(k, v);
                }
            }
            let answered = answered.clone();
            async move {
                match req.send().await {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        if status == 202 {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        status
                    }
                    Err(_) => 0,
                }
            }
        })
        .buffered(IN_FLIGHT)
        .collect()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_activity_answered_202_survives_a_kill_9_and_none_is_stored_twice() {
    let sender = TestNode::spawn_named("expéditeur").await;
    sender.create_user("alice", false).await;
    let alice = sender.actor("alice").await;

    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let database_url = fresh_database_url(dir.path()).await;
    let config = write_config(dir.path(), port, &database_url);
    let receiver_authority = format!("127.0.0.1:{port}");
    // Both sides allow each other: the receiver fetches alice's key with a signed GET.
    let out = entrepairs(&config, &["admin", "peer", "allow", &sender.authority])
        .output()
        .expect("run entrepairs admin");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    peers::allow(&sender.state, &receiver_authority, "test")
        .await
        .expect("allow the receiver");

    let recipient = format!("http://{receiver_authority}/users/bruno");
    let inbox = format!("http://{receiver_authority}/inbox");
    let notes: Vec<(String, Vec<u8>)> = (0..ACTIVITIES)
        .map(|i| create_note(&alice.ap_id, &recipient, i))
        .collect();
    let sign = |body: &[u8]| Signed::post_by(&alice, &inbox, body, SystemTime::now());

    let served = serve(&config, port).await;
    // The first one alone: the receiver fetches and caches alice's key.
    let first = sign(&notes[0].1);
    let statuses = send_all(std::slice::from_ref(&first), Arc::default()).await;
    assert_eq!(statuses, vec![202], "the first note is accepted");

    let requests: Vec<Signed> = notes.iter().map(|(_, body)| sign(body)).collect();
    let answered = Arc::new(AtomicUsize::new(0));
    let wave = send_all(&requests, answered.clone());
    let kill = async {
        let deadline = Instant::now() + Duration::from_secs(120);
        while answered.load(Ordering::SeqCst) < KILL_AFTER {
            assert!(Instant::now() < deadline, "the receiver never got busy");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // SIGKILL while requests are in flight: no shutdown, no final checkpoint.
        drop(served);
    };
    let (statuses, ()) = tokio::join!(wave, kill);
    let acknowledged: Vec<&str> = notes
        .iter()
        .zip(&statuses)
        .filter(|(_, s)| **s == 202)
        .map(|((id, _), _)| id.as_str())
        .collect();
    assert!(
        acknowledged.len() >= KILL_AFTER,
        "{} acknowledged",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() < ACTIVITIES,
        "the kill came before the end of the wave ({} acknowledged)",
        acknowledged.len()
    );

    // What the database holds once the process is gone: every acknowledged note.
    {
        let store = Store::connect(&database_url).await.expect("open");
        for id in &acknowledged {
            assert!(
                store.object_by_ap_id(id).await.expect("read").is_some(),
                "{id} was answered 202 but is not stored"
            );
        }
        store.close().await;
    }

    // Restarted, the node receives the whole wave again, as senders retry: all accepted,
    // the acknowledged ones as replays, and each note stored once.
    let served = serve(&config, port).await;
    let again: Vec<Signed> = notes.iter().map(|(_, body)| sign(body)).collect();
    let statuses = send_all(&again, Arc::default()).await;
    assert!(
        statuses.iter().all(|s| *s == 202),
        "every resent activity is accepted: {:?}",
        statuses
            .iter()
            .filter(|s| **s != 202)
            .take(5)
            .collect::<Vec<_>>()
    );
    drop(served);

    let store = Store::connect(&database_url).await.expect("open");
    let stored = store.objects_by_author(&alice.ap_id).await.expect("read");
    let ids: HashSet<&str> = stored.iter().map(|o| o.ap_id.as_str()).collect();
    assert_eq!(ids.len(), stored.len(), "no note is stored twice");
    assert_eq!(stored.len(), ACTIVITIES, "every note is stored, once");
    for (id, _) in &notes {
        assert!(ids.contains(id.as_str()), "{id} is missing");
        let activity = format!("{id}/activity");
        assert!(
            store.was_received(&activity).await.expect("read"),
            "{activity} is recorded"
        );
    }
    store.close().await;
}
