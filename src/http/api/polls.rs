//! Polls as JSON: a community's polls, opening one (choices or dates), one poll with the
//! caller's ballot and the results its setting allows, voting, changing the vote, and the
//! animateur's step that turns a date poll's leading date into a session. Polls by the
//! local id of their thread.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::events::EventJson;
use crate::db::PostRow;
use crate::domain::accounts::Account;
use crate::domain::polls::{self, Poll, PollSpec};
use crate::domain::{DomainError, communities, event_time, posts};
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A poll as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct PollJson {
    /// The local id of the poll's thread.
    id: i64,
    ap_id: String,
    title: String,
    /// One choice (`false`) or several (`true`).
    multiple: bool,
    /// Voters' names are never shown.
    anonymous: bool,
    /// Who sees the totals: `always`, `after_vote` or `after_close`.
    results: String,
    /// A date poll: each option is `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (Paris time).
    dates: bool,
    /// RFC 3339.
    end_time: String,
    open: bool,
    /// Null while the caller may not see the results.
    voters_count: Option<i64>,
    options: Vec<OptionJson>,
    /// The options the caller chose (empty: not voted).
    my_choices: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OptionJson {
    name: String,
    /// Null while the caller may not see the results.
    total: Option<i64>,
    /// Who chose it (actor ids), for a named poll on its host; empty otherwise.
    voters: Vec<String>,
}

async fn poll_json(state: &AppState, account: &Account, poll: &Poll) -> ApiResult<PollJson> {
    let my_choices = polls::choices_of(state, poll, &account.actor).await?;
    let visible = poll.results_visible(!my_choices.is_empty());
    let who = if visible {
        polls::voters(state, poll).await?
    } else {
        Vec::new()
    };
    Ok(PollJson {
        id: poll.post.id,
        ap_id: poll.post.ap_id.clone(),
        title: poll.post.title.clone(),
        multiple: poll.row.multiple == 1,
        anonymous: poll.row.anonymous == 1,
        results: poll.results().as_str().to_owned(),
        dates: poll.row.dates == 1,
        end_time: event_time::rfc3339(poll.row.end_time),
        open: poll.is_open(),
        voters_count: visible.then_some(poll.row.voters_count),
        options: poll
            .options
            .iter()
            .map(|o| OptionJson {
                name: o.name.clone(),
                total: visible.then_some(o.total),
                voters: who
                    .iter()
                    .find(|(n, _)| *n == o.name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        my_choices,
    })
}

/// The poll of thread `id`, for a member of its community (404 for anyone else, as a
/// thread they may not read).
async fn member_poll(state: &AppState, account: &Account, id: i64) -> ApiResult<(PostRow, Poll)> {
    let post = state
        .store
        .post_by_id(id)
        .await
        .map_err(DomainError::from)?
        .ok_or(ApiError::NotFound("no such poll"))?;
    posts::replies(state, account, &post).await?;
    let poll = polls::of_post(state, &post)
        .await?
        .ok_or(ApiError::NotFound("no such poll"))?;
    Ok((post, poll))
}

/// The polls of a community, newest first.
#[utoipa::path(
    operation_id = "polls_list",
    tag = "polls",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The polls", body = [PollJson]),
    ),
)]
#[get("/communities/{handle}/polls")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let mut out = Vec::new();
    for p in polls::list(&state, &caller.0, &c).await? {
        out.push(poll_json(&state, &caller.0, &p).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

/// A new poll. `end_time` is an RFC 3339 instant or a Paris wall-clock time.
#[derive(Deserialize, ToSchema)]
pub struct NewPoll {
    title: String,
    #[serde(default)]
    text: String,
    /// 2 to 20 distinct answers; for a date poll, dates (`2027-03-12`) or dates and times
    /// (`2027-03-12T14:00`).
    options: Vec<String>,
    #[serde(default)]
    multiple: bool,
    #[serde(default)]
    anonymous: bool,
    /// `always` (default), `after_vote` or `after_close`.
    #[serde(default)]
    results: String,
    #[serde(default)]
    dates: bool,
    end_time: String,
}

/// Opens a poll in a community the caller is a member of.
#[utoipa::path(
    operation_id = "polls_create",
    tag = "polls",
    security(("api_token" = [])),
    request_body = NewPoll,
    responses(
        (status = 201, description = "The poll", body = PollJson),
    ),
)]
#[post("/communities/{handle}/polls")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewPoll>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let b = body.into_inner();
    // A date poll lets members tick every date that suits them, as on the web.
    let spec = PollSpec::parse(
        &b.options,
        b.multiple || b.dates,
        b.anonymous,
        &b.results,
        b.dates,
        &b.end_time,
        &state.config.timezone,
    )?;
    let post = polls::create(&state, &caller.0, &c, &b.title, &b.text, spec).await?;
    let poll = polls::of_post(&state, &post)
        .await?
        .ok_or(ApiError::NotFound("no such poll"))?;
    Ok(HttpResponse::Created().json(poll_json(&state, &caller.0, &poll).await?))
}

