//! ActivityPub over HTTP: discovery (WebFinger, NodeInfo, host-meta), actor documents with
//! content negotiation and authorized fetch, collections, and inboxes.

mod actions;
mod actors;
mod communities;
mod community_list;
mod directory;
mod discovery;
mod error;
mod events;
mod fetched;
// Issue 19: photos in posts.
mod images;
mod inbox;
mod resources;
mod signed;

use actix_web::web;

pub use error::ApError;

/// `application/activity+json`, what we answer ActivityPub requests with.
pub const AP_CONTENT_TYPE: &str = "application/activity+json";

/// The inboxes (all `POST`), registered from this list so that the authorization matrix
/// (`tests/it/authz_matrix`) reads the same one.
pub const INBOX_PATHS: [&str; 4] = [
    "/inbox",
    "/actor/inbox",
    "/users/{username}/inbox",
    "/c/{slug}/inbox",
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(discovery::webfinger)
        .service(discovery::nodeinfo_links)
        .service(discovery::nodeinfo)
        .service(discovery::host_meta)
        .service(actors::instance_actor)
        .service(actors::person)
        .service(actors::followers)
        .service(actors::following)
        .service(actors::outbox)
        .service(directory::collection)
        .service(communities::group)
        .service(communities::members)
        .service(communities::outbox)
        .service(communities::post)
        .service(actions::action)
        .service(resources::resource)
        .service(resources::attachment)
        .service(events::event)
        .service(community_list::collection)
        // Issue 18: pending requests, for an animateur's node.
        .service(communities::requests)
        // Issue 19: photos in posts.
        .service(images::image)
        .service(
            web::resource(INBOX_PATHS)
                .app_data(web::PayloadConfig::new(
                    crate::federation::inbox::MAX_BODY_BYTES,
                ))
                .route(web::post().to(inbox::post)),
        );
}

/// An ActivityStreams document, answered to content negotiation.
pub(crate) fn ap_json(doc: serde_json::Value) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(AP_CONTENT_TYPE)
        .insert_header(("Vary", "Accept"))
        .json(doc)
}

/// An ordered collection with its items and their count.
pub(crate) fn ordered_collection(id: &str, items: Vec<String>) -> actix_web::HttpResponse {
    let total = items.len();
    ap_json(crate::federation::convert::to_as::collection(
        id,
        Some(items),
        total,
    ))
}

/// Content negotiation for actors: a browser (anything not asking for ActivityStreams JSON)
/// is sent to the actor's page in the web interface.
pub(crate) fn page_for_browsers(
    req: &actix_web::HttpRequest,
    page: impl FnOnce() -> String,
) -> Option<actix_web::HttpResponse> {
    (!wants_activity_json(req)).then(|| {
        actix_web::HttpResponse::SeeOther()
            .insert_header(("Location", page()))
            .insert_header(("Vary", "Accept"))
            .finish()
    })
}

/// True when the client asks for ActivityStreams JSON rather than a page.
pub fn wants_activity_json(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("application/activity+json")
                || (a.contains("application/ld+json") && a.contains("activitystreams"))
                || a.contains("application/ld+json")
        })
}
