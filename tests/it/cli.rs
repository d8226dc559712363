//! The `entrepairs` binary as admins run it.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

pub fn entrepairs(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entrepairs"))
        .args(args)
        .current_dir(dir)
        .env_remove("ENTREPAIRS_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run entrepairs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn write_config(dir: &std::path::Path, body: &str) -> String {
    let path = dir.join("config.toml");
    std::fs::write(&path, body).expect("write config");
    path.display().to_string()
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().expect("dir");
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["admin", "user", "add", "--help"],
        vec!["admin", "user", "set-password", "--help"],
        vec!["admin", "user", "delete", "--help"],
        vec!["admin", "backup", "--help"],
        vec!["admin", "restore", "--help"],
        vec!["admin", "check", "--help"],
    ] {
        let out = entrepairs(dir.path(), &args, None);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("Usage"), "{args:?}");
    }
}

#[test]
fn an_unknown_config_key_stops_the_node_with_a_message_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let config = write_config(dir.path(), "instituton_name = \"Mairie\"\n");
    let out = entrepairs(dir.path(), &["--config", &config, "serve"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("instituton_name"), "{}", text(&out));
}

#[test]
fn a_malformed_database_url_stops_the_node_naming_the_setting() {
    let dir = tempfile::tempdir().expect("dir");
    let config = write_config(dir.path(), "database_url = \"oracle://db\"\n");
    let out = entrepairs(dir.path(), &["--config", &config, "serve"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("database_url"), "{}", text(&out));
}

#[test]
fn an_unusable_data_directory_stops_the_node_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").expect("file");
    let data_dir = file.join("data");
    let out = entrepairs(
        dir.path(),
        &["--data-dir", data_dir.to_str().expect("utf8"), "migrate"],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("a-file"), "{}", text(&out));
}

#[test]
fn a_port_in_use_stops_the_node_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("dir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let config = write_config(dir.path(), &format!("bind = \"127.0.0.1:{port}\"\n"));
    let out = entrepairs(dir.path(), &["--config", &config, "serve"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        text(&out)
    );
}

#[test]
fn serve_with_no_configuration_starts_a_sqlite_node_in_the_current_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_entrepairs"))
        .current_dir(dir.path())
        .env_remove("ENTREPAIRS_DATABASE_URL")
        .env("ENTREPAIRS_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Read;
            s.write_all(b"GET /readyz HTTP/1.0\r\nHost: x\r\n\r\n")
                .expect("write");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                ready = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready, "the node answered /readyz 200");
    assert!(dir.path().join("data/entrepairs.db").exists());
}

#[test]
fn admins_script_accounts_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let config = write_config(
        dir.path(),
        "institution_name = \"Mairie de Castelsarrasin\"\n",
    );
    let add = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "user",
            "add",
            "--username",
            "bruno",
            "--display-name",
            "Bruno Lefèvre",
            "--email",
            "bruno@mairie.test",
            "--job-title",
            "Agent d'accueil",
            "--password-stdin",
        ],
        Some("un mot de passe solide\n"),
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(
        !text(&add).contains("password:"),
        "a given password is not printed"
    );

    let generated = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "user",
            "add",
            "--username",
            "admin",
            "--email",
            "dsi@mairie.test",
            "--admin",
        ],
        None,
    );
    assert!(generated.status.success(), "{}", text(&generated));
    assert!(
        text(&generated).contains("password: "),
        "a generated password is printed once"
    );

    let dup = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "user",
            "add",
            "--username",
            "bruno",
            "--email",
            "x@mairie.test",
        ],
        None,
    );
    assert!(!dup.status.success());
    assert!(text(&dup).contains("already taken"), "{}", text(&dup));

    let empty = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "user",
            "set-password",
            "bruno",
            "--password-stdin",
        ],
        Some("\n"),
    );
    assert!(!empty.status.success(), "an empty password is refused");

    let disable = entrepairs(
        dir.path(),
        &["--config", &config, "admin", "user", "disable", "bruno"],
        None,
    );
    assert!(disable.status.success(), "{}", text(&disable));

    let list = entrepairs(
        dir.path(),
        &["--config", &config, "admin", "user", "list", "--json"],
        None,
    );
    assert!(list.status.success());
    let users: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json list");
    let bruno = users
        .as_array()
        .expect("array")
        .iter()
        .find(|u| u["username"] == "bruno")
        .expect("bruno");
    assert_eq!(bruno["disabled"], true);
    assert_eq!(bruno["job_title"], "Agent d'accueil");
    assert_eq!(users.as_array().map(Vec::len), Some(2));
}

#[test]
fn an_admin_deletes_an_account_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf8");
    let add = entrepairs(
        dir.path(),
        &[
            "--data-dir",
            data,
            "admin",
            "user",
            "add",
            "--username",
            "bob",
            "--email",
            "bob@mairie.test",
        ],
        None,
    );
    assert!(add.status.success(), "{}", text(&add));
    let bad = entrepairs(
        dir.path(),
        &[
            "--data-dir",
            data,
            "admin",
            "user",
            "delete",
            "bob",
            "--posts",
            "maybe",
        ],
        None,
    );
    assert!(!bad.status.success(), "an unknown choice is refused");
    let out = entrepairs(
        dir.path(),
        &[
            "--data-dir",
            data,
            "admin",
            "user",
            "delete",
            "bob",
            "--posts",
            "anonymise",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let list = entrepairs(
        dir.path(),
        &["--data-dir", data, "admin", "user", "list"],
        None,
    );
    assert!(!text(&list).contains("bob"), "{}", text(&list));
}
