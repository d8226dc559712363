//! Files of a resource on the web: the upload (multipart, read up to the admin's limit,
//! refused with a message on the resource page) and the download (members only, served
//! as an attachment that the browser never sniffs into something else).

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::pages::render_show;
use super::views::size_words;
use crate::domain::{DomainError, Rule, attachments, resources};
use crate::http::auth::{check_upload_form, session_before_upload};
use crate::http::extract::{MemberOf, Web};
use crate::http::upload::read_upload;
use crate::http::web::i18n::resources::strings;
use crate::http::web::{WebError, WebResult, redirect};
use crate::state::AppState;

#[post("/communities/{handle}/resources/{slug}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Multipart,
) -> WebResult<HttpResponse> {
    // Who asks is known before the body is read: without a session, nothing is read.
    let session = session_before_upload(&req).await?;
    let max = attachments::max_bytes(&state);
    let up = read_upload(form, max).await.ok_or(WebError::BadForm)?;
    check_upload_form(&req, &session, &up.csrf)?;
    let c = crate::http::web::communities::community(&state, &path.0).await?;
    let r = resources::find(&state, &session.account, &c, &path.1).await?;
    let s = strings(crate::http::web::language::current(&state.config.locale));
    let outcome = match &up.bytes {
        None => Err(DomainError::invalid("file", Rule::TooLong)),
        Some(bytes) => attachments::add(&state, &session.account, &r, &up.name, bytes).await,
    };
    let message = match outcome {
        Ok(_) => {
            return Ok(redirect(&format!(
                "/communities/{}/resources/{}",
                path.0, path.1
            )));
        }
        Err(DomainError::Invalid {
            field: "file",
            rule,
        }) => {
            if rule == Rule::TooLong {
                format!(
                    "{} ({})",
                    s.file_too_large,
                    size_words(i64::try_from(max).unwrap_or(0))
                )
            } else {
                s.file_empty.to_owned()
            }
        }
        Err(DomainError::Forbidden(attachments::FORBIDDEN_TYPE)) => s.file_type.to_owned(),
        Err(e) => return Err(e.into()),
    };
    render_show(
        &state,
        &session,
        &path.0,
        &path.1,
        StatusCode::UNPROCESSABLE_ENTITY,
        false,
        Some(message),
    )
    .await
}

/// `filename="…"` for old clients (ASCII only) and `filename*` (RFC 6266) for the real name.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[get("/communities/{handle}/resources/{slug}/attachments/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    member: MemberOf<Web>,
    path: web::Path<(String, String, i64)>,
) -> WebResult<HttpResponse> {
    let account = member.account();
    let r = resources::find(&state, account, &member.community, &path.1).await?;
    let (a, bytes) = attachments::open(&state, account, &r, path.2).await?;
    Ok(HttpResponse::Ok()
        .content_type(a.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition(&a.name)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
