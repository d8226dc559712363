//! The language of the request being answered: chosen once per request by a middleware (the
//! agent's choice, else `Accept-Language`, else the node's `locale`) and read by every page,
//! error and form message through `current`, so handlers need not pass it along.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::domain::languages;
use crate::http::auth::SESSION_COOKIE;
use crate::state::AppState;

tokio::task_local! {
    /// Set around each request's handling by `negotiated`.
    static LANG: &'static str;
}

/// The language of the page being written; `configured` (the node's `locale`) outside a
/// request (workers, tests calling handlers' helpers directly).
pub fn current(configured: &str) -> &'static str {
    LANG.try_with(|l| *l)
        .unwrap_or_else(|_| languages::supported(configured).unwrap_or("fr"))
}

/// Decides the request's language, then answers within it.
pub async fn negotiated(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let lang = choose(&req).await;
    let mut res = LANG.scope(lang, next.call(req)).await?;
    // Shared caches must not hand a French page to an English browser.
    res.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    Ok(res)
}

async fn choose(req: &ServiceRequest) -> &'static str {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return "fr";
    };
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        match languages::of_session(state, cookie.value()).await {
            Ok(Some(lang)) => return lang,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "agent language unreadable"),
        }
    }
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .and_then(languages::negotiate)
        .unwrap_or_else(|| languages::node(state))
}
