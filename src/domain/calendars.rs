//! Calendar feeds an agent subscribes to: one session, a community's sessions (members, logged
//! in), and the personal feed at a secret URL (`/calendar/<secret>.ics`) that needs no login
//! because Outlook cannot log in. The secret is stored hashed like API tokens; generating a
//! new one revokes the old URL at once.

use super::accounts::{self, Account};
use super::error::{DomainError, DomainResult, OrNotFound};
use super::events;
use super::ical::{IcsEvent, calendar};
use super::sessions::{random_token, token_hash};
use crate::db::{CommunityRow, EventRow, now_ms};
use crate::domain::Ctx;

/// Sessions that ended up to this long ago stay in feeds, so a calendar keeps last month.
const KEEP_PAST_MS: i64 = 90 * 24 * 3600 * 1000;

fn ics_event(state: &Ctx, e: &EventRow) -> IcsEvent {
    IcsEvent {
        uid: e.ap_id.clone(),
        stamp: e.updated_at,
        start: e.starts_at,
        end: e.ends_at,
        summary: e.title.clone(),
        description: description(e),
        location: if e.address.is_empty() {
            e.online_url.clone()
        } else {
            e.address.clone()
        },
        url: format!("{}/sessions/{}", state.urls.base(), e.id),
        cancelled: e.status == "cancelled",
        sequence: e.sequence,
    }
}

/// What a calendar shows under the title: the description as plain text (calendar clients show
/// Markdown's `**` and `#` as they are), then the visio link, which agents look for there.
fn description(e: &EventRow) -> String {
    let mut text = plain_text(&e.content_html);
    if !e.online_url.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Visio : ");
        text.push_str(&e.online_url);
    }
    text
}

/// Rendered (sanitised) HTML as text: blocks end lines, list items start with a dash, tags
/// go, the entities ammonia writes are decoded.
fn plain_text(html: &str) -> String {
    let marked = html
        .replace("<li>", "\n- ")
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("</h3>", "\n\n")
        .replace("</h4>", "\n\n");
    let bare = ammonia::Builder::empty().clean(&marked).to_string();
    let decoded = bare
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim_end).collect();
    lines.join("\n").trim().replace("\n\n\n", "\n\n")
}

/// One session, for a member of its community.
pub async fn session(state: &Ctx, account: &Account, id: i64) -> DomainResult<String> {
    let (e, _) = events::readable(state, account, id).await?;
    Ok(one(state, &e))
}

/// The calendar file of one session, as its page serves it (a reminder mail attaches it).
pub fn one(state: &Ctx, e: &EventRow) -> String {
    calendar(&e.title, &[ics_event(state, e)])
}

/// The sessions of a community, for its members.
pub async fn community(state: &Ctx, account: &Account, c: &CommunityRow) -> DomainResult<String> {
    super::communities::require_member(state, c, account).await?;
    let list = state
        .store
        .community_events(c.id, now_ms() - KEEP_PAST_MS)
        .await?;
    let items: Vec<_> = list.iter().map(|e| ics_event(state, e)).collect();
    Ok(calendar(&c.name, &items))
}

/// A new secret for the agent's personal feed; the previous one stops working. Returned
/// once: only its hash is kept.
pub async fn regenerate(state: &Ctx, account: &Account) -> DomainResult<String> {
    let secret = random_token();
    state
        .store
        .set_calendar_token(account.id, &token_hash(&secret))
        .await?;
    Ok(secret)
}

pub async fn has_secret(state: &Ctx, account: &Account) -> DomainResult<bool> {
    Ok(state.store.has_calendar_token(account.id).await?)
}

/// The personal feed behind a secret: the sessions the agent registered for or waits for.
/// An unknown or revoked secret, or a disabled account, is "not found".
pub async fn personal(state: &Ctx, secret: &str) -> DomainResult<String> {
    if secret.len() > 100 {
        return Err(DomainError::NotFound("calendar"));
    }
    let id = state
        .store
        .calendar_account(&token_hash(secret))
        .await
        .or_not_found("calendar")?;
    let account = accounts::by_id(state, id).await?;
    if account.disabled {
        return Err(DomainError::NotFound("calendar"));
    }
    let list = state
        .store
        .events_of_participant(&account.actor, now_ms() - KEEP_PAST_MS)
        .await?;
    let items: Vec<_> = list.iter().map(|e| ics_event(state, e)).collect();
    Ok(calendar(
        &format!(
            "{} — {}",
            account.display_name, state.config.institution_name
        ),
        &items,
    ))
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn a_description_reaches_calendars_as_plain_text() {
        let html = "<p>Ordre du jour : <strong>kit</strong> &amp; suite</p><ul><li>un</li><li>deux</li></ul>";
        assert_eq!(
            plain_text(html),
            "Ordre du jour : kit & suite\n\n- un\n- deux"
        );
    }
}
