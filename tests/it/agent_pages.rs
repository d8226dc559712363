//! Every page an agent can reach by clicking, on three federated demo institutions and as
//! each role, reads as French for a non-technical agent: no authority (`host:port`) outside an
//! « Adresse » field, no English or protocol text, no "(s)", and no link that leads nowhere.

use std::collections::{BTreeSet, VecDeque};

use entrepairs::demo::{self, DEMO_PASSWORD, INSTITUTIONS};

use crate::support::TestNode;
use crate::support::browser::{Browser, Page};

/// Words of the protocol or of English texts that an agent must never read; matched as whole
/// words, case-sensitively (French words such as « Accepter » must not match `Accept`).
const FORBIDDEN_WORDS: &[&str] = &[
    "activity",
    "Activity",
    "ActivityPub",
    "actor",
    "inbox",
    "outbox",
    "webfinger",
    "WebFinger",
    "malformed",
    "Forbidden",
    "forbidden",
    "unreachable",
    "Error",
    "error",
    "pending",
    "accepted",
    "rejected",
    "approve",
    "approved",
    "reject",
    "request",
    "received",
    "Follow",
    "Accept",
    "Reject",
    "Announce",
    "Undo",
    "Invite",
    "Join",
    "Leave",
    "None",
    "null",
    "true",
    "false",
    "open",
    "closed",
    "discussion_created",
    "user@authority",
];

/// What an agent reads: the text between tags and the attributes a screen reader or a
/// pointer shows (title, aria-label, placeholder, alt), leaving out scripts, styles, what the
/// agent typed and the
/// `m::address` fields (`<code id="…-address">`), the one place an address may show.
pub fn agent_text(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::new();
    while let Some(at) = rest.find("-address\">") {
        let Some(open) = rest[..at].rfind("<code") else {
            break;
        };
        kept.push_str(&rest[..open]);
        rest = rest[at..].split_once("</code>").map_or("", |(_, r)| r);
    }
    kept.push_str(rest);
    // Scripts and styles are not read; a textarea holds what the agent typed (the source of
    // their own post, mentions included), as an input's value does.
    for block in ["script", "style", "textarea"] {
        while let Some(start) = kept.find(&format!("<{block}")) {
            let end = kept[start..]
                .find(&format!("</{block}>"))
                .map_or(kept.len(), |e| start + e + block.len() + 3);
            kept.replace_range(start..end, " ");
        }
    }
    let mut text = String::new();
    let mut tag = String::new();
    let mut in_tag = false;
    for ch in kept.chars() {
        match ch {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                for attr in ["title=\"", "aria-label=\"", "placeholder=\"", "alt=\""] {
                    let mut from = 0;
                    while let Some(at) = tag[from..].find(attr) {
                        let start = from + at + attr.len();
                        let end = tag[start..].find('"').map_or(tag.len(), |e| start + e);
                        text.push(' ');
                        text.push_str(&tag[start..end]);
                        from = end;
                    }
                }
                text.push(' ');
            }
            c if in_tag => tag.push(c),
            c => text.push(c),
        }
    }
    text.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// Why `html` would puzzle an agent, if it would.
pub fn puzzles(html: &str) -> Vec<String> {
    let text = agent_text(html);
    let mut found = Vec::new();
    if let Some(at) = text.find("127.0.0.1:") {
        found.push(format!("an authority: …{}…", around(&text, at)));
    }
    if let Some(at) = text.find("(s)") {
        found.push(format!("a \"(s)\": …{}…", around(&text, at)));
    }
    for word in FORBIDDEN_WORDS {
        if let Some(at) = whole_word(&text, word) {
            found.push(format!("{word:?}: …{}…", around(&text, at)));
        }
    }
    found
}

fn whole_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let start = from + at;
        let end = start + word.len();
        let before = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after = text[end..].chars().next().is_none_or(|c| !is_word(c));
        if before && after {
            return Some(start);
        }
        from = end;
    }
    None
}

