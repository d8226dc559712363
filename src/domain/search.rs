//! Full-text search over what an agent may read, with French stemming. The text is
//! normalised here, in Rust, for both engines (lowercase, diacritics removed, plural and
//! feminine forms folded, then French Snowball stems), stored as `terms` and matched word for
//! word by SQLite FTS5 or PostgreSQL's 'simple' configuration: "formations" finds
//! "formation", "usager" finds "usagères", "médiation" finds "mediation", identically on both.
//!
//! Other features index their objects with [`index`] and [`remove`]; posts are indexed
//! here when stored or edited, and leave the index with the post (a database trigger).

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use super::DomainResult;
use super::accounts::Account;
use crate::db::{NewSearchDoc, PostRow, SearchHitRow};
use crate::domain::Ctx;

static FRENCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

use super::search_query::{MAX_QUERY, MAX_WORDS};

/// Lowercase words without diacritics ("Médiation" -> "mediation"), letters and digits only.
pub fn plain_words(text: &str) -> Vec<String> {
    let folded: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .replace('œ', "oe")
        .replace('æ', "ae")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words of `text` as the index stores them: plain, folded to the masculine singular,
/// then stemmed.
pub fn stems(text: &str) -> Vec<String> {
    plain_words(text)
        .iter()
        .map(|w| FRENCH.stem(&singular_masculine(w)).into_owned())
        .collect()
}

/// The version of [`stems`] that `search_docs.stemmer` records: documents indexed by an
/// older one are stemmed again at startup ([`restem`]), so the index and the queries agree.
pub const STEMMER: i64 = 2;

/// Folds the usual French plural and feminine endings of a plain word (no diacritics) before
/// Snowball, which alone stems "usager" to "usag" but "usagers" to "usager": the words an
/// agent types and the ones in the text must meet on one form. Short words and words with
/// digits are kept as they are.
fn singular_masculine(word: &str) -> String {
    if word.len() <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    // Plural: "journaux" -> "journal", "usagers" -> "usager", "bureaux" -> "bureau".
    if w.ends_with("eaux") {
        w.pop();
    } else if w.ends_with("aux") && w.len() > 5 {
        w.truncate(w.len() - 3);
        w.push_str("al");
    } else if (w.ends_with('s') && !w.ends_with("ss")) || w.ends_with('x') {
        w.pop();
    }
    // Feminine: "usagere" -> "usager", "animatrice" -> "animateur", "active" -> "actif".
    const FEMININE: [(&str, &str); 8] = [
        ("euse", "eur"),
        ("rice", "eur"),
        ("iere", "ier"),
        ("ere", "er"),
        ("ive", "if"),
        ("enne", "en"),
        ("elle", "el"),
        ("ee", "e"),
    ];
    for (from, to) in FEMININE {
        if w.len() > from.len() + 2 && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            return w;
        }
    }
    // "agente" -> "agent", "titulaire" stays "titulair" on both sides.
    if w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// Something readable, as other features hand it to the index.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// What it is: `thread`, `reply`, `directory`, later `event`, `resource`, `action`.
    pub kind: &'static str,
    /// Its ActivityPub id: the key of the index (re-indexing replaces).
    pub ap_id: String,
    /// The community whose members may read it; `None` when every agent of this node may.
    pub community_id: Option<i64>,
    /// The actor it describes (directory entries): it leaves the index with that actor.
    pub actor_id: Option<i64>,
    pub title: String,
    /// Plain text (no markup).
    pub body: String,
    /// Local page of the object.
    pub url: String,
    pub published_at: i64,
}

/// Adds or replaces a document in the index.
pub async fn index(state: &Ctx, doc: &SearchDoc) -> DomainResult<()> {
    let terms = stems(&format!("{} {}", doc.title, doc.body)).join(" ");
    state
        .store
        .upsert_search_doc(&NewSearchDoc {
            kind: doc.kind,
            ap_id: &doc.ap_id,
            community_id: doc.community_id,
            actor_id: doc.actor_id,
            title: &doc.title,
            body: &doc.body,
            url: &doc.url,
            published_at: doc.published_at,
            terms: &terms,
            stemmer: STEMMER,
        })
        .await?;
    Ok(())
}

/// Removes a document from the index (nothing happens when it is not there).
pub async fn remove(state: &Ctx, ap_id: &str) -> DomainResult<()> {
    state.store.delete_search_doc(ap_id).await?;
    Ok(())
}

