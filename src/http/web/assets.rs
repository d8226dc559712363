//! Static assets, compiled into the binary: a node serves everything itself, no CDN.

use actix_web::http::header;
use actix_web::{HttpResponse, get};

const STYLE: &str = include_str!("../../../static/style.css");
const ICON: &str = include_str!("../../../static/icon.svg");
const COPY: &str = include_str!("../../../static/copy.js");

#[get("/static/style.css")]
pub async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE)
}

#[get("/static/icon.svg")]
pub async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(ICON)
}

/// The one script: « copier l'adresse » buttons (pages work without it).
#[get("/static/copy.js")]
pub async fn copy_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(COPY)
}
