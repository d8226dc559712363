//! The routes a node serves, read from the code: every actix route attribute under
//! `src/http` (the API's under its prefix) and the inboxes' list that registration uses.

use std::path::Path;

/// `METHOD /path` for every route in the code, sorted.
pub fn in_code() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut out = Vec::new();
    scan(&root, &root, &mut out);
    for p in entrepairs::http::activitypub::INBOX_PATHS {
        out.push(format!("POST {p}"));
    }
    out.sort();
    out.dedup();
    out
}

fn scan(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/http is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            scan(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let prefix = if path.starts_with(root.join("api")) {
                entrepairs::http::api::PREFIX
            } else {
                ""
            };
            let text = std::fs::read_to_string(&path).expect("source is readable");
            for (method, route) in attributes(&text) {
                out.push(format!("{method} {prefix}{route}"));
            }
        }
    }
}

/// `#[get("/x")]`, `#[post("/x", ...)]`… (the macros of actix-web's routing).
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        for method in ["get", "post", "put", "delete", "patch", "head"] {
            let open = format!("#[{method}(\"");
            if let Some(rest) = line.strip_prefix(&open) {
                let route = rest.split('"').next().unwrap_or_default();
                found.push((method.to_uppercase(), route.to_owned()));
            }
        }
        assert!(
            !line.starts_with("#[route("),
            "a `#[route]` attribute: teach tests/it/authz_matrix/routes.rs to read it"
        );
    }
    found
}
