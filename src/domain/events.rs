//! Sessions (séances, ateliers, formations) of a community. An animateur of a community
//! hosted here creates them (one, or a monthly series); the host holds the original and the
//! group Announces Create/Update/Delete{Event} to members' nodes, which keep a cache
//! (`event_cache`). Members-only, like posts. Registration is `participation`.

use serde_json::json;

use super::Ctx;
use super::accounts::Account;
use super::changes::{Change, EventChange};
use super::communities::{
    group_of, require_animateur, require_animateur_actor, require_coanimateur, require_member,
    require_member_node,
};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::event_time::{self, Repeat};
use super::notifications;
use super::{markdown, names};
use crate::db::{ActorRow, CommunityRow, EventRow, NewEvent, ParticipantRow, now_ms};

/// Notification kinds of sessions.
pub mod kind {
    pub const CANCELLED: &str = "event_cancelled";
    /// A seat freed up: the agent leaves the waiting list.
    pub const SEAT: &str = "event_seat";
    /// The animateurs changed the session (time, place, seats...).
    pub const CHANGED: &str = "event_changed";
}

pub const KINDS: [&str; 3] = ["seance", "atelier", "formation"];
const MAX_CAPACITY: i64 = 10_000;
const MAX_SERIES: i64 = 24;

/// What an animateur types, as strings (form or JSON).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EventInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub kind: String,
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub online_url: String,
    /// Empty: no limit.
    #[serde(default)]
    pub capacity: String,
    /// `none`, `monthly_weekday` or `monthly_day`.
    #[serde(default)]
    pub repeat: String,
    /// Number of sessions of the series (with the first).
    #[serde(default)]
    pub count: String,
}

/// A checked input.
#[derive(Debug, Clone)]
struct Checked {
    title: String,
    source: String,
    kind: String,
    start: i64,
    end: i64,
    address: String,
    online_url: String,
    capacity: Option<i64>,
    repeat: Option<Repeat>,
    count: usize,
}

fn whole(field: &'static str, raw: &str, min: i64, max: i64) -> DomainResult<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or(DomainError::invalid(field, Rule::Range { min, max }))
}

fn check(input: &EventInput, timezone: &str) -> DomainResult<Checked> {
    let title = names::line("title", &input.title, 2, 200)?;
    let source = names::text("description", &input.description, 20_000)?;
    let kind = match input.kind.trim() {
        "" => "seance",
        k => KINDS
            .into_iter()
            .find(|x| *x == k)
            .ok_or(DomainError::invalid("kind", Rule::Choice))?,
    };
    let start = event_time::parse("start", &input.start, timezone)?;
    let end = event_time::parse("end", &input.end, timezone)?;
    if end <= start {
        return Err(DomainError::invalid("end", Rule::EndBeforeStart));
    }
    let address = names::line("address", &input.address, 0, 300)?;
    let online_url = names::line("online_url", &input.online_url, 0, 500)?;
    if !online_url.is_empty() {
        let ok = url::Url::parse(&online_url)
            .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
        if !ok {
            return Err(DomainError::invalid("online_url", Rule::Url));
        }
    }
    if address.is_empty() && online_url.is_empty() {
        return Err(DomainError::invalid(
            "address",
            Rule::Length { min: 1, max: 300 },
        ));
    }
    let capacity = match input.capacity.trim() {
        "" => None,
        raw => Some(whole("capacity", raw, 1, MAX_CAPACITY)?),
    };
    let repeat = Repeat::parse(input.repeat.trim())?;
    let count = match (repeat, input.count.trim()) {
        (None, _) => 1,
        (Some(_), raw) => whole("count", raw, 2, MAX_SERIES)?,
    };
    Ok(Checked {
        title,
        source,
        kind: kind.to_owned(),
        start,
        end,
        address,
        online_url,
        capacity,
        repeat,
        count: usize::try_from(count).unwrap_or(1),
    })
}

