//! Communities, discussions, feed and notifications of the caller, as JSON. Communities are
//! addressed as on the web: `slug` (hosted here) or `slug@authority`; posts by local id.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::community_json::{
    CommunityJson, FeedJson, MemberJson, MembersJson, MembershipJson, PostJson, ThreadJson,
    community_json,
};
use crate::db::{CommunityRow, PostRow};
use crate::domain::communities::{self, NewCommunityInput};
use crate::domain::notifications::Notification;
use crate::domain::post_kinds::PostKind;
use crate::domain::{DomainError, feed, memberships, notifications, posts};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::http::extract::{Api, MemberOf};
use crate::state::AppState;

async fn find(state: &AppState, handle: &str) -> ApiResult<CommunityRow> {
    Ok(communities::resolve(state, handle).await?)
}

async fn local_post(state: &AppState, id: i64) -> ApiResult<PostRow> {
    Ok(state
        .store
        .post_by_id(id)
        .await
        .map_err(DomainError::from)?
        .ok_or(DomainError::NotFound("post"))?)
}

/// Every community this node knows, with the caller's membership.
#[utoipa::path(
    operation_id = "communities_list",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The communities", body = [CommunityJson]),
    ),
)]
#[get("/communities")]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let mut out = Vec::new();
    for c in state
        .store
        .list_communities()
        .await
        .map_err(DomainError::from)?
    {
        out.push(community_json(&state, &c, &caller.0).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a community hosted here; its creator becomes its animateur.
#[utoipa::path(
    operation_id = "communities_create",
    tag = "communities",
    security(("api_token" = [])),
    request_body = NewCommunityInput,
    responses(
        (status = 201, description = "The community", body = CommunityJson),
    ),
)]
#[post("/communities")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewCommunityInput>,
) -> ApiResult<HttpResponse> {
    let c = communities::create(&state, &caller.0, &body).await?;
    Ok(HttpResponse::Created().json(community_json(&state, &c, &caller.0).await?))
}

/// One community, by `slug` (hosted here) or `slug@authority`.
#[utoipa::path(
    operation_id = "communities_show",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The community", body = CommunityJson),
    ),
)]
#[get("/communities/{handle}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    Ok(HttpResponse::Ok().json(community_json(&state, &c, &caller.0).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct JoinBody {
    #[serde(default)]
    answer: String,
}

/// Joins a community or asks to; 202: a remote host answers later.
#[utoipa::path(
    operation_id = "communities_join",
    tag = "communities",
    security(("api_token" = [])),
    request_body = JoinBody,
    responses(
        (status = 202, description = "The caller's membership", body = MembershipJson),
    ),
)]
#[post("/communities/{handle}/join")]
pub async fn join(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<JoinBody>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    let m = memberships::join(&state, &caller.0, &c, &body.answer).await?;
    Ok(HttpResponse::Accepted().json(MembershipJson {
        membership: m.state,
    }))
}

/// Leaves a community.
#[utoipa::path(
    operation_id = "communities_leave",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Left"),
    ),
)]
#[post("/communities/{handle}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    memberships::leave(&state, &caller.0, &c).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Members of a community, with the pending requests for its animateurs.
#[utoipa::path(
    operation_id = "communities_members",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "Members and requests", body = MembersJson),
    ),
)]
#[get("/communities/{handle}/members")]
pub async fn members(state: web::Data<AppState>, member: MemberOf<Api>) -> ApiResult<HttpResponse> {
    let (me, c) = (&member.caller, &member.community);
    let animateur = communities::require_animateur(&state, c, me).await.is_ok();
    let rows_json = |rows: Vec<crate::db::MemberRow>| -> Vec<MemberJson> {
        rows.into_iter()
            .map(|m| MemberJson {
                actor: m.ap_id,
                name: m.display_name,
                role: m.role,
                answer: m.answer,
                follow_id: None,
            })
            .collect()
    };
    let accepted = rows_json(communities::members(&state, c, me).await?);
    let pending = if animateur {
        rows_json(communities::requests(&state, c, me).await?)
    } else if c.is_local == 0
        && communities::require_coanimateur(&state, c, me)
            .await
            .is_ok()
    {
        // Issue 18: an animateur of another node reads them from the host.
        communities::remote_requests(&state, c, me)
            .await?
            .into_iter()
            .map(|r| MemberJson {
                actor: r.actor,
                name: r.display_name,
                role: "member".into(),
                answer: r.answer,
                follow_id: Some(r.follow_id),
            })
            .collect()
    } else {
        vec![]
    };
    Ok(HttpResponse::Ok().json(MembersJson {
        members: accepted,
        requests: pending,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct Decision {
    actor: String,
    approve: bool,
    /// For a community hosted elsewhere (issue 18): the request's `follow_id`, as listed.
    #[serde(default)]
    follow_id: String,
}

/// Approves or refuses a request to join (animateurs).
#[utoipa::path(
    operation_id = "communities_decide",
    tag = "communities",
    security(("api_token" = [])),
    request_body = Decision,
    responses(
        (status = 204, description = "Decided"),
        (status = 202, description = "Sent to the community's host (an animateur of another node)"),
    ),
)]
#[post("/communities/{handle}/requests")]
pub async fn decide(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<Decision>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    if c.is_local == 0 {
        // Sent to the host, which checks the caller's role and decides.
        memberships::propose_decision(&state, &caller.0, &c, &body.follow_id, body.approve).await?;
        return Ok(HttpResponse::Accepted().finish());
    }
    memberships::decide(&state, &caller.0, &c, &body.actor, body.approve).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The threads of a community (members).
#[utoipa::path(
    operation_id = "communities_threads",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "First posts of its threads", body = [PostJson]),
    ),
)]
#[get("/communities/{handle}/threads")]
pub async fn threads(state: web::Data<AppState>, member: MemberOf<Api>) -> ApiResult<HttpResponse> {
    let threads: Vec<_> = posts::threads(&state, &member.caller, &member.community)
        .await?
        .iter()
        .map(PostJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(threads))
}