/// Indexes a stored community post. A failure is logged, never fatal: the post is stored,
/// and the startup backfill indexes what was missed.
pub async fn index_post(state: &Ctx, ap_id: &str) {
    if let Err(e) = try_index_post(state, ap_id).await {
        tracing::warn!(post = %ap_id, error = %e, "post not indexed");
    }
}

async fn try_index_post(state: &Ctx, ap_id: &str) -> DomainResult<()> {
    let Some(p) = state.store.post_by_ap_id(ap_id).await? else {
        return Ok(());
    };
    index(state, &post_doc(state, &p).await?).await
}

/// Indexes a resource as it is now (its current revision); logged, never fatal.
pub async fn index_resource(state: &Ctx, ap_id: &str) {
    logged("resource", ap_id, resource_doc(state, ap_id).await, state).await;
}

/// Indexes a session as it is now; logged, never fatal.
pub async fn index_event(state: &Ctx, ap_id: &str) {
    logged("session", ap_id, event_doc(state, ap_id).await, state).await;
}

/// Indexes an action item as it is now; logged, never fatal.
pub async fn index_action(state: &Ctx, ap_id: &str) {
    logged("action item", ap_id, action_doc(state, ap_id).await, state).await;
}

/// The index follows what was stored; a failure to index must not undo the change itself.
async fn logged(what: &str, ap_id: &str, doc: DomainResult<Option<SearchDoc>>, state: &Ctx) {
    let done = match doc {
        Ok(Some(d)) => index(state, &d).await,
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = done {
        tracing::warn!(what, %ap_id, error = %e, "not indexed");
    }
}

async fn resource_doc(state: &Ctx, ap_id: &str) -> DomainResult<Option<SearchDoc>> {
    let Some(r) = state.store.resource_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    let Some(c) = state.store.community_by_id(r.community_id).await? else {
        return Ok(None);
    };
    Ok(Some(SearchDoc {
        kind: "resource",
        ap_id: r.ap_id.clone(),
        community_id: Some(r.community_id),
        actor_id: None,
        title: r.title.clone(),
        body: strip_html(&r.content_html),
        url: format!("/communities/{}/resources/{}", c.handle(), r.slug),
        published_at: r.updated_at,
    }))
}

async fn event_doc(state: &Ctx, ap_id: &str) -> DomainResult<Option<SearchDoc>> {
    let Some(e) = state.store.event_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    Ok(Some(SearchDoc {
        kind: "event",
        ap_id: e.ap_id.clone(),
        community_id: Some(e.community_id),
        actor_id: None,
        title: e.title.clone(),
        body: format!("{} {}", strip_html(&e.content_html), e.address),
        url: format!("/sessions/{}", e.id),
        published_at: e.starts_at,
    }))
}

async fn action_doc(state: &Ctx, ap_id: &str) -> DomainResult<Option<SearchDoc>> {
    let Some(i) = state.store.action_item_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    Ok(Some(SearchDoc {
        kind: "action",
        ap_id: i.ap_id.clone(),
        community_id: Some(i.community_id),
        actor_id: None,
        title: i.title.clone(),
        body: format!("{} {}", strip_html(&i.content_html), i.escalated_to),
        url: format!("/plan/items/{}", i.id),
        published_at: i.published_at,
    }))
}

async fn post_doc(state: &Ctx, p: &PostRow) -> DomainResult<SearchDoc> {
    let (kind, url, title) = if p.kind == "Page" {
        ("thread", format!("/discussions/{}", p.id), p.title.clone())
    } else {
        let root = state.store.post_by_ap_id(&p.thread_ap_id).await?;
        let url = root
            .as_ref()
            .map(|r| format!("/discussions/{}#post-{}", r.id, p.id))
            .unwrap_or_default();
        ("reply", url, root.map(|r| r.title).unwrap_or_default())
    };
    Ok(SearchDoc {
        kind,
        ap_id: p.ap_id.clone(),
        community_id: Some(p.community_id),
        actor_id: None,
        title,
        body: strip_html(&p.content_html),
        url,
        published_at: p.published_at,
    })
}

/// Stems again the documents indexed by an older [`STEMMER`] (their title and body are
/// stored, so nothing else is read); run at startup, by batches.
pub async fn restem(state: &Ctx) -> DomainResult<usize> {
    let mut done = 0;
    loop {
        let batch = state.store.stale_search_docs(STEMMER, 500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for d in &batch {
            let terms = stems(&format!("{} {}", d.title, d.body)).join(" ");
            state.store.restem_search_doc(d.id, &terms, STEMMER).await?;
        }
        done += batch.len();
    }
}

/// Indexes the posts stored before the index existed, and stems again what an older
/// stemmer indexed; run at startup.
pub async fn backfill(state: &Ctx) -> DomainResult<usize> {
    let restemmed = restem(state).await?;
    if restemmed > 0 {
        tracing::info!(documents = restemmed, "search index stemmed again");
        // The directory search matches the same stems (its own column, no version: only
        // the entries whose text differs are written).
        let entries = super::directory::restem(state).await?;
        tracing::info!(entries, "directory search texts stemmed again");
    }
    let mut done = 0;
    loop {
        let batch = state.store.unindexed_posts(500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for p in &batch {
            try_index_post(state, &p.ap_id).await?;
        }
        done += batch.len();
    }
}

/// A match as shown: its kind, title, a bit of text around the first matched word, link.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub url: String,
    pub published_at: i64,
}

/// What `account` may read that matches `query`, best first (at most 50).
pub async fn search(state: &Ctx, account: &Account, query: &str) -> DomainResult<Vec<Hit>> {
    let query: String = query.chars().take(MAX_QUERY).collect();
    let mut words = stems(&query);
    words.dedup();
    words.truncate(MAX_WORDS);
    let rows = state.store.search(&words, account.actor_id, 50).await?;
    Ok(rows.into_iter().map(|r| hit(r, &words)).collect())
}

pub(super) fn hit(r: SearchHitRow, words: &[String]) -> Hit {
    Hit {
        snippet: snippet(&r.body, words),
        kind: r.kind,
        id: r.ap_id,
        title: r.title,
        url: r.url,
        published_at: r.published_at,
    }
}

/// About 30 words of `body` starting a few words before the first one that matches.
fn snippet(body: &str, stems_wanted: &[String]) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let first = words
        .iter()
        .position(|w| stems(w).iter().any(|s| stems_wanted.iter().any(|q| q == s)))
        .unwrap_or(0);
    let start = first.saturating_sub(8);
    let end = (start + 30).min(words.len());
    let mut s = words[start..end].join(" ");
    if start > 0 {
        s.insert_str(0, "… ");
    }
    if end < words.len() {
        s.push_str(" …");
    }
    s
}

/// The text of sanitised HTML: tags dropped, the few entities ammonia writes decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_accents_reduce_to_the_same_stem() {
        assert_eq!(stems("formations"), stems("Formation"));
        assert_eq!(stems("médiation"), stems("mediation"));
        for (a, b) in [
            ("usager", "usagers"),
            ("usager", "Usagères"),
            ("usager", "usagère"),
            ("agent", "agentes"),
            ("agent", "agents"),
            ("journal", "journaux"),
            ("animateur", "animatrices"),
            ("animateur", "animateurs"),
            ("chercheur", "chercheuses"),
            ("actif", "actives"),
            ("professionnel", "professionnelles"),
            ("employé", "employées"),
            ("territorial", "territoriaux"),
            ("formation", "formations"),
            ("bureau", "bureaux"),
        ] {
            assert_eq!(stems(a), stems(b), "{a} / {b}");
        }
        assert_ne!(stems("usager"), stems("usine"));
        assert_eq!(stems("Accueil du PUBLIC"), stems("accueil du public"));
        assert_eq!(
            plain_words("L'œuvre d'Élise"),
            ["l", "oeuvre", "d", "elise"]
        );
    }

    #[test]
    fn query_words_are_letters_and_digits_only() {
        for w in stems("\"a\" OR b* NEAR(c) -d & e | f:g 'h' 2026") {
            assert!(w.chars().all(char::is_alphanumeric), "{w}");
        }
    }

    #[test]
    fn the_snippet_starts_near_the_match_and_html_is_text() {
        let body = strip_html("<p>Un <strong>long</strong> texte &amp; des mots</p>");
        assert_eq!(body, "Un long texte & des mots");
        let long = format!("{} formation {}", "mot ".repeat(50), "fin ".repeat(50));
        let s = snippet(&long, &stems("formations"));
        assert!(s.starts_with("… ") && s.contains("formation"), "{s}");
    }
}
