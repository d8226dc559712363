//! What the resource pages show: resources, revisions and files as views, and the page templates.

use askama::Template;

use crate::db::{ResourceRow, RevisionRow};
use crate::domain::resources::ResourceInput;
use crate::http::web::community_views::CommunityView;
use crate::http::web::format::datetime;
use crate::http::web::i18n::resources::{RStrings, strings};
use crate::http::web::{FieldErrors, Layout};
use crate::state::AppState;

pub(super) fn rstrings(state: &AppState) -> &'static RStrings {
    strings(crate::http::web::language::current(&state.config.locale))
}

pub struct ResourceView {
    pub slug: String,
    pub title: String,
    pub kind: &'static str,
    pub html: String,
    pub source: String,
    pub revision: i64,
    pub date: String,
}

impl ResourceView {
    pub(super) fn new(state: &AppState, r: &ResourceRow) -> Self {
        ResourceView {
            slug: r.slug.clone(),
            title: r.title.clone(),
            kind: rstrings(state).kind_label(&r.kind),
            html: r.content_html.clone(),
            source: r.source.clone(),
            revision: r.revision,
            date: datetime(
                r.updated_at,
                &state.config.timezone,
                Layout::strings(state).lang,
            ),
        }
    }
}

pub struct RevisionView {
    pub number: i64,
    pub author: String,
    pub date: String,
    pub summary: String,
    pub title: String,
}

impl RevisionView {
    pub(super) fn new(state: &AppState, r: &RevisionRow) -> Self {
        let author = match (&r.author_name, &r.author_username, &r.author_authority) {
            // A name, never an address: the agent knows colleagues by name.
            (Some(n), _, _) if !n.is_empty() => n.clone(),
            (_, Some(u), _) => u.clone(),
            _ => r.author.clone(),
        };
        RevisionView {
            number: r.number,
            author,
            date: datetime(
                r.created_at,
                &state.config.timezone,
                Layout::strings(state).lang,
            ),
            summary: r.summary.clone(),
            title: r.title.clone(),
        }
    }
}

pub(super) fn base_url(c: &CommunityView) -> String {
    format!("/communities/{}/resources", c.handle)
}

#[derive(Template)]
#[template(path = "resources.html")]
pub(super) struct ListPage {
    pub(super) layout: Layout,
    pub(super) s: &'static RStrings,
    pub(super) c: CommunityView,
    pub(super) items: Vec<ResourceView>,
    pub(super) form: ResourceInput,
    pub(super) errors: FieldErrors,
    pub(super) submitted: bool,
}

pub struct FileView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "resource.html")]
pub(super) struct ShowPage {
    pub(super) layout: Layout,
    pub(super) s: &'static RStrings,
    pub(super) c: CommunityView,
    pub(super) r: ResourceView,
    pub(super) animateur: bool,
    pub(super) submitted: bool,
    pub(super) files: Vec<FileView>,
    /// Files are attached on the host only.
    pub(super) can_attach: bool,
    pub(super) max_size: String,
    pub(super) upload_error: Option<String>,
    /// « Merci », « +1 », « Bravo » on the resource, as on threads (issue 19).
    pub(super) reactions: Option<crate::http::web::reactions::ReactionBar>,
    /// This page's path, where a reaction comes back to.
    pub(super) back: String,
}

/// A size in words: "2,5 Mio", "12 Kio".
pub fn size_words(bytes: i64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= MIB {
        format!("{:.1} Mio", b / MIB).replace('.', ",")
    } else {
        format!("{} Kio", (b / 1024.0).ceil())
    }
}

/// What the edit form shows again after a refused edit.
pub struct ConflictView {
    pub current: ResourceView,
    pub diff: String,
}

#[derive(Template)]
#[template(path = "resource_edit.html")]
pub(super) struct EditPage {
    pub(super) layout: Layout,
    pub(super) s: &'static RStrings,
    pub(super) c: CommunityView,
    pub(super) r: ResourceView,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) summary: String,
    pub(super) base: i64,
    pub(super) errors: FieldErrors,
    pub(super) conflict: Option<ConflictView>,
}

#[derive(Template)]
#[template(path = "resource_history.html")]
pub(super) struct HistoryPage {
    pub(super) layout: Layout,
    pub(super) s: &'static RStrings,
    pub(super) c: CommunityView,
    pub(super) r: ResourceView,
    pub(super) revisions: Vec<RevisionView>,
}

#[derive(Template)]
#[template(path = "resource_diff.html")]
pub(super) struct DiffPage {
    pub(super) layout: Layout,
    pub(super) s: &'static RStrings,
    pub(super) c: CommunityView,
    pub(super) r: ResourceView,
    pub(super) from: i64,
    pub(super) to: i64,
    pub(super) diff: String,
}
