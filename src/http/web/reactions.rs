//! Reactions on the pages: the « Merci », « +1 », « Bravo » buttons under a thread, a reply
//! or a resource (a form each, so they work without JavaScript), with their counts and who
//! reacted on demand.

use std::collections::HashMap;

use actix_web::{HttpResponse, post};
use serde::Deserialize;

use super::i18n::reactions::{ReactionStrings, strings};
use super::{WebError, WebResult, redirect};
use crate::db::CommunityRow;
use crate::domain::reactions::{self, ALL, Count, Reaction};
use crate::http::auth::SessionForm;
use crate::state::AppState;

/// One button.
pub struct ReactionButton {
    /// `add:merci` or `remove:merci`: what the button sends.
    pub value: String,
    pub label: &'static str,
    pub count: usize,
    pub mine: bool,
    /// Who reacted so, comma-separated.
    pub names: String,
}

/// The buttons of one object.
pub struct ReactionBar {
    pub object: String,
    pub buttons: Vec<ReactionButton>,
    pub total: usize,
    pub s: &'static ReactionStrings,
}

/// The bars of `objects` (ap ids) in community `c`, as `me` (an actor id) sees them.
pub async fn bars(
    state: &AppState,
    c: &CommunityRow,
    me: &str,
    objects: &[&str],
) -> WebResult<HashMap<String, ReactionBar>> {
    let s = strings(crate::http::web::language::current(&state.config.locale));
    let counts = reactions::counts(state, c, me).await?;
    Ok(objects
        .iter()
        .map(|o| ((*o).to_owned(), bar(s, o, counts.get(*o))))
        .collect())
}

fn bar(s: &'static ReactionStrings, object: &str, counts: Option<&Vec<Count>>) -> ReactionBar {
    let buttons: Vec<ReactionButton> = ALL
        .iter()
        .map(|&kind| {
            let c = counts.and_then(|cs| cs.iter().find(|c| c.kind == kind));
            let mine = c.is_some_and(|c| c.mine);
            ReactionButton {
                value: format!("{}:{}", if mine { "remove" } else { "add" }, kind.as_str()),
                label: match kind {
                    Reaction::Merci => s.merci,
                    Reaction::PlusOne => s.plus_one,
                    Reaction::Bravo => s.bravo,
                },
                count: c.map_or(0, |c| c.count),
                mine,
                names: c.map(|c| c.names.join(", ")).unwrap_or_default(),
            }
        })
        .collect();
    ReactionBar {
        object: object.to_owned(),
        total: buttons.iter().map(|b| b.count).sum(),
        buttons,
        s,
    }
}

#[derive(Deserialize)]
pub struct ReactForm {
    object: String,
    /// `add:KIND` or `remove:KIND`.
    reaction: String,
    /// The page to go back to (a path of this node).
    #[serde(default)]
    back: String,
}

/// A reaction button pressed: added or taken back, then back to the page.
#[post("/reactions")]
pub async fn react(
    state: actix_web::web::Data<AppState>,
    form: SessionForm<ReactForm>,
) -> WebResult<HttpResponse> {
    let f = &form.data;
    let (action, kind) = f.reaction.split_once(':').ok_or(WebError::BadForm)?;
    let kind = Reaction::parse(kind).ok_or(WebError::BadForm)?;
    let account = &form.session.account;
    match action {
        "add" => reactions::react(&state, account, &f.object, kind).await?,
        "remove" => reactions::unreact(&state, account, &f.object, kind).await?,
        _ => return Err(WebError::BadForm),
    }
    // Only a path of this node: never an open redirect.
    let back = if f.back.starts_with('/') && !f.back.starts_with("//") && !f.back.contains('\\') {
        f.back.as_str()
    } else {
        "/"
    };
    Ok(redirect(back))
}
