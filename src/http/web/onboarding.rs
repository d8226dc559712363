//! The routes of issue 16 (bringing agents in), registered in one place.

use actix_web::web::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(super::admin_import::show)
        .service(super::admin_import::preview)
        .service(super::admin_import::confirm)
        .service(super::community_welcome::public)
        .service(super::community_welcome::manage)
        .service(super::community_welcome::act)
        .service(super::community_welcome::qr)
        .service(super::community_welcome::join_page)
        .service(super::community_welcome::join)
        .service(super::first_hour::welcome)
        .service(super::first_hour::kit);
}
