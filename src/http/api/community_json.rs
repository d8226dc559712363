//! The JSON shapes of communities, their members and their posts, as the API answers them
//! (and its OpenAPI document declares them).

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{CommunityRow, PostRow};
use crate::domain::accounts::Account;
use crate::domain::communities;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// A community as the caller sees it.
#[derive(Serialize, ToSchema)]
pub struct CommunityJson {
    /// Its ActivityPub id.
    pub id: String,
    pub handle: String,
    pub name: String,
    pub description: String,
    pub tags: String,
    /// `open`, `approval` or `invite`.
    pub join_mode: String,
    /// Asked to whoever requests to join.
    pub question: String,
    pub hosted_here: bool,
    /// The caller's membership state, null when not a member.
    pub membership: Option<String>,
}

pub async fn community_json(
    state: &AppState,
    c: &CommunityRow,
    me: &Account,
) -> ApiResult<CommunityJson> {
    let m = communities::membership_of(state, c, me).await?;
    Ok(CommunityJson {
        id: c.ap_id.clone(),
        handle: format!("{}@{}", c.slug, c.authority),
        name: c.name.clone(),
        description: c.description.clone(),
        tags: c.tags.clone(),
        join_mode: c.join_mode.clone(),
        question: c.question.clone(),
        hosted_here: c.is_local == 1,
        membership: m.map(|m| m.state),
    })
}

/// A thread's first post or a reply.
#[derive(Serialize, ToSchema)]
pub struct PostJson {
    pub id: i64,
    pub ap_id: String,
    /// `thread` or `reply`.
    pub kind: &'static str,
    pub title: String,
    pub content_html: String,
    pub author: String,
    /// The ActivityPub id of the thread's first post.
    pub thread: String,
    pub pinned: bool,
    pub locked: bool,
    pub published_at: i64,
    pub category: String,
    pub tags: Vec<String>,
    /// A date, null for none.
    pub deadline: Option<String>,
}

impl From<&PostRow> for PostJson {
    fn from(p: &PostRow) -> Self {
        PostJson {
            id: p.id,
            ap_id: p.ap_id.clone(),
            kind: if p.kind == "Page" { "thread" } else { "reply" },
            title: p.title.clone(),
            content_html: p.content_html.clone(),
            author: p.attributed_to.clone(),
            thread: p.thread_ap_id.clone(),
            pinned: p.pinned == 1,
            locked: p.locked == 1,
            published_at: p.published_at,
            category: p.category.clone(),
            tags: crate::domain::post_kinds::tags_of(&p.tags),
            deadline: (!p.deadline.is_empty()).then(|| p.deadline.clone()),
        }
    }
}

/// A member, or a request to join.
#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub actor: String,
    pub name: String,
    pub role: String,
    /// Their answer to the community's question.
    pub answer: String,
    /// A request to a community hosted elsewhere (issue 18): the agent's `Follow`, which a
    /// decision names; `null` for a community hosted here.
    pub follow_id: Option<String>,
}

/// Members, and the pending requests (shown to animateurs only).
#[derive(Serialize, ToSchema)]
pub struct MembersJson {
    pub members: Vec<MemberJson>,
    pub requests: Vec<MemberJson>,
}

/// A thread with its replies.
#[derive(Serialize, ToSchema)]
pub struct ThreadJson {
    pub post: PostJson,
    pub replies: Vec<PostJson>,
}

/// A page of the home feed.
#[derive(Serialize, ToSchema)]
pub struct FeedJson {
    pub items: Vec<PostJson>,
    /// The `before` of the next page, null on the last one.
    pub next_before: Option<String>,
}

/// The caller's membership after asking to join.
#[derive(Serialize, ToSchema)]
pub struct MembershipJson {
    /// `accepted` or `pending`.
    pub membership: String,
}