/// Creates a session, or a monthly series of them, in a community hosted here. Only its
/// animateurs may: sessions commit the community (a room, a date), as approving members does.
/// In a community hosted elsewhere (issue 18), an animateur's node sends the session to the
/// host, which creates it and announces it back: nothing is listed here until then.
pub async fn create(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    input: &EventInput,
) -> DomainResult<Vec<EventRow>> {
    if c.is_local == 0 {
        propose(state, account, c, None, input, false).await?;
        return Ok(Vec::new());
    }
    require_animateur(state, c, account).await?;
    create_as(state, &account.actor, c, input).await
}

/// Creates the session(s) organized by `organizer` (an actor id): the caller checked that
/// they are an animateur of `c`, hosted here.
async fn create_as(
    state: &Ctx,
    organizer: &str,
    c: &CommunityRow,
    input: &EventInput,
) -> DomainResult<Vec<EventRow>> {
    let tz = &state.config.timezone;
    let v = check(input, tz)?;
    let dates = match v.repeat {
        None => vec![(v.start, v.end)],
        Some(r) => event_time::series(v.start, v.end, r, v.count, tz)?,
    };
    let series = (dates.len() > 1).then(|| uuid::Uuid::now_v7().to_string());
    let html = markdown::render(&v.source);
    let mut out = Vec::new();
    for (start, end) in dates {
        let ap_id = format!("{}/events/{}", state.urls.base(), uuid::Uuid::now_v7());
        // Journalled before it is stored, forgotten once announced: a session stored but
        // never announced is announced by the worker's replay.
        let intent = state
            .store
            .journal_intent(super::journal::EVENT_CREATED, &ap_id)
            .await?;
        let e = state
            .store
            .upsert_event(&NewEvent {
                ap_id: &ap_id,
                community_id: c.id,
                authority: &state.config.authority,
                organizer,
                kind: &v.kind,
                title: &v.title,
                source: &v.source,
                content_html: &html,
                starts_at: start,
                ends_at: end,
                address: &v.address,
                online_url: &v.online_url,
                capacity: v.capacity,
                status: "confirmed",
                series: series.as_deref(),
                sequence: 0,
                updated_at: now_ms(),
            })
            .await?;
        announce(state, c, &e, true).await?;
        state.store.journal_done(intent).await?;
        out.push(e);
    }
    Ok(out)
}

/// An animateur edits a session hosted here. Its kind and series stay (a series is a set of
/// separate sessions; each is edited alone). Seats may not drop below the agents who already
/// hold one; more seats go to the waiting list first. `SEQUENCE` goes up so that calendar
/// clients replace their copy.
pub async fn update(
    state: &Ctx,
    account: &Account,
    id: i64,
    input: &EventInput,
) -> DomainResult<EventRow> {
    let e = by_id(state, id).await?;
    let c = community_of(state, &e).await?;
    if c.is_local == 0 {
        // Issue 18: the host applies it and announces the new version back.
        propose(state, account, &c, Some(&e), input, false).await?;
        return Ok(e);
    }
    require_animateur(state, &c, account).await?;
    update_checked(state, &c, e, input).await
}

/// Edits session `e` of `c` (hosted here) for an animateur the caller checked.
async fn update_checked(
    state: &Ctx,
    c: &CommunityRow,
    e: EventRow,
    input: &EventInput,
) -> DomainResult<EventRow> {
    let id = e.id;
    if e.status == "cancelled" {
        return Err(DomainError::Conflict(
            "a cancelled session cannot be edited".into(),
        ));
    }
    let one = EventInput {
        kind: e.kind.clone(),
        repeat: String::new(),
        count: String::new(),
        ..input.clone()
    };
    let v = check(&one, &state.config.timezone)?;
    if let Some(cap) = v.capacity
        && cap < e.accepted
    {
        return Err(DomainError::invalid(
            "capacity",
            Rule::BelowParticipants { count: e.accepted },
        ));
    }
    let html = markdown::render(&v.source);
    let intent = state
        .store
        .journal_intent(super::journal::EVENT_UPDATED, &e.ap_id)
        .await?;
    let e = state
        .store
        .upsert_event(&NewEvent {
            ap_id: &e.ap_id,
            community_id: c.id,
            authority: &e.authority,
            organizer: &e.organizer,
            kind: &e.kind,
            title: &v.title,
            source: &v.source,
            content_html: &html,
            starts_at: v.start,
            ends_at: v.end,
            address: &v.address,
            online_url: &v.online_url,
            capacity: v.capacity,
            status: &e.status,
            series: e.series.as_deref(),
            sequence: e.sequence + 1,
            updated_at: now_ms(),
        })
        .await?;
    super::participation::promote(state, c, &e).await?;
    notify(state, c, &e, kind::CHANGED).await?;
    let e = by_id(state, id).await?;
    announce(state, c, &e, false).await?;
    state.store.journal_done(intent).await?;
    Ok(e)
}

