//! The installable app: the web app manifest (the institution's name and colour, PNG icons),
//! the service worker (served from the root so that it may control every page), its offline
//! page (self-contained: the worker keeps only it), and the two small scripts. All same-origin, as the Content-Security-Policy wants.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::i18n::push::{PushStrings, strings};
use crate::state::AppState;

const SW: &str = include_str!("../../../static/sw.js");
const APP: &str = include_str!("../../../static/app.js");
const PUSH: &str = include_str!("../../../static/push.js");
const ICON_192: &[u8] = include_bytes!("../../../static/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../../../static/icon-512.png");
const ICON_MASKABLE: &[u8] = include_bytes!("../../../static/icon-maskable-512.png");

#[get("/manifest.webmanifest")]
pub async fn manifest(state: web::Data<AppState>) -> HttpResponse {
    let config = &state.config;
    let short: String = config.institution_name.chars().take(12).collect();
    let body = serde_json::json!({
        "name": config.institution_name,
        "short_name": short,
        "lang": super::language::current(&config.locale),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": config.accent_color,
        "icons": [
            { "src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png" },
            { "src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png" },
            { "src": "/static/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" },
            { "src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml" },
        ],
    });
    HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body.to_string())
}

/// Served from the root: a worker controls only the pages under its own path. Revalidated at
/// each load so that a new version reaches browsers at once.
#[get("/sw.js")]
pub async fn service_worker() -> HttpResponse {
    script(SW, "no-cache")
}

#[get("/static/app.js")]
pub async fn app_script() -> HttpResponse {
    script(APP, "public, max-age=3600")
}

#[get("/static/push.js")]
pub async fn push_script() -> HttpResponse {
    script(PUSH, "public, max-age=3600")
}

fn script(body: &'static str, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, cache))
        .body(body)
}

fn png(body: &'static [u8]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body)
}

#[get("/static/icon-192.png")]
pub async fn icon_192() -> HttpResponse {
    png(ICON_192)
}

#[get("/static/icon-512.png")]
pub async fn icon_512() -> HttpResponse {
    png(ICON_512)
}

#[get("/static/icon-maskable-512.png")]
pub async fn icon_maskable() -> HttpResponse {
    png(ICON_MASKABLE)
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    lang: &'static str,
    institution: String,
    accent: String,
    accent_text: &'static str,
    s: &'static PushStrings,
}

/// The page the service worker shows when the network is gone: it needs no session, and the
/// worker keeps it in its cache.
#[get("/offline")]
pub async fn offline(state: web::Data<AppState>) -> HttpResponse {
    let page = OfflinePage {
        lang: super::language::current(&state.config.locale),
        institution: state.config.institution_name.clone(),
        accent: state.config.accent_color.clone(),
        accent_text: super::layout::readable_text_on(&state.config.accent_color),
        s: strings(crate::http::web::language::current(&state.config.locale)),
    };
    match page.render() {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(body),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(manifest)
        .service(service_worker)
        .service(app_script)
        .service(push_script)
        .service(icon_192)
        .service(icon_512)
        .service(icon_maskable)
        .service(offline);
}