/// One poll, with the caller's ballot and the results if its setting shows them.
#[utoipa::path(
    operation_id = "polls_show",
    tag = "polls",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The poll", body = PollJson),
    ),
)]
#[get("/polls/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (_, poll) = member_poll(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(poll_json(&state, &caller.0, &poll).await?))
}

/// A ballot: the chosen options by name (one for a single-choice poll).
#[derive(Deserialize, ToSchema)]
pub struct Ballot {
    choices: Vec<String>,
}

/// Votes. A second vote is refused (409): change it with `PUT`.
#[utoipa::path(
    operation_id = "polls_vote",
    tag = "polls",
    security(("api_token" = [])),
    request_body = Ballot,
    responses(
        (status = 201, description = "The poll after the vote", body = PollJson),
        (status = 409, description = "Already voted, or the poll is closed"),
    ),
)]
#[post("/polls/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<Ballot>,
) -> ApiResult<HttpResponse> {
    let (post, poll) = member_poll(&state, &caller.0, *path).await?;
    if !polls::choices_of(&state, &poll, &caller.0.actor)
        .await?
        .is_empty()
    {
        return Err(DomainError::Conflict(
            "you already voted in this poll: change your vote with PUT".into(),
        )
        .into());
    }
    let after = polls::vote(&state, &caller.0, &post, &body.choices).await?;
    Ok(HttpResponse::Created().json(poll_json(&state, &caller.0, &after).await?))
}

/// Changes the caller's vote (or casts it) while the poll is open.
#[utoipa::path(
    operation_id = "polls_change_vote",
    tag = "polls",
    security(("api_token" = [])),
    request_body = Ballot,
    responses(
        (status = 200, description = "The poll after the change", body = PollJson),
        (status = 409, description = "The poll is closed"),
    ),
)]
#[put("/polls/{id}/vote")]
pub async fn change_vote(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<Ballot>,
) -> ApiResult<HttpResponse> {
    let (post, _) = member_poll(&state, &caller.0, *path).await?;
    let after = polls::vote(&state, &caller.0, &post, &body.choices).await?;
    Ok(HttpResponse::Ok().json(poll_json(&state, &caller.0, &after).await?))
}

/// Where the session chosen by a date poll takes place.
#[derive(Deserialize, ToSchema)]
pub struct SessionPlace {
    address: String,
}

/// Turns a date poll's leading date into a session of its community (animateurs).
#[utoipa::path(
    operation_id = "polls_schedule",
    tag = "polls",
    security(("api_token" = [])),
    request_body = SessionPlace,
    responses(
        (status = 201, description = "The session", body = EventJson),
        (status = 409, description = "Not a date poll, or nobody voted yet"),
    ),
)]
#[post("/polls/{id}/session")]
pub async fn schedule(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<SessionPlace>,
) -> ApiResult<HttpResponse> {
    let (post, _) = member_poll(&state, &caller.0, *path).await?;
    let e = polls::schedule(&state, &caller.0, &post, &body.address).await?;
    Ok(HttpResponse::Created().json(EventJson::from(&e)))
}