#[derive(Deserialize, ToSchema)]
pub struct NewThread {
    title: String,
    body: String,
    /// `discussion` (default), `veille` or `mobilite`.
    #[serde(default)]
    category: String,
    /// Hashtags: `["rh", "paie"]`.
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    deadline: String,
}

/// Opens a thread in a community.
#[utoipa::path(
    operation_id = "communities_new_thread",
    tag = "communities",
    security(("api_token" = [])),
    request_body = NewThread,
    responses(
        (status = 201, description = "The first post", body = PostJson),
    ),
)]
#[post("/communities/{handle}/threads")]
pub async fn new_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewThread>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    let kind = PostKind::parse(&body.category, &body.tags.join(" "), &body.deadline)?;
    let p =
        posts::create_thread_of_kind(&state, &caller.0, &c, &body.title, &body.body, &kind).await?;
    Ok(HttpResponse::Created().json(PostJson::from(&p)))
}

/// A thread with its replies, by the local id of its first post.
#[utoipa::path(
    operation_id = "communities_thread",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The thread", body = ThreadJson),
    ),
)]
#[get("/posts/{id}")]
pub async fn thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    let (_, replies) = posts::replies(&state, &caller.0, &p).await?;
    let replies: Vec<_> = replies.iter().map(PostJson::from).collect();
    Ok(HttpResponse::Ok().json(ThreadJson {
        post: PostJson::from(&p),
        replies,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewReply {
    body: String,
}

/// Replies to the thread of a post.
#[utoipa::path(
    operation_id = "communities_reply",
    tag = "communities",
    security(("api_token" = [])),
    request_body = NewReply,
    responses(
        (status = 201, description = "The reply", body = PostJson),
    ),
)]
#[post("/posts/{id}/replies")]
pub async fn reply(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewReply>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    let r = posts::reply(&state, &caller.0, &p.thread_ap_id, &body.body).await?;
    Ok(HttpResponse::Created().json(PostJson::from(&r)))
}

/// Deletes a post (its author or an animateur).
#[utoipa::path(
    operation_id = "communities_remove",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Deleted"),
    ),
)]
#[delete("/posts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    posts::delete(&state, &caller.0, &p.ap_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next_before` of the previous page.
    before: Option<String>,
}

/// The home feed: posts of the caller's communities, newest first, by pages.
#[utoipa::path(
    operation_id = "communities_home_feed",
    tag = "communities",
    security(("api_token" = [])),
    params(FeedQuery),
    responses(
        (status = 200, description = "A page", body = FeedJson),
    ),
)]
#[get("/feed")]
pub async fn home_feed(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let before = q.before.as_deref().map(feed::Cursor::parse).transpose()?;
    let page = feed::page(&state, &caller.0, before).await?;
    Ok(HttpResponse::Ok().json(FeedJson {
        items: page.posts.iter().map(PostJson::from).collect(),
        next_before: page.next.map(|c| c.to_string()),
    }))
}

/// The caller's notifications, newest first.
#[utoipa::path(
    operation_id = "communities_notifications_list",
    tag = "communities",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The notifications", body = [Notification]),
    ),
)]
#[get("/notifications")]
pub async fn notifications_list(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notifications::list(&state, &caller.0).await?))
}
