//! The poll pages: a community's polls with the form to open one (choices or dates), one
//! poll with its ballot and its results as its setting allows, and the animateur's button
//! that turns a date poll's leading date into a session.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::{CommunityView, cstrings};
use super::i18n::polls::{PollStrings, strings};
use super::{FieldErrors, Layout, WebError, WebResult, format, html, redirect};
use crate::db::{CommunityRow, PostRow};
use crate::domain::polls::{self, Poll, PollSpec};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, communities, posts};
use crate::http::auth::{SessionForm, WebSession};
use crate::http::extract::{MemberOf, Web};
use crate::state::AppState;

/// Date fields offered by the form of a date poll.
const DATE_FIELDS: usize = 6;

fn pstrings(state: &AppState) -> &'static PollStrings {
    strings(crate::http::web::language::current(&state.config.locale))
}

/// An option as shown: its label (a date in words for a date poll), total and share.
pub struct OptionView {
    pub index: usize,
    pub label: String,
    pub total: i64,
    pub percent: i64,
    pub chosen: bool,
    pub leader: bool,
    pub who: String,
}

/// A date option in words: `12/03/2027 à 14:00`, or `12/03/2027` for a day.
fn date_label(option: &str, lang: &str) -> String {
    if let Ok(dt) = option.parse::<jiff::civil::DateTime>() {
        return if lang == "fr" {
            dt.strftime("%d/%m/%Y à %H:%M").to_string()
        } else {
            dt.strftime("%Y-%m-%d %H:%M").to_string()
        };
    }
    match option.parse::<jiff::civil::Date>() {
        Ok(d) if lang == "fr" => d.strftime("%d/%m/%Y").to_string(),
        _ => option.to_owned(),
    }
}

pub struct PollView {
    pub id: i64,
    pub title: String,
    pub body_html: String,
    pub dates: bool,
    pub multiple: bool,
    pub anonymous: bool,
    pub open: bool,
    pub results_after_vote: bool,
    pub end: String,
    pub voters: i64,
    pub options: Vec<OptionView>,
}

