//! The web and API half of the matrix: each row of the table, asked by each local role,
//! answers as the table says; a refusal leaves the database as it was.

use reqwest::header;

use super::fingerprint;
use super::fixture::{self, World};
use super::table::{Access, ROLES, Row, TABLE, Who};
use crate::support::{self, Browser, PASSWORD, browser::csrf_token};

/// What a role sends: its cookies and CSRF token (web), its bearer token (API).
pub struct Credentials {
    cookie: String,
    csrf: String,
    bearer: Option<String>,
}

async fn web_credentials(mut browser: Browser, page: &str) -> (String, String) {
    let p = browser.get(page).await;
    let csrf = csrf_token(&p.body).unwrap_or_default();
    (browser.cookie_header_for_tests(), csrf)
}

pub async fn credentials(w: &World, who: Who) -> Credentials {
    let local = |name: &'static str| async move {
        let mut b = Browser::new(&w.a.base);
        b.login(name, PASSWORD).await;
        let (cookie, csrf) = web_credentials(b, "/profile").await;
        Credentials {
            cookie,
            csrf,
            bearer: Some(w.a.token(name).await),
        }
    };
    match who {
        Who::Anon => {
            let (cookie, csrf) = web_credentials(Browser::new(&w.a.base), "/login").await;
            Credentials {
                cookie,
                csrf,
                bearer: None,
            }
        }
        Who::Other => {
            // What an agent of node B holds: B's session and B's token, tried on A.
            let mut b = Browser::new(&w.b.base);
            b.login(fixture::REMOTE, PASSWORD).await;
            let (cookie, csrf) = web_credentials(b, "/profile").await;
            Credentials {
                cookie,
                csrf,
                bearer: Some(w.b.token(fixture::REMOTE).await),
            }
        }
        Who::Agent => local(fixture::AGENT).await,
        Who::Member => local(fixture::MEMBER).await,
        Who::Anim => local(fixture::ANIM).await,
        Who::Owner => local(fixture::OWNER).await,
        Who::Admin => local(fixture::ADMIN).await,
    }
}

/// The path of a row with its parameters filled.
pub fn fill(w: &World, row: &Row) -> String {
    let (_, pattern) = row.route.split_once(' ').expect("METHOD /path");
    let overrides: Vec<(&str, &str)> = row
        .params
        .trim_start_matches('!')
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').expect("param=fixture"))
        .collect();
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("closing brace") + open;
        let name = rest[open + 1..close].split(':').next().expect("name");
        let key = overrides
            .iter()
            .find(|(p, _)| *p == name)
            .map_or(name, |(_, k)| *k);
        let value = w
            .values
            .get(key)
            .unwrap_or_else(|| panic!("no fixture `{key}` for {}", row.route));
        out.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// One request as `who`: the status and where a redirect leads.
pub async fn ask(w: &World, creds: &Credentials, row: &Row) -> (u16, String) {
    let (method, _) = row.route.split_once(' ').expect("METHOD /path");
    let path = fill(w, row);
    let api = path.starts_with(entrepairs::http::api::PREFIX);
    let client = support::client();
    let url = w.a.url(&path);
    let mut req = match method {
        "GET" => client.get(&url),
        "POST" => client.post(&url),
        "PUT" => client.put(&url),
        "DELETE" => client.delete(&url),
        m => panic!("method {m}"),
    };
    if api {
        if let Some(t) = &creds.bearer {
            req = req.bearer_auth(t);
        }
        if method != "GET" {
            req = req
                .header(header::CONTENT_TYPE, "application/json")
                .body("{}");
        }
    } else {
        req = req
            .header(header::COOKIE, &creds.cookie)
            .header(header::ACCEPT, "text/html");
        if method != "GET" {
            req = req
                .header(header::ORIGIN, &w.a.base)
                .form(&[("csrf_token", creds.csrf.as_str())]);
        }
    }
    let res = req.send().await.expect("request");
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (res.status().as_u16(), location)
}

/// What the table expects of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Pass,
    /// No session here: the login page (web) or 401 (API).
    Login,
    /// Logged in but not allowed: 403 or 404, nothing written.
    Denied,
    /// An unknown secret in the path: refused (4xx or the login page), nothing written.
    Secret,
}

