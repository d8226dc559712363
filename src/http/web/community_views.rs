//! What the community pages show of communities and posts: rows turned into plain views.

use std::collections::HashMap;

use super::format::datetime;
use super::i18n::communities::{CStrings, strings};
use crate::db::{CommunityRow, PostRow};
use crate::domain::pickers;
use crate::state::AppState;

/// The community pages' texts in the node's language.
pub fn cstrings(state: &AppState) -> &'static CStrings {
    strings(&state.config.locale)
}

pub struct CommunityView {
    /// `slug` for a community hosted here, `slug@authority` otherwise: the page's address.
    pub handle: String,
    pub name: String,
    pub description: String,
    pub tags: String,
    pub mode: &'static str,
    pub host: String,
    pub is_local: bool,
    pub question: String,
    pub charter: String,
    /// `slug@authority`: shown only in the « Adresse » field.
    pub address: String,
}

impl CommunityView {
    pub fn new(state: &AppState, c: &CommunityRow, s: &CStrings) -> Self {
        let is_local = c.is_local == 1;
        CommunityView {
            handle: c.handle(),
            name: c.name.clone(),
            description: c.description.clone(),
            tags: c.tags.clone(),
            mode: match c.join_mode.as_str() {
                "open" => s.mode_open,
                "invitation" => s.mode_invitation,
                _ => s.mode_request,
            },
            // Pages that show the host call `hosted_by`: the authority is no name.
            host: if is_local {
                state.config.institution_name.clone()
            } else {
                pickers::institution_in(&HashMap::new(), &c.authority)
            },
            is_local,
            question: c.question.clone(),
            charter: c.charter.clone(),
            address: format!("{}@{}", c.slug, c.authority),
        }
    }

    /// Names the host by its institution's name, as this node knows it, never its authority.
    pub fn hosted_by(mut self, names: &HashMap<String, String>, c: &CommunityRow) -> Self {
        if !self.is_local {
            self.host = pickers::institution_in(names, &c.authority);
        }
        self
    }
}

pub struct PostView {
    pub id: i64,
    pub ap_id: String,
    pub title: String,
    /// Sanitised when stored (ammonia), so the template shows it as HTML.
    pub html: String,
    pub source: String,
    pub author: String,
    pub author_handle: String,
    pub date: String,
    pub pinned: bool,
    pub locked: bool,
    pub mine: bool,
}

impl PostView {
    pub fn new(state: &AppState, p: &PostRow, me: &str, lang: &str) -> Self {
        let former = crate::domain::departures::is_former_agent(&p.attributed_to);
        let handle = match (&p.author_username, &p.author_authority) {
            (Some(u), Some(a)) => format!("@{u}@{a}"),
            _ if former => cstrings(state).former_agent.to_owned(),
            _ => p.attributed_to.clone(),
        };
        PostView {
            id: p.id,
            ap_id: p.ap_id.clone(),
            title: p.title.clone(),
            html: p.content_html.clone(),
            source: p.source.clone(),
            author: p
                .author_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| handle.clone()),
            author_handle: handle,
            date: datetime(p.published_at, &state.config.timezone, lang),
            pinned: p.pinned == 1,
            locked: p.locked == 1,
            mine: p.attributed_to == me,
        }
    }
}
