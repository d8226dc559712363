//! `/metrics` for Prometheus, readable only from `metrics_allow`, and the middleware that
//! counts and times every request by route pattern.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, web};

use super::error::ApiError;
use super::forwarded::forwarded_for;
use crate::config::IpAllowList;
use crate::metrics::{self, PoolStats, UNMATCHED_ROUTE};
use crate::state::AppState;

/// Prometheus text exposition of this process's series and this node's database pool.
#[get("/metrics")]
pub async fn scrape(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if !may_scrape(&req, &state.config.metrics_allow) {
        return ApiError::Forbidden(
            "metrics are readable only from the addresses in metrics_allow",
        )
        .error_response();
    }
    let pool = state.store.pool();
    let text = metrics::render(PoolStats {
        open: pool.size(),
        idle: pool.num_idle(),
        max: pool.options().get_max_connections(),
    });
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(text)
}

/// The TCP peer must be allowed, and so must every address a proxy says it forwarded for:
/// behind a reverse proxy on the same machine the peer is always 127.0.0.1, and checking the
/// peer alone would publish the metrics to the whole Internet through the proxy. A client can
/// add addresses to `X-Forwarded-For` but not remove the one its proxy appends, so this
/// cannot be used to get in, only to be refused.
fn may_scrape(req: &HttpRequest, allow: &IpAllowList) -> bool {
    let Some(peer) = req.peer_addr() else {
        return false;
    };
    match forwarded_for(req.headers()) {
        Some(forwarded) => allow.allows(peer.ip()) && forwarded.iter().all(|ip| allow.allows(*ip)),
        None => false,
    }
}

/// Counts and times each request under its route pattern (`/users/{username}`), so that the
/// number of series stays bounded whatever paths clients ask for.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let result = next.call(req).await;
    // The pattern is read after routing, from the response's request: holding a clone of the
    // request during the call would stop `NormalizePath` from rewriting it.
    let (status, route) = match &result {
        Ok(res) => (res.status(), res.request().match_pattern()),
        Err(e) => (e.as_response_error().status_code(), None),
    };
    metrics::http_request(
        method.as_str(),
        route.as_deref().unwrap_or(UNMATCHED_ROUTE),
        status.as_u16(),
        started.elapsed(),
    );
    result
}
