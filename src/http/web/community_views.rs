//! What the community pages show of communities and posts: rows turned into plain views.

use std::collections::HashMap;

use super::format::datetime;
use super::i18n::communities::{CStrings, strings};
use crate::db::{CommunityRow, PostRow};
use crate::domain::pickers;
use crate::state::AppState;

/// The community pages' texts in the node's language.
pub fn cstrings(state: &AppState) -> &'static CStrings {
    strings(crate::http::web::language::current(&state.config.locale))
}

pub struct CommunityView {
    /// This node's row id: what the mention completion asks about (issue 19).
    pub id: i64,
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
            id: c.id,
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
    /// This node's page about the author (empty for a former agent).
    pub author_page: String,
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
            html: local_profile_links(&p.content_html, &state.config.authority),
            source: p.source.clone(),
            author: p
                .author_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| handle.clone()),
            author_page: profile_path(&handle),
            author_handle: handle,
            date: datetime(p.published_at, &state.config.timezone, lang),
            pinned: p.pinned == 1,
            locked: p.locked == 1,
            mine: p.attributed_to == me,
        }
    }
}

/// This node's page about the person of `@user@authority` (empty for anything else), so
/// that a click on a colleague's name of another institution stays on this node.
pub fn profile_path(handle: &str) -> String {
    match handle.strip_prefix('@').and_then(|h| h.split_once('@')) {
        Some((user, authority)) if !user.is_empty() && !authority.is_empty() => {
            format!("/profiles/{user}@{authority}")
        }
        _ => String::new(),
    }
}

/// Mentions in sanitised HTML (`<a href="…/users/NAME">@NAME@AUTHORITY</a>`) lead to this
/// node's page about the person, and read `@NAME`: the authority stays in the address field
/// of that page.
pub fn local_profile_links(html: &str, own_authority: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let (before, after) = rest.split_at(at + 6);
        out.push_str(before);
        let Some(end) = after.find('"') else {
            rest = after;
            break;
        };
        let href = &after[..end];
        let person = href
            .split_once("://")
            .and_then(|(_, r)| r.split_once("/users/"))
            .filter(|(_, user)| !user.is_empty() && !user.contains(['/', '?', '#']));
        match person {
            Some((authority, user)) => {
                let page = if authority == own_authority {
                    format!("/profiles/{user}")
                } else {
                    format!("/profiles/{user}@{authority}")
                };
                out.push_str(&page);
                out.push('"');
                let tail = &after[end + 1..];
                // The tag's other attributes stay; the link's text, `@user@authority`, loses
                // its authority.
                let attrs = tail.find('>').filter(|gt| !tail[..*gt].contains('<'));
                let full = format!(">@{user}@{authority}<");
                match attrs.and_then(|gt| Some((gt, tail[gt..].strip_prefix(full.as_str())?))) {
                    Some((gt, t)) => {
                        out.push_str(&tail[..gt]);
                        out.push_str(&format!(">@{user}<"));
                        rest = t;
                    }
                    None => rest = tail,
                }
            }
            None => {
                out.push_str(href);
                out.push('"');
                rest = &after[end + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{local_profile_links, profile_path};

    #[test]
    fn a_mention_leads_to_this_nodes_page_about_the_person() {
        let html = r#"<p>Merci <a href="https://b.example:8082/users/alice" rel="nofollow">@alice@b.example:8082</a> !</p>"#;
        assert_eq!(
            local_profile_links(html, "a.example"),
            r#"<p>Merci <a href="/profiles/alice@b.example:8082" rel="nofollow">@alice</a> !</p>"#
        );
        let own = r#"<a href="https://a.example/users/bob">@bob@a.example</a>"#;
        assert_eq!(
            local_profile_links(own, "a.example"),
            r#"<a href="/profiles/bob">@bob</a>"#
        );
        let other = r#"<a href="https://x.example/doc">x</a>"#;
        assert_eq!(local_profile_links(other, "a.example"), other);
        assert_eq!(profile_path("@alice@b:1"), "/profiles/alice@b:1");
        assert_eq!(profile_path("Ancien agent"), "");
    }
}
