//! The JSON API under `/api/v1`: thin handlers over the domain, one error shape.

mod action_plan;
mod communities;
mod directory;
mod events;
mod instance;
mod me;
mod peers;
mod resources;
mod search;
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
            .service(me::leave)
            .service(social::follow)
            .service(social::unfollow)
            .service(social::list)
            .service(social::publish)
            .service(action_plan::list)
            .service(action_plan::create)
            .service(action_plan::show)
            .service(action_plan::edit)
            .service(action_plan::status)
            .service(action_plan::escalate)
            .service(action_plan::comment)
            .service(action_plan::remove)
            .service(communities::list)
            .service(communities::create)
            .service(resources::list)
            .service(resources::create)
            .service(resources::show)
            .service(resources::history)
            .service(resources::edit)
            .service(resources::restore)
            .service(resources::upload)
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
            .service(events::update)
            .service(users::list)
            .service(users::create)
            .service(users::disable)
            .service(users::enable)
            .service(peers::list)
            .service(peers::request)
            .service(peers::audit)
            .service(peers::show)
            .service(peers::decide)
            .configure(directory::configure)
            .service(search::search)
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound("no such API endpoint"))
            })),
    );
}
