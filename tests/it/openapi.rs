//! The OpenAPI document of `/api/v1` against the code and the server: every route declared in
//! `src/http/api` is described, every described operation is routed, and answers have the
//! shapes the document declares.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestNode, client};

const PREFIX: &str = "/api/v1";

/// Every `(METHOD, /api/v1/path)` that a route attribute declares in `src/http/api`: read from
/// the source, so that it does not come from the document it checks.
fn declared_routes() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/api");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("src/http/api") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        // Routes registered any other way would escape this list (and the document).
        for other in [".route(", "web::resource(", "#[route("] {
            assert!(
                !text.contains(other),
                "{}: register API routes with a method attribute and `routes!`, not `{other}`",
                path.display()
            );
        }
        for line in text.lines().map(str::trim) {
            for method in ["get", "post", "put", "delete", "patch"] {
                if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                    let route = rest.split('"').next().expect("a quoted path");
                    out.insert((method.to_uppercase(), format!("{PREFIX}{route}")));
                }
            }
        }
    }
    out
}

/// Every `(METHOD, path)` the document describes, with its operation.
fn documented(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    out
}

async fn document(node: &TestNode) -> Value {
    let res = client()
        .get(node.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("openapi.json");
    assert_eq!(res.status(), 200, "the document is public");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("content type")
            .starts_with("application/json")
    );
    res.json().await.expect("the document is JSON")
}

#[tokio::test]
async fn every_api_route_is_described_and_every_described_operation_is_routed() {
    let node = TestNode::spawn().await;
    let doc = document(&node).await;
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.1."), "OpenAPI 3.1, not {version}");
    assert_eq!(doc["info"]["title"], "entrepairs");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc["components"]["securitySchemes"]["api_token"]["scheme"],
        "bearer"
    );

    let ops = documented(&doc);
    let described: BTreeSet<_> = ops.iter().map(|(m, p, _)| (m.clone(), p.clone())).collect();
    let declared = declared_routes();
    assert!(declared.len() > 50, "the source scan finds the routes");
    let undescribed: Vec<_> = declared.difference(&described).collect();
    assert!(
        undescribed.is_empty(),
        "routes without a description: {undescribed:?}"
    );
    let unknown: Vec<_> = described.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "described but not declared: {unknown:?}"
    );

    let ids: BTreeSet<_> = ops
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().expect("an operation id"))
        .collect();
    assert_eq!(ids.len(), ops.len(), "operation ids are unique");

    let http = client();
    for (method, path, op) in &ops {
        let text = |k: &str| op[k].as_str().unwrap_or("").trim().to_owned();
        assert!(
            !text("summary").is_empty() || !text("description").is_empty(),
            "{method} {path} has neither summary nor description"
        );
        assert!(
            op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .any(|s| s.starts_with('2')),
            "{method} {path} describes no success"
        );
        // Without a token: the router must find the route (the handler then refuses or answers).
        let concrete = path
            .replace("{handle}", "accueil")
            .replace("{slug}", "guide")
            .replace("{id}", "1")
            .replace("{authority}", "autre.test")
            .replace("{decision}", "approve")
            .replace("{username}", "alice");
        assert!(!concrete.contains('{'), "a parameter left in {concrete}");
        let res = http
            .request(
                Method::from_bytes(method.as_bytes()).expect("method"),
                node.url(&concrete),
            )
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_ne!(status, 405, "{method} {path}: method not routed");
        assert_ne!(
            body["error"]["message"], "no such API endpoint",
            "{method} {path} is described but not routed"
        );
        let secured = op.get("security").is_some();
        assert_eq!(
            status == 401,
            secured,
            "{method} {path}: answered {status} without a token, documented security: {secured}"
        );
    }
}