/// The change of a session created (`created`) or changed here, rebuilt from what is stored
/// (the journal's replay); `None` when it was never stored. A replayed change is announced
/// as the session is now, stamped `updated`: a member's node keeps the newest.
pub(crate) async fn journalled_change(
    state: &Ctx,
    ap_id: &str,
    created: bool,
) -> DomainResult<Option<Change>> {
    let Some(event) = state.store.event_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    let community = community_of(state, &event).await?;
    let participants = state.store.participants(event.id).await?;
    Ok(Some(Change::Event(if created {
        EventChange::Created {
            community,
            event,
            participants,
        }
    } else {
        EventChange::Updated {
            community,
            event,
            participants,
        }
    })))
}

/// The group tells members' nodes about a session: created, or changed in any way
/// (participants included).
pub async fn announce(
    state: &Ctx,
    c: &CommunityRow,
    e: &EventRow,
    created: bool,
) -> DomainResult<()> {
    super::search::index_event(state, &e.ap_id).await;
    let (community, event) = (c.clone(), e.clone());
    let participants = state.store.participants(e.id).await?;
    let change = if created {
        EventChange::Created {
            community,
            event,
            participants,
        }
    } else {
        EventChange::Updated {
            community,
            event,
            participants,
        }
    };
    state.publisher.publish(state, Change::Event(change)).await
}

pub async fn by_id(state: &Ctx, id: i64) -> DomainResult<EventRow> {
    state.store.event_by_id(id).await.or_not_found("session")
}

pub async fn community_of(state: &Ctx, e: &EventRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(e.community_id)
        .await
        .or_not_found("community")
}

/// A session hosted here with its community and participants, for a members' node.
pub async fn for_peer(
    state: &Ctx,
    ap_id: &str,
    authority: &str,
) -> DomainResult<(EventRow, CommunityRow, Vec<ParticipantRow>)> {
    let e = state
        .store
        .event_by_ap_id(ap_id)
        .await
        .or_not_found("session")?;
    let c = community_of(state, &e).await?;
    require_member_node(state, &c, authority).await?;
    let participants = state.store.participants(e.id).await?;
    Ok((e, c, participants))
}

/// A session and its community, for a member of that community.
pub async fn readable(
    state: &Ctx,
    account: &Account,
    id: i64,
) -> DomainResult<(EventRow, CommunityRow)> {
    let e = by_id(state, id).await?;
    let c = community_of(state, &e).await?;
    require_member(state, &c, account).await?;
    Ok((e, c))
}

/// A session named by its federated id (as reports link to it), for a member of its
/// community: the same rule as `readable`, whichever node hosts it.
pub async fn readable_by_ap_id(
    state: &Ctx,
    account: &Account,
    ap_id: &str,
) -> DomainResult<(EventRow, CommunityRow)> {
    let e = state
        .store
        .event_by_ap_id(ap_id)
        .await
        .or_not_found("session")?;
    readable(state, account, e.id).await
}

/// Where a session's page is on every node: a link that does not name a node, so a
/// member reading it on their own node stays there (a link to the host would lead to
/// the host's login page).
pub fn link_by_ap_id(ap_id: &str) -> String {
    let id: String = url::form_urlencoded::byte_serialize(ap_id.as_bytes()).collect();
    format!("/session-link?id={id}")
}

/// Sessions of a community that have not ended, for its members.
pub async fn upcoming(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<EventRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.community_events(c.id, now_ms()).await?)
}

/// How far back the sessions page lists past sessions: six months, enough to write a
/// report or correct attendance, short enough to stay one screen.
const PAST_WINDOW_MS: i64 = 183 * 24 * 3600 * 1000;