impl PollView {
    fn new(
        state: &AppState,
        p: &Poll,
        chosen: &[String],
        who: &[(String, Vec<String>)],
        names: &HashMap<String, String>,
    ) -> Self {
        let lang = Layout::strings(state).lang;
        let all: i64 = p.options.iter().map(|o| o.total).sum();
        let leader = p.leader().map(|o| o.name.clone());
        PollView {
            id: p.post.id,
            title: p.post.title.clone(),
            body_html: p.post.content_html.clone(),
            dates: p.row.dates == 1,
            multiple: p.row.multiple == 1,
            anonymous: p.row.anonymous == 1,
            open: p.is_open(),
            results_after_vote: p.results() == polls::Results::AfterVote,
            end: format::datetime(p.row.end_time, &state.config.timezone, lang),
            voters: p.row.voters_count,
            options: p
                .options
                .iter()
                .enumerate()
                .map(|(index, o)| OptionView {
                    index,
                    label: if p.row.dates == 1 {
                        date_label(&o.name, lang)
                    } else {
                        o.name.clone()
                    },
                    total: o.total,
                    percent: if all > 0 { o.total * 100 / all } else { 0 },
                    chosen: chosen.contains(&o.name),
                    leader: leader.as_deref() == Some(o.name.as_str()),
                    who: who
                        .iter()
                        .find(|(n, _)| *n == o.name)
                        .map(|(_, ids)| {
                            ids.iter()
                                .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// What the creation form sent (kept to show it again with its errors).
#[derive(Deserialize, Default)]
pub struct PollForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    multiple: Option<String>,
    #[serde(default)]
    anonymous: Option<String>,
    #[serde(default)]
    results: String,
    #[serde(default)]
    end_time: String,
    #[serde(flatten)]
    dates: HashMap<String, String>,
}

impl PollForm {
    /// The date fields, in order (`date_0` to `date_5`).
    fn date_values(&self) -> Vec<String> {
        (0..DATE_FIELDS)
            .map(|i| {
                self.dates
                    .get(&format!("date_{i}"))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "polls.html")]
struct ListPage {
    layout: Layout,
    p: &'static PollStrings,
    c: CommunityView,
    polls: Vec<PollView>,
    form: PollForm,
    date_values: Vec<String>,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    form: PollForm,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let p = pstrings(state);
    let polls = polls::list(state, &session.account, c).await?;
    let view = CommunityView::new(state, c, cstrings(state));
    let names = HashMap::new();
    html(
        status,
        ListPage {
            layout: Layout::new(
                state,
                Some(session),
                &format!("{} — {}", p.title, view.name),
                "communities",
            ),
            p,
            c: view,
            polls: polls
                .iter()
                .map(|x| PollView::new(state, x, &[], &[], &names))
                .collect(),
            date_values: form.date_values(),
            form,
            errors,
        },
    )
}

#[get("/communities/{handle}/sondages")]
pub async fn list(state: web::Data<AppState>, member: MemberOf<Web>) -> WebResult<HttpResponse> {
    let form = PollForm {
        results: "always".into(),
        ..Default::default()
    };
    list_page(
        &state,
        &member.caller,
        &member.community,
        StatusCode::OK,
        form,
        FieldErrors::default(),
    )
    .await
}

#[post("/communities/{handle}/sondages")]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<PollForm>,
) -> WebResult<HttpResponse> {
    let c = super::communities::community(&state, &path).await?;
    let SessionForm { session, data } = form;
    let dates: Vec<String> = data
        .date_values()
        .into_iter()
        .filter(|d| !d.trim().is_empty())
        .collect();
    let is_dates = data.options.trim().is_empty() && !dates.is_empty();
    let options: Vec<String> = if is_dates {
        dates
    } else {
        data.options.lines().map(str::to_owned).collect()
    };
    let made = match PollSpec::parse(
        &options,
        data.multiple.is_some() || is_dates,
        data.anonymous.is_some(),
        &data.results,
        is_dates,
        &data.end_time,
        &state.config.timezone,
    ) {
        Ok(spec) => {
            polls::create(&state, &session.account, &c, &data.title, &data.body, spec).await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(p) => Ok(redirect(&format!("/sondages/{}", p.id))),
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                list_page(
                    &state,
                    &session,
                    &c,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    data,
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "poll.html")]
struct PollPage {
    layout: Layout,
    p: &'static PollStrings,
    c: CommunityView,
    poll: PollView,
    has_voted: bool,
    show_results: bool,
    can_schedule: bool,
    leader_label: String,
    notice: String,
    error: String,
}

async fn poll_post(state: &AppState, id: i64) -> WebResult<PostRow> {
    state
        .store
        .post_by_id(id)
        .await
        .map_err(DomainError::from)?
        .ok_or(WebError::NotFound)
}

/// The French (or English) sentence for a refused vote or session, saying what to do.
fn refusal(p: &PollStrings, e: &DomainError) -> Option<&'static str> {
    match e {
        DomainError::Conflict(m) if m == polls::CLOSED => Some(p.err_closed),
        DomainError::Conflict(m) if m == polls::ONE_CHOICE => Some(p.err_one_choice),
        DomainError::Conflict(m) if m == polls::NO_WINNER => Some(p.err_no_winner),
        DomainError::Invalid {
            field: "choice", ..
        } => Some(p.err_choice),
        // The place of the session a date poll becomes: empty or blank.
        DomainError::Invalid {
            field: "address" | "online_url",
            ..
        } => Some(p.err_address),
        DomainError::Forbidden(m) if *m == polls::NOT_VOTER => Some(p.err_not_member),
        _ => None,
    }
}

async fn poll_page(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    notice: String,
    error: String,
) -> WebResult<HttpResponse> {
    let p = pstrings(state);
    let post = poll_post(state, id).await?;
    let (c, _) = posts::replies(state, &session.account, &post).await?;
    let poll = polls::of_post(state, &post)
        .await?
        .ok_or(WebError::NotFound)?;
    let me = &session.account.actor;
    let chosen = polls::choices_of(state, &poll, me).await?;
    let has_voted = !chosen.is_empty();
    let show_results = poll.results_visible(has_voted);
    let who = if show_results {
        polls::voters(state, &poll).await?
    } else {
        Vec::new()
    };
    let mut names = HashMap::new();
    for id in who.iter().flat_map(|(_, ids)| ids) {
        if let Ok(Some(a)) = state.store.actor_by_ap_id(id).await {
            names.insert(id.clone(), a.display_name);
        }
    }
    let animateur = c.is_local == 1
        && communities::require_animateur(state, &c, &session.account)
            .await
            .is_ok();
    let view = PollView::new(state, &poll, &chosen, &who, &names);
    let leader_label = view
        .options
        .iter()
        .find(|o| o.leader)
        .map(|o| o.label.clone())
        .unwrap_or_default();
    html(
        status,
        PollPage {
            layout: Layout::new(state, Some(session), &post.title, "communities"),
            p,
            c: CommunityView::new(state, &c, cstrings(state)),
            can_schedule: animateur && view.dates && !leader_label.is_empty(),
            poll: view,
            has_voted,
            show_results,
            leader_label,
            notice,
            error,
        },
    )
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    voted: Option<String>,
}

#[get("/sondages/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
    q: web::Query<Notice>,
) -> WebResult<HttpResponse> {
    let p = pstrings(&state);
    let notice = match q.voted.as_deref() {
        Some("host") => p.voted.to_owned(),
        Some(_) => p.sent_to_host.to_owned(),
        None => String::new(),
    };
    poll_page(
        &state,
        &session.0,
        *path,
        StatusCode::OK,
        notice,
        String::new(),
    )
    .await
}

/// The ballot: `choice` (a radio button) or `choice_N` (check boxes), each an option's
/// position.
#[post("/sondages/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<HashMap<String, String>>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let post = poll_post(&state, *path).await?;
    let options = state
        .store
        .poll_options(post.id)
        .await
        .map_err(DomainError::from)?;
    let mut choices: Vec<String> = Vec::new();
    for (k, v) in &data {
        if k != "choice" && !k.starts_with("choice_") {
            continue;
        }
        // An unknown position is kept as typed, so the domain refuses it.
        let name = v
            .parse::<i64>()
            .ok()
            .and_then(|i| options.iter().find(|o| o.position == i))
            .map_or_else(|| v.clone(), |o| o.name.clone());
        choices.push(name);
    }
    let local = posts::community(&state, &post).await?.is_local == 1;
    match polls::vote(&state, &session.account, &post, &choices).await {
        Ok(_) => Ok(redirect(&format!(
            "/sondages/{}?voted={}",
            post.id,
            if local { "host" } else { "sent" }
        ))),
        Err(e) => match refusal(pstrings(&state), &e) {
            Some(msg) => {
                let status = match e {
                    DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
                    DomainError::Conflict(_) => StatusCode::CONFLICT,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                poll_page(&state, &session, post.id, status, String::new(), msg.into()).await
            }
            None => Err(e.into()),
        },
    }
}

/// The animateur's one click: the leading date becomes a session.
#[post("/sondages/{id}/session")]
pub async fn schedule(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<HashMap<String, String>>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let post = poll_post(&state, *path).await?;
    let address = data.get("address").cloned().unwrap_or_default();
    match polls::schedule(&state, &session.account, &post, &address).await {
        Ok(e) => Ok(redirect(&format!("/sessions/{}", e.id))),
        Err(e) => match refusal(pstrings(&state), &e) {
            Some(msg) => {
                poll_page(
                    &state,
                    &session,
                    post.id,
                    if matches!(e, DomainError::Invalid { .. }) {
                        StatusCode::UNPROCESSABLE_ENTITY
                    } else {
                        StatusCode::CONFLICT
                    },
                    String::new(),
                    msg.into(),
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

/// The routes of this file, registered in one block.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(vote)
        .service(schedule);
}