/// Resolves `$ref`s, `allOf` (flattened structs) and nullable `oneOf`s, then checks the value:
/// its JSON type, and for objects that its keys are exactly the declared properties.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().expect("ref name");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        let mut merged = json!({"type": "object", "properties": {}});
        for part in all {
            let part = match part["$ref"].as_str() {
                Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().expect("name")],
                None => part,
            };
            for (k, v) in part["properties"].as_object().into_iter().flatten() {
                merged["properties"][k] = v.clone();
            }
        }
        return check(doc, &merged, value, at);
    }
    if let Some(one) = schema["oneOf"].as_array() {
        let fits = one.iter().any(|s| {
            if s["type"] == "null" {
                value.is_null()
            } else {
                !value.is_null()
            }
        });
        assert!(fits, "{at}: {value} fits none of {schema}");
        if let Some(s) = one.iter().find(|s| s["type"] != "null")
            && !value.is_null()
        {
            check(doc, s, value, at);
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    assert!(
        types.contains(&actual) || (actual == "integer" && types.contains(&"number")),
        "{at}: a {actual} where the document says {types:?}"
    );
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(doc, &schema["items"], item, &format!("{at}[{i}]"));
            }
        }
        Value::Object(map) => {
            let Some(props) = schema["properties"].as_object() else {
                return;
            };
            let keys: BTreeSet<_> = map.keys().collect();
            let declared: BTreeSet<_> = props.keys().collect();
            assert_eq!(
                keys, declared,
                "{at}: the keys answered and the properties declared"
            );
            for (k, v) in map {
                check(doc, &props[k], v, &format!("{at}.{k}"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn answers_have_the_shapes_the_document_declares() {
    let node = TestNode::spawn().await;
    let doc = document(&node).await;
    node.create_user("alice", false).await;
    let token = node.token("alice").await;
    let http = client();
    let created = http
        .post(node.url("/api/v1/communities"))
        .bearer_auth(&token)
        .json(&json!({"slug": "accueil", "name": "Accueil du public", "join_mode": "open"}))
        .send()
        .await
        .expect("create community");
    assert_eq!(created.status(), 201);
    let thread: Value = http
        .post(node.url("/api/v1/communities/accueil/threads"))
        .bearer_auth(&token)
        .json(
            &json!({"title": "Horaires d'été", "body": "Qui ferme à 16 h ?", "tags": ["accueil"]}),
        )
        .send()
        .await
        .expect("thread")
        .json()
        .await
        .expect("thread JSON");
    let post = thread["id"].as_i64().expect("post id");
    let created = |path: &'static str, body: Value| {
        let req = http
            .post(node.url(&format!("{PREFIX}{path}")))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let res = req.send().await.expect("create");
            assert_eq!(res.status(), 201, "POST {path}");
            res.json::<Value>().await.expect("JSON")
        }
    };
    created(
        "/communities/accueil/resources",
        json!({"kind": "guide", "slug": "guide", "title": "Guide de l'accueil", "body": "# Accueil"}),
    )
    .await;
    let event = created(
        "/communities/accueil/events",
        json!({"title": "Atelier", "start": "2027-03-02T09:30", "end": "2027-03-02T12:00",
            "address": "Mairie"}),
    )
    .await;
    let event = event[0]["id"].as_i64().expect("event id");
    let item = created(
        "/communities/accueil/actions",
        json!({"title": "Afficher les horaires", "due_on": "2027-01-15"}),
    )
    .await;
    let item = item["id"].as_i64().expect("item id");

    for (template, concrete) in [
        ("/instance", "/instance".to_owned()),
        ("/me", "/me".to_owned()),
        ("/communities", "/communities".to_owned()),
        ("/communities/{handle}", "/communities/accueil".to_owned()),
        (
            "/communities/{handle}/members",
            "/communities/accueil/members".to_owned(),
        ),
        ("/posts/{id}", format!("/posts/{post}")),
        ("/feed", "/feed".to_owned()),
        (
            "/communities/{handle}/resources/{slug}",
            "/communities/accueil/resources/guide".to_owned(),
        ),
        ("/events/{id}", format!("/events/{event}")),
        ("/actions/{id}", format!("/actions/{item}")),
    ] {
        let op = &doc["paths"][format!("{PREFIX}{template}")]["get"];
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "GET {template} declares a JSON 200");
        let res = http
            .get(node.url(&format!("{PREFIX}{concrete}")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200, "GET {concrete}");
        let value: Value = res.json().await.expect("JSON");
        check(&doc, schema, &value, &format!("GET {concrete}"));
    }
}
