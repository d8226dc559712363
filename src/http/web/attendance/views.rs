//! What the attendance pages show, and their templates.

use askama::Template;

use crate::db::ParticipantRow;
use crate::http::web::Layout;
use crate::http::web::i18n::{self, attendance::AStrings};
use crate::state::AppState;

pub fn astrings(state: &AppState) -> &'static AStrings {
    i18n::attendance::strings(crate::http::web::language::current(&state.config.locale))
}

/// One person on an attendance page, sheet or list.
pub struct Person {
    pub ap_id: String,
    pub name: String,
    pub institution: String,
    pub waiting: bool,
    pub present: bool,
}

impl Person {
    pub fn of(p: &ParticipantRow) -> Self {
        Person {
            ap_id: p.actor_ap_id.clone(),
            name: p
                .display_name
                .clone()
                .unwrap_or_else(|| p.actor_ap_id.clone()),
            institution: p.institution.clone().unwrap_or_default(),
            waiting: p.state == "waiting",
            present: p.attended_at.is_some(),
        }
    }
}

/// A session as the attendance pages name it.
pub struct SessionHead {
    pub id: i64,
    pub title: String,
    pub community: String,
    pub when: String,
    pub place: String,
    pub host: String,
}

#[derive(Template)]
#[template(path = "attendance.html")]
pub struct AttendancePage {
    pub layout: Layout,
    pub a: &'static AStrings,
    pub e: SessionHead,
    pub registered: Vec<Person>,
    pub walk_ins: Vec<Person>,
    pub started: bool,
    pub saved: bool,
    pub error: String,
}

#[derive(Template)]
#[template(path = "attendance_sheet.html")]
pub struct SheetPage {
    pub a: &'static AStrings,
    pub lang: &'static str,
    pub e: SessionHead,
    pub people: Vec<Person>,
    /// Empty rows for walk-ins to write their name.
    pub blanks: Vec<usize>,
}

#[derive(Template)]
#[template(path = "attendance_list.html")]
pub struct ListPage {
    pub a: &'static AStrings,
    pub lang: &'static str,
    pub e: SessionHead,
    pub people: Vec<Person>,
}

#[derive(Template)]
#[template(path = "attestation.html")]
pub struct AttestationPage {
    pub a: &'static AStrings,
    pub lang: &'static str,
    pub e: SessionHead,
    pub agent: String,
    pub job: String,
    pub institution: String,
    pub duration: String,
    pub issued_by: String,
    pub issued_on: String,
    pub reference: String,
}

#[derive(Template)]
#[template(path = "attestation_refused.html")]
pub struct RefusedPage {
    pub layout: Layout,
    pub a: &'static AStrings,
    pub id: i64,
}

/// A line of « Mes formations inter-institutions ».
pub struct Training {
    pub id: i64,
    pub title: String,
    pub community: String,
    pub when: String,
    pub host: String,
    pub duration: String,
}

#[derive(Template)]
#[template(path = "trainings.html")]
pub struct TrainingsPage {
    pub layout: Layout,
    pub a: &'static AStrings,
    pub trainings: Vec<Training>,
}

/// "2 h 30", "45 min": how a manager reads a length.
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_as_hours_and_minutes() {
        assert_eq!(duration(150), "2 h 30");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(180), "3 h");
        assert_eq!(duration(65), "1 h 05");
    }
}
