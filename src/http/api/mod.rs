//! The JSON API under `/api/v1`: thin handlers over the domain, one error shape.

mod communities;
mod events;
mod instance;
mod me;
mod peers;
mod social;
mod users;

use actix_web::web;

use super::error::{ApiError, json_config};

/// JSON bodies of the API stay small; anything larger is refused with 413.
pub const JSON_LIMIT: usize = 256 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(json_config(JSON_LIMIT))
            .service(instance::show)
            .service(me::show)
            .service(me::list_tokens)
            .service(me::create_token)
            .service(me::revoke_token)
            .service(social::follow)
            .service(social::unfollow)
            .service(social::list)
            .service(social::publish)
            .service(communities::list)
            .service(communities::create)
            .service(communities::show)
            .service(communities::join)
            .service(communities::leave)
            .service(communities::members)
            .service(communities::decide)
            .service(communities::threads)
            .service(communities::new_thread)
            .service(communities::thread)
            .service(communities::reply)
            .service(communities::remove)
            .service(communities::home_feed)
            .service(communities::notifications_list)
            .service(events::list)
            .service(events::mine)
            .service(events::create)
            .service(events::show)
            .service(events::join)
            .service(events::leave)
            .service(events::cancel)
            .service(users::list)
            .service(users::create)
            .service(users::disable)
            .service(users::enable)
            .service(peers::list)
            .service(peers::request)
            .service(peers::audit)
            .service(peers::show)
            .service(peers::decide)
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound("no such API endpoint"))
            })),
    );
}