pub fn expect(access: Access, who: Who) -> Option<Expect> {
    Some(match access {
        Access::Fed(_) | Access::Inbox => return None,
        Access::Public => Expect::Pass,
        Access::Secret => Expect::Secret,
        Access::Only(roles) if roles.contains(&who) => Expect::Pass,
        Access::Only(_) if matches!(who, Who::Anon | Who::Other) => Expect::Login,
        Access::Only(_) => Expect::Denied,
    })
}

/// Whether an answer is what the cell expects.
pub fn matches(expect: Expect, row: &Row, status: u16, location: &str) -> bool {
    let to_login = status == 303 && location.starts_with("/login");
    let may_be_gone = row.params.starts_with('!');
    let write = !row.route.starts_with("GET ");
    let api = row.route.contains(" /api/");
    // A write may be refused for its (empty) body, and a page for its missing query, after
    // the caller was found wanting or before: either way nothing is written, which every
    // refused cell checks.
    let input = (write && matches!(status, 409 | 410 | 422)) || status == 400;
    match expect {
        Expect::Pass => {
            (!to_login || row.route == "POST /logout")
                && status < 500
                && status != 401
                && status != 403
                && (status != 404 || may_be_gone)
        }
        // A web form without a session is never read: the login page or the CSRF refusal.
        // (or the request refused unread: an upload's body that is not multipart, a page's
        // missing query).
        Expect::Login if !api => to_login || status == 400 || (write && status == 403),
        // The API reads a JSON body before the bearer token.
        Expect::Login => status == 401 || input,
        Expect::Denied => status == 403 || status == 404 || input,
        Expect::Secret => to_login || (400..500).contains(&status),
    }
}

/// Runs every row for every role; returns the cells that differ from the table. For each
/// role the refused cells go first: the row counts of every table are compared after each
/// one, and the content of every table once they are all done (before any allowed cell).
pub async fn run(w: &World) -> (usize, Vec<String>) {
    let mut cells = 0;
    let mut wrong = Vec::new();
    for who in ROLES {
        let creds = credentials(w, who).await;
        let ordered: Vec<&Row> = TABLE
            .iter()
            .filter(|r| !r.last)
            .chain(TABLE.iter().filter(|r| r.last))
            .collect();
        let planned: Vec<(&Row, Expect)> = ordered
            .into_iter()
            .filter_map(|r| expect(r.access, who).map(|e| (r, e)))
            .collect();
        let (refused, passing): (Vec<_>, Vec<_>) =
            planned.into_iter().partition(|(_, e)| *e != Expect::Pass);
        let start = w.db.print().await;
        let mut counts = w.db.counts().await;
        for (row, expected) in &refused {
            cells += 1;
            let (status, location) = ask(w, &creds, row).await;
            if !matches(*expected, row, status, &location) {
                wrong.push(format!(
                    "{:<60} {who:?}: expected {expected:?}, got {status} {location}",
                    row.route
                ));
            }
            let now = w.db.counts().await;
            let changed = fingerprint::changed(&counts, &now);
            if !changed.is_empty() {
                wrong.push(format!(
                    "{:<60} {who:?}: refused ({status}) but added or removed rows in {changed:?}",
                    row.route
                ));
            }
            counts = now;
        }
        let changed = fingerprint::changed(&start, &w.db.print().await);
        if !changed.is_empty() {
            wrong.push(format!(
                "{who:?}: the refused cells changed rows of {changed:?}"
            ));
        }
        for (row, expected) in &passing {
            cells += 1;
            let (status, location) = ask(w, &creds, row).await;
            if !matches(*expected, row, status, &location) {
                wrong.push(format!(
                    "{:<60} {who:?}: expected {expected:?}, got {status} {location}",
                    row.route
                ));
            }
        }
    }
    (cells, wrong)
}
