//! Public discovery documents: WebFinger, NodeInfo 2.1 and host-meta.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use serde_json::json;

use super::ApError;
use crate::domain::instance;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// `acct:name@authority` (persons, the instance actor, community groups) or an actor URL.
#[get("/.well-known/webfinger")]
pub async fn webfinger(
    state: web::Data<AppState>,
    q: web::Query<WebfingerQuery>,
) -> Result<HttpResponse, ApError> {
    let resource = q
        .resource
        .as_deref()
        .filter(|r| r.len() <= 512)
        .ok_or_else(|| ApError::BadRequest("resource is required".into()))?;
    let authority = &state.config.authority;
    let actor = if let Some(handle) = resource.strip_prefix("acct:") {
        let (user, host) = handle
            .rsplit_once('@')
            .ok_or_else(|| ApError::BadRequest("acct: needs user@authority".into()))?;
        if !host.eq_ignore_ascii_case(authority) {
            return Err(ApError::NotFound);
        }
        instance::by_handle(&state, user).await?
    } else {
        instance::local_by_ap_id(&state, resource).await?
    };
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(json!({
            "subject": format!("acct:{}@{authority}", actor.username),
            "aliases": [actor.ap_id],
            "links": [
                { "rel": "self", "type": "application/activity+json", "href": actor.ap_id },
                { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor.ap_id },
            ],
        })))
}

#[get("/.well-known/nodeinfo")]
pub async fn nodeinfo_links(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", state.urls.base()),
        }]
    }))
}

#[get("/nodeinfo/2.1")]
pub async fn nodeinfo(state: web::Data<AppState>) -> Result<HttpResponse, ApError> {
    let users = instance::agent_count(&state).await?;
    let c = &state.config;
    Ok(HttpResponse::Ok()
        .content_type(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        )
        .json(json!({
            "version": "2.1",
            "software": {
                "name": "entrepairs",
                "version": env!("CARGO_PKG_VERSION"),
                "repository": env!("CARGO_PKG_REPOSITORY"),
            },
            "protocols": ["activitypub"],
            "services": { "inbound": [], "outbound": [] },
            "openRegistrations": false,
            "usage": { "users": { "total": users } },
            "metadata": {
                "nodeName": c.institution_name,
                "institutionKind": c.institution_kind.as_str(),
                "branch": c.branch.map(|b| b.as_str()),
                "federation": "allowlist",
            },
        })))
}

#[get("/.well-known/host-meta")]
pub async fn host_meta(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        state.urls.base()
    );
    HttpResponse::Ok()
        .content_type("application/xrd+xml; charset=utf-8")
        .body(body)
}
