//! The history of a resource: its revisions, one of them, and a readable diff between two,
//! for the community's members.

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use super::accounts::Account;
use super::communities::require_member;
use super::error::{DomainResult, OrNotFound};
use super::resources::community_of;
use crate::db::{ResourceRow, RevisionRow};
use crate::domain::Ctx;

pub async fn history(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
) -> DomainResult<Vec<RevisionRow>> {
    require_member(state, &community_of(state, r).await?, account).await?;
    Ok(state.store.revisions(r.id).await?)
}

pub async fn revision(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
    number: i64,
) -> DomainResult<RevisionRow> {
    require_member(state, &community_of(state, r).await?, account).await?;
    state
        .store
        .revision(r.id, number)
        .await
        .or_not_found("revision")
}

/// The change from revision `from` to revision `to`, as escaped HTML.
pub async fn diff(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
    from: i64,
    to: i64,
) -> DomainResult<String> {
    let old = revision(state, account, r, from).await?;
    let new = revision(state, account, r, to).await?;
    Ok(diff_html(
        &format!("# {}\n\n{}", old.title, old.source),
        &format!("# {}\n\n{}", new.title, new.source),
    ))
}

/// A word diff of two texts: removed words in `<del>`, added words in `<ins>`, everything
/// escaped. Line breaks are kept, so it reads in a `<pre>`. Bounded in time: past the
/// deadline the diff is coarser, never wrong.
pub fn diff_html(old: &str, new: &str) -> String {
    let diff = TextDiff::configure()
        .timeout(Duration::from_millis(500))
        .diff_words(old, new);
    let mut out = String::with_capacity(old.len() + new.len());
    for change in diff.iter_all_changes() {
        let text = escape(change.value());
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => {
                out.push_str("<del>");
                out.push_str(&text);
                out.push_str("</del>");
            }
            ChangeTag::Insert => {
                out.push_str("<ins>");
                out.push_str(&text);
                out.push_str("</ins>");
            }
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_marks_inserted_and_deleted_words_and_escapes_the_text() {
        let html = diff_html(
            "Accueil du public\n",
            "Accueil <b>chaleureux</b> du public\n",
        );
        assert!(
            html.contains("<ins>&lt;b&gt;chaleureux&lt;/b&gt;</ins>"),
            "{html}"
        );
        assert!(!html.contains("<b>"));
        let html = diff_html("un deux trois", "un trois");
        assert!(html.contains("<del>deux</del>"), "{html}");
    }
}
