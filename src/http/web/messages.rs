//! `/messages`: the agent's private conversations, « Écrire à… », a conversation with its
//! answer form, deleting one's own message, and who may write to the agent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::i18n::messages::{MStrings, strings};
use super::{Layout, WebError, WebResult, html, redirect};
use crate::domain::DomainError;
use crate::domain::messages;
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(send)
        .service(preferences)
        .service(show)
        .service(reply)
        .service(remove);
}

/// A participant as the page shows them.
struct Person {
    name: String,
    handle: String,
}

async fn person(state: &AppState, ap_id: &str) -> Person {
    match state.store.actor_by_ap_id(ap_id).await {
        Ok(Some(a)) => Person {
            name: if a.display_name.is_empty() {
                a.username.clone()
            } else {
                a.display_name.clone()
            },
            handle: format!("{}@{}", a.username, a.authority),
        },
        _ => Person {
            name: ap_id.to_owned(),
            handle: ap_id.to_owned(),
        },
    }
}

async fn people(state: &AppState, ids: &[String]) -> Vec<Person> {
    let mut out = Vec::new();
    for id in ids {
        out.push(person(state, id).await);
    }
    out
}

struct ConversationView {
    key: String,
    with: String,
    date: String,
    count: i64,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    layout: Layout,
    m: &'static MStrings,
    conversations: Vec<ConversationView>,
    to: String,
    content: String,
    error: Option<&'static str>,
    institution_only: bool,
}

/// The French (or English) sentence for a refused message; other errors go to the error page.
fn refusal(m: &'static MStrings, e: DomainError) -> Result<&'static str, WebError> {
    Ok(match e {
        DomainError::Invalid {
            field: "content", ..
        } => m.err_content,
        DomainError::Invalid { .. } => m.err_to,
        DomainError::NotFound(_) | DomainError::Conflict(_) => m.err_unknown,
        DomainError::Forbidden(why) if why.contains("approved peer") => m.err_peer,
        DomainError::Unreachable(_) => m.err_unreachable,
        other => return Err(other.into()),
    })
}

async fn list_page(
    state: &AppState,
    session: &Session,
    to: String,
    content: String,
    error: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let lang = Layout::strings(state).lang;
    let mut conversations = Vec::new();
    for c in messages::conversations(state, &session.account).await? {
        let with = people(state, &c.others)
            .await
            .into_iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(", ");
        conversations.push(ConversationView {
            key: c.key,
            with,
            date: datetime(c.last_at, &state.config.timezone, lang),
            count: c.count,
        });
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(
        status,
        ListPage {
            layout: Layout::new(state, Some(session), m.title, "messages"),
            m,
            conversations,
            to,
            content,
            error,
            institution_only: messages::institution_only(state, &session.account).await?,
        },
    )
}

#[derive(Deserialize)]
pub struct ListQuery {
    /// « Écrire à… »: the address to write to, from a profile or a directory entry.
    #[serde(default)]
    a: String,
}

#[get("/messages")]
pub async fn index(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let to = query.a.trim().trim_start_matches('@').to_owned();
    list_page(&state, &session.0, to, String::new(), None).await
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    content: String,
}

#[post("/messages")]
pub async fn send(
    state: web::Data<AppState>,
    form: SessionForm<NewForm>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let (session, d) = (&form.session, &form.data);
    match messages::send(&state, &session.account, &d.to, &d.content).await {
        Ok(msg) => Ok(redirect(&format!("/messages/{}", msg.conversation))),
        Err(e) => {
            let why = refusal(m, e)?;
            list_page(&state, session, d.to.clone(), d.content.clone(), Some(why)).await
        }
    }
}

#[derive(Deserialize)]
pub struct PrefsForm {
    #[serde(default)]
    institution_only: Option<String>,
}

#[post("/messages/preferences")]
pub async fn preferences(
    state: web::Data<AppState>,
    form: SessionForm<PrefsForm>,
) -> WebResult<HttpResponse> {
    let only = form.data.institution_only.is_some();
    messages::set_institution_only(&state, &form.session.account, only).await?;
    Ok(redirect("/messages"))
}

struct MessageView {
    ap_id: String,
    author: String,
    mine: bool,
    date: String,
    content_html: String,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    layout: Layout,
    m: &'static MStrings,
    key: String,
    with: Vec<Person>,
    items: Vec<MessageView>,
    content: String,
    error: Option<&'static str>,
}

async fn conversation_page(
    state: &AppState,
    session: &Session,
    key: &str,
    content: String,
    error: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let lang = Layout::strings(state).lang;
    let (c, rows) = match messages::conversation(state, &session.account, key).await {
        Ok(found) => found,
        Err(DomainError::NotFound(_)) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let with = people(state, &c.others).await;
    let mut items = Vec::new();
    for r in rows {
        let mine = r.author == session.account.actor;
        items.push(MessageView {
            author: if mine {
                m.you.to_owned()
            } else {
                person(state, &r.author).await.name
            },
            mine,
            date: datetime(r.published_at, &state.config.timezone, lang),
            content_html: r.content_html,
            ap_id: r.ap_id,
        });
    }
    let title = format!(
        "{} — {}",
        m.title,
        with.iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(
        status,
        ConversationPage {
            layout: Layout::new(state, Some(session), &title, "messages"),
            m,
            key: key.to_owned(),
            with,
            items,
            content,
            error,
        },
    )
}

#[get("/messages/{key}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    conversation_page(&state, &session.0, &path, String::new(), None).await
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    content: String,
}

#[post("/messages/{key}")]
pub async fn reply(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<ReplyForm>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let session = &form.session;
    match messages::reply(&state, &session.account, &path, &form.data.content).await {
        Ok(_) => Ok(redirect(&format!("/messages/{}", path.as_str()))),
        Err(DomainError::NotFound("conversation")) => Err(WebError::NotFound),
        Err(e) => {
            let why = refusal(m, e)?;
            let content = form.data.content.clone();
            conversation_page(&state, session, &path, content, Some(why)).await
        }
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    id: String,
}

#[post("/messages/{key}/supprimer")]
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<DeleteForm>,
) -> WebResult<HttpResponse> {
    match messages::delete(&state, &form.session.account, &form.data.id).await {
        Ok(_) => {}
        Err(DomainError::NotFound(_)) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let left = messages::conversation(&state, &form.session.account, &path).await;
    Ok(redirect(&match left {
        Ok(_) => format!("/messages/{}", path.as_str()),
        Err(_) => "/messages".to_owned(),
    }))
}