/// The community's sessions that ended in the last six months, latest first (members only).
pub async fn past(state: &Ctx, account: &Account, c: &CommunityRow) -> DomainResult<Vec<EventRow>> {
    require_member(state, c, account).await?;
    let now = now_ms();
    Ok(state
        .store
        .community_past_events(c.id, now - PAST_WINDOW_MS, now)
        .await?)
}

/// Sessions the agent registered for (or waits for) that have not ended.
pub async fn mine(state: &Ctx, account: &Account) -> DomainResult<Vec<EventRow>> {
    Ok(state
        .store
        .events_of_participant(&account.actor, now_ms())
        .await?)
}

/// An animateur cancels a session: it stays listed as cancelled, participants are notified
/// here and, through the group's Update, on their own nodes.
pub async fn cancel(state: &Ctx, account: &Account, id: i64) -> DomainResult<EventRow> {
    let e = by_id(state, id).await?;
    let c = community_of(state, &e).await?;
    if c.is_local == 0 {
        let input = EventInput::default();
        propose(state, account, &c, Some(&e), &input, true).await?;
        return Ok(e);
    }
    require_animateur(state, &c, account).await?;
    cancel_checked(state, &c, e).await
}

/// Cancels session `e` of `c` (hosted here) for an animateur the caller checked.
async fn cancel_checked(state: &Ctx, c: &CommunityRow, e: EventRow) -> DomainResult<EventRow> {
    let id = e.id;
    if e.status == "cancelled" {
        return Err(DomainError::Conflict(
            "this session is already cancelled".into(),
        ));
    }
    let intent = state
        .store
        .journal_intent(super::journal::EVENT_UPDATED, &e.ap_id)
        .await?;
    state.store.set_event_status(e.id, "cancelled").await?;
    let e = by_id(state, id).await?;
    notify(state, c, &e, kind::CANCELLED).await?;
    announce(state, c, &e, false).await?;
    state.store.journal_done(intent).await?;
    Ok(e)
}

/// What an animateur of another node asks the host of a community to do with a session
/// (issue 18), checked on her node as the host will check it again.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The host's session (its ActivityPub id); `None` schedules a new one.
    pub event: Option<String>,
    /// Cancels `event`; the other fields then repeat the session as it is.
    pub cancel: bool,
    pub title: String,
    pub source: String,
    pub kind: String,
    pub start: i64,
    pub end: i64,
    pub address: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// `monthly_weekday` or `monthly_day` with `count` sessions; empty for one.
    pub repeat: String,
    pub count: usize,
}

/// On an animateur's own node: checks her role as this node knows it and the input (the
/// same rules as on the host), and sends the proposal to the host.
async fn propose(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    e: Option<&EventRow>,
    input: &EventInput,
    cancel: bool,
) -> DomainResult<()> {
    require_coanimateur(state, c, account).await?;
    let proposal = match e {
        Some(e) if e.status == "cancelled" => {
            return Err(DomainError::Conflict(if cancel {
                "this session is already cancelled".into()
            } else {
                "a cancelled session cannot be edited".into()
            }));
        }
        Some(e) if cancel => Proposal {
            event: Some(e.ap_id.clone()),
            cancel: true,
            title: e.title.clone(),
            source: e.source.clone(),
            kind: e.kind.clone(),
            start: e.starts_at,
            end: e.ends_at,
            address: e.address.clone(),
            online_url: e.online_url.clone(),
            capacity: e.capacity,
            repeat: String::new(),
            count: 1,
        },
        _ => {
            let one = match e {
                Some(e) => EventInput {
                    kind: e.kind.clone(),
                    repeat: String::new(),
                    count: String::new(),
                    ..input.clone()
                },
                None => input.clone(),
            };
            let v = check(&one, &state.config.timezone)?;
            if let (Some(e), Some(cap)) = (e, v.capacity)
                && cap < e.accepted
            {
                return Err(DomainError::invalid(
                    "capacity",
                    Rule::BelowParticipants { count: e.accepted },
                ));
            }
            Proposal {
                event: e.map(|e| e.ap_id.clone()),
                cancel: false,
                title: v.title,
                source: v.source,
                kind: v.kind,
                start: v.start,
                end: v.end,
                address: v.address,
                online_url: v.online_url,
                capacity: v.capacity,
                repeat: v
                    .repeat
                    .map(|_| one.repeat.trim().to_owned())
                    .unwrap_or_default(),
                count: v.count,
            }
        }
    };
    let animateur = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("agent"))?;
    let change = EventChange::Proposed {
        group: group_of(state, c).await?,
        animateur,
        proposal,
    };
    state.publisher.publish(state, Change::Event(change)).await
}