fn around(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(50)
        .map_or(0, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(70)
        .map_or(text.len(), |(i, _)| at + i);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Local links of a page, without fragments; downloads and logout left out.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        rest = &rest[end..];
        let href = href.split('#').next().unwrap_or_default().to_owned();
        let skip = !href.starts_with('/')
            || href.starts_with("//")
            || href.starts_with("/static/")
            || href.starts_with("/calendar/")
            || href == "/logout"
            || href.ends_with(".ics")
            || href.ends_with(".csv")
            || href.ends_with("/vcard")
            || href.contains("/attachments/")
            || href.contains("/liens/");
        if !skip {
            out.push(href);
        }
    }
    out
}

/// Walks every page reachable by links from `starts`, checking each; returns the problems.
async fn crawl(who: &str, b: &mut Browser, starts: &[&str], budget: usize) -> Vec<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = starts
        .iter()
        .map(|s| ((*s).to_owned(), "(départ)".to_owned()))
        .collect();
    let mut problems = Vec::new();
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > budget {
            continue;
        }
        let mut page: Page = b.get(&path).await;
        let mut at = path.clone();
        // A redirect to a local page is followed, as a browser would.
        for _ in 0..3 {
            match (page.status, page.location.clone()) {
                (301..=303, Some(to)) if to.starts_with('/') && !to.starts_with("/login") => {
                    at = to.clone();
                    page = b.get(&to).await;
                }
                _ => break,
            }
        }
        if page.status >= 400 {
            problems.push(format!(
                "{who}: {path} (linked from {from}) answers {}",
                page.status
            ));
        }
        if !page.body.contains("<html") {
            continue;
        }
        for p in puzzles(&page.body) {
            problems.push(format!("{who}: {at}: {p}"));
        }
        for link in links(&page.body) {
            if !seen.contains(&link) {
                queue.push_back((link, at.clone()));
            }
        }
    }
    problems
}

async fn login(node: &TestNode, username: &str) -> Browser {
    let mut b = Browser::new(&node.url(""));
    let page = b.login(username, DEMO_PASSWORD).await;
    assert_eq!(page.status, 303, "{username} logs in: {}", page.body);
    b
}

#[tokio::test]
async fn every_page_an_agent_reaches_by_clicking_reads_as_french_without_addresses() {
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        demo::seed::accounts(&node.state, inst)
            .await
            .expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    demo::communities::seed(states).await.expect("communities");
    for n in &nodes {
        demo::directory::seed(&n.state).await.expect("directory");
    }
    demo::sessions::seed(states).await.expect("sessions");
    demo::resources::seed(states).await.expect("resources");
    demo::action_plan::seed(states).await.expect("action plan");
    demo::welcome::seed(states[1]).await.expect("welcome");
    TestNode::drain_all(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    demo::polls::seed(states).await.expect("polls");
    demo::attendance::seed(states).await.expect("attendance");
    TestNode::drain_all(&[&nodes[0], &nodes[1], &nodes[2]]).await;

    // A fifth role: an agent of the Sous-préfecture who belongs to no community yet.
    nodes[0].create_user("zoe", false).await;
    let mut zoe = Browser::new(&nodes[0].url(""));
    zoe.login("zoe", crate::support::PASSWORD).await;

    let starts: &[&str] = &[
        "/",
        "/communities",
        "/communities?q=accueil",
        "/communities?q=Club",
        "/directory",
        "/directory?q=accueil",
        "/search?q=kit",
        "/notifications",
        "/my/sessions",
        "/my/trainings",
        "/messages",
        "/profile",
    ];
    let mut problems = Vec::new();
    for (who, node, username) in [
        ("alice (Sous-préfecture)", 0, "alice"),
        ("bruno (Mairie, animateur)", 1, "bruno"),
        ("chloe (CHU)", 2, "chloe"),
        ("admin (Mairie)", 1, "admin"),
    ] {
        let mut b = login(&nodes[node], username).await;
        problems.extend(crawl(who, &mut b, starts, 400).await);
    }
    problems.extend(crawl("zoe (sans communauté)", &mut zoe, starts, 200).await);
    let mut visitor = Browser::new(&nodes[1].url(""));
    problems.extend(
        crawl(
            "visiteur",
            &mut visitor,
            &["/decouvrir/accueil", "/login", "/password-reset"],
            50,
        )
        .await,
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
