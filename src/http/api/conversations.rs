//! `/api/v1/conversations`: the caller's private messages, by conversation.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::MessageRow;
use crate::domain::messages::{self, Conversation};
use crate::domain::{DomainError, Rule};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// A conversation: its participants other than the caller, and its latest message.
#[derive(Serialize, ToSchema)]
pub struct ConversationJson {
    /// The conversation's key, the same on every participant's node.
    id: String,
    /// The other participants' ActivityPub ids.
    participants: Vec<String>,
    /// Milliseconds since the epoch.
    last_message_at: i64,
    /// How many messages the caller may read in it.
    messages: i64,
}

impl From<Conversation> for ConversationJson {
    fn from(c: Conversation) -> Self {
        Self {
            id: c.key,
            participants: c.others,
            last_message_at: c.last_at,
            messages: c.count,
        }
    }
}

/// A private message.
#[derive(Serialize, ToSchema)]
pub struct MessageJson {
    /// Its ActivityPub id.
    id: String,
    conversation: String,
    author: String,
    /// Sanitised HTML.
    content: String,
    in_reply_to: Option<String>,
    published_at: i64,
}

impl From<MessageRow> for MessageJson {
    fn from(m: MessageRow) -> Self {
        Self {
            id: m.ap_id,
            conversation: m.conversation,
            author: m.author,
            content: m.content_html,
            in_reply_to: m.in_reply_to,
            published_at: m.published_at,
        }
    }
}

/// A conversation and its messages, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ConversationDetail {
    #[serde(flatten)]
    conversation: ConversationJson,
    items: Vec<MessageJson>,
}

/// A new message: to persons (`to`) or in a conversation of the caller (`conversation`).
#[derive(Deserialize, ToSchema)]
pub struct NewMessage {
    /// `user@authority` or actor URLs, separated by commas or spaces.
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    conversation: Option<String>,
    content: String,
}

/// The message to delete, by its ActivityPub id.
#[derive(Deserialize, ToSchema)]
pub struct MessageRef {
    id: String,
}

/// The caller's conversations, the most recent first.
#[utoipa::path(
    operation_id = "conversations_list",
    tag = "conversations",
    security(("api_token" = [])),
    responses((status = 200, description = "The conversations", body = Vec<ConversationJson>)),
)]
#[get("/conversations")]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let list: Vec<ConversationJson> = messages::conversations(&state, &caller.0)
        .await?
        .into_iter()
        .map(ConversationJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// One of the caller's conversations with its messages (404 for a non-participant).
#[utoipa::path(
    operation_id = "conversations_show",
    tag = "conversations",
    security(("api_token" = [])),
    params(("id" = String, Path, description = "The conversation's key")),
    responses((status = 200, description = "The conversation", body = ConversationDetail)),
)]
#[get("/conversations/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (c, items) = messages::conversation(&state, &caller.0, &path).await?;
    Ok(HttpResponse::Ok().json(ConversationDetail {
        conversation: c.into(),
        items: items.into_iter().map(MessageJson::from).collect(),
    }))
}

/// Writes a private message: to agents of this node or of approved peers, or in one of the
/// caller's conversations.
#[utoipa::path(
    operation_id = "conversations_send",
    tag = "conversations",
    security(("api_token" = [])),
    request_body = NewMessage,
    responses((status = 201, description = "The message", body = MessageJson)),
)]
#[post("/conversations")]
pub async fn send(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewMessage>,
) -> ApiResult<HttpResponse> {
    let m = match (&body.conversation, &body.to) {
        (Some(c), None) => messages::reply(&state, &caller.0, c, &body.content).await?,
        (None, Some(to)) => messages::send(&state, &caller.0, to, &body.content).await?,
        _ => return Err(DomainError::invalid("to", Rule::Choice).into()),
    };
    Ok(HttpResponse::Created().json(MessageJson::from(m)))
}

/// Deletes a message the caller wrote, on every participant's node.
#[utoipa::path(
    operation_id = "conversations_delete_message",
    tag = "conversations",
    security(("api_token" = [])),
    request_body = MessageRef,
    responses((status = 204, description = "Deleted")),
)]
#[delete("/conversations/messages")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<MessageRef>,
) -> ApiResult<HttpResponse> {
    messages::delete(&state, &caller.0, &body.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