/// On the host: an agent of another node schedules (`event` None), edits or cancels a
/// session of `c`. Only its animateurs may, as here; the input passes the same checks, and
/// the result is announced to members' nodes as a local animateur's would be.
pub async fn receive_proposal(
    state: &Ctx,
    c: &CommunityRow,
    who: &ActorRow,
    event: Option<&str>,
    cancel: bool,
    input: &EventInput,
) -> DomainResult<()> {
    require_animateur_actor(state, c, who).await?;
    let Some(ap_id) = event else {
        create_as(state, &who.ap_id, c, input).await?;
        return Ok(());
    };
    let e = state
        .store
        .event_by_ap_id(ap_id)
        .await
        .or_not_found("session")?;
    if e.community_id != c.id {
        return Err(DomainError::Forbidden(
            "that session belongs to another community",
        ));
    }
    if cancel {
        cancel_checked(state, c, e).await?;
    } else {
        update_checked(state, c, e, input).await?;
    }
    Ok(())
}

/// Notifies the local participants (waiting list included) that a session was cancelled or
/// changed.
pub async fn notify(state: &Ctx, c: &CommunityRow, e: &EventRow, what: &str) -> DomainResult<()> {
    for p in state.store.participants(e.id).await? {
        notifications::send_to_ap_id(
            state,
            &p.actor_ap_id,
            what,
            &c.ap_id,
            Some(c.id),
            Some(&e.ap_id),
        )
        .await;
    }
    Ok(())
}

/// The JSON of a session for the API.
pub fn json(e: &EventRow) -> serde_json::Value {
    json!({
        "id": e.id, "ap_id": e.ap_id, "kind": e.kind, "title": e.title,
        "description_html": e.content_html, "start": event_time::rfc3339(e.starts_at),
        "end": event_time::rfc3339(e.ends_at), "address": e.address,
        "online_url": e.online_url, "capacity": e.capacity, "participant_count": e.accepted,
        "status": e.status, "series": e.series, "organizer": e.organizer,
    })
}

/// A session, its community and its participants, for a member of that community.
pub async fn with_participants(
    state: &crate::domain::Ctx,
    account: &Account,
    id: i64,
) -> DomainResult<(EventRow, CommunityRow, Vec<crate::db::ParticipantRow>)> {
    let (e, c) = readable(state, account, id).await?;
    let people = state.store.participants(e.id).await?;
    Ok((e, c, people))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: "Séance de décembre".into(),
            start: "2026-12-01T09:30".into(),
            end: "2026-12-01T12:00".into(),
            address: "Mairie, salle du conseil".into(),
            ..Default::default()
        }
    }

    fn field(r: DomainResult<Checked>) -> &'static str {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn bad_input_names_the_field() {
        let tz = "Europe/Paris";
        assert!(check(&input(), tz).is_ok());
        let mut i = input();
        i.end = "2026-12-01T09:00".into();
        assert_eq!(field(check(&i, tz)), "end");
        for cap in ["0", "-3", "beaucoup", "10001"] {
            let mut i = input();
            i.capacity = cap.into();
            assert_eq!(field(check(&i, tz)), "capacity", "{cap}");
        }
        let mut i = input();
        i.kind = "fête".into();
        assert_eq!(field(check(&i, tz)), "kind");
        let mut i = input();
        i.address = String::new();
        assert_eq!(field(check(&i, tz)), "address");
        i.online_url = "javascript:alert(1)".into();
        assert_eq!(field(check(&i, tz)), "online_url");
        let mut i = input();
        i.repeat = "monthly_weekday".into();
        i.count = "99".into();
        assert_eq!(field(check(&i, tz)), "count");
    }
}
