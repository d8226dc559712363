//! What the session pages show: sessions and participants as views, and the page templates.

use askama::Template;

use crate::db::{EventRow, ParticipantRow};
use crate::domain::events::EventInput;
use crate::http::web::community_views::CommunityView;
use crate::http::web::i18n::{self, events::EStrings};
use crate::http::web::{FieldErrors, Layout};
use crate::state::AppState;

pub fn estrings(state: &AppState) -> &'static EStrings {
    i18n::events::strings(crate::http::web::language::current(&state.config.locale))
}

/// A session as pages show it.
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub address: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    pub accepted: i64,
    pub full: bool,
    /// The agent holds a seat or a waiting-list place (set by the list pages).
    pub registered: bool,
    pub cancelled: bool,
    pub series: bool,
    pub description_html: String,
}

impl EventView {
    pub fn new(state: &AppState, e: &EventRow, s: &EStrings, lang: &str) -> Self {
        let tz = &state.config.timezone;
        // "mardi 5 janvier 2027, 14:00 – 16:00": the weekday tells sessions apart.
        let when = crate::http::web::format::span(e.starts_at, e.ends_at, tz, lang);
        EventView {
            id: e.id,
            title: e.title.clone(),
            kind: match e.kind.as_str() {
                "atelier" => s.kind_atelier,
                "formation" => s.kind_formation,
                _ => s.kind_seance,
            },
            when,
            address: e.address.clone(),
            online_url: e.online_url.clone(),
            capacity: e.capacity,
            accepted: e.accepted,
            full: e.capacity.is_some_and(|c| e.accepted >= c),
            registered: false,
            cancelled: e.status == "cancelled",
            series: e.series.is_some(),
            description_html: e.content_html.clone(),
        }
    }
}

pub struct ParticipantView {
    pub name: String,
    /// Their page on this node (`/profiles/user@authority`), never the other node's.
    pub profile: String,
    pub institution: String,
}

impl ParticipantView {
    pub(super) fn new(p: &ParticipantRow) -> Self {
        match (&p.display_name, &p.username, &p.authority) {
            (Some(n), Some(u), Some(a)) => ParticipantView {
                name: n.clone(),
                profile: format!("/profiles/{u}@{a}"),
                institution: p.institution.clone().unwrap_or_default(),
            },
            _ => ParticipantView {
                name: p.actor_ap_id.clone(),
                profile: String::new(),
                institution: String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "events.html")]
pub(super) struct ListPage {
    pub(super) layout: Layout,
    pub(super) s: &'static EStrings,
    pub(super) u: &'static crate::http::web::i18n::ui::UiStrings,
    pub(super) c: CommunityView,
    pub(super) events: Vec<EventView>,
    /// Sessions ended in the last six months, with the animateur's attendance and report.
    pub(super) past: Vec<EventView>,
    pub(super) a: &'static crate::http::web::i18n::attendance::AStrings,
    pub(super) animateur: bool,
    /// Schedules sessions here: an animateur of the host, or of another node (issue 18).
    pub(super) coanimateur: bool,
    pub(super) co: &'static crate::http::web::i18n::coanim::CoStrings,
    pub(super) form: EventInput,
    pub(super) errors: FieldErrors,
    pub(super) action: String,
    pub(super) editing: bool,
}

#[derive(Template)]
#[template(path = "event.html")]
pub(super) struct EventPage {
    pub(super) layout: Layout,
    pub(super) s: &'static EStrings,
    pub(super) c: CommunityView,
    pub(super) e: EventView,
    pub(super) organizer: String,
    pub(super) accepted: Vec<ParticipantView>,
    pub(super) waiting: Vec<ParticipantView>,
    /// The agent's participation: accepted, waiting, pending or empty.
    pub(super) mine: String,
    /// Position on the waiting list, from 1.
    pub(super) position: usize,
    pub(super) animateur: bool,
    /// Edits and cancels the session: an animateur of the host, or of another node (issue 18).
    pub(super) coanimateur: bool,
    pub(super) co: &'static crate::http::web::i18n::coanim::CoStrings,
    pub(super) can_register: bool,
    pub(super) error: String,
    pub(super) u: &'static crate::http::web::i18n::ui::UiStrings,
    /// The action just done (`leave` offers to register again).
    pub(super) done: String,
    /// The agent was marked present: their attestation is a click away.
    pub(super) attended: bool,
    pub(super) a: &'static crate::http::web::i18n::attendance::AStrings,
}

#[derive(Template)]
#[template(path = "event_edit.html")]
pub(super) struct EditPage {
    pub(super) layout: Layout,
    pub(super) s: &'static EStrings,
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) form: EventInput,
    pub(super) errors: FieldErrors,
    pub(super) action: String,
    pub(super) editing: bool,
}

#[derive(Template)]
#[template(path = "events_mine.html")]
pub(super) struct MinePage {
    pub(super) layout: Layout,
    pub(super) s: &'static EStrings,
    pub(super) events: Vec<EventView>,
    pub(super) has_secret: bool,
    pub(super) new_url: String,
}
