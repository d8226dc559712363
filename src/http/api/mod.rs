//! The JSON API under `/api/v1`: thin handlers over the domain, one error shape, and their
//! OpenAPI description served at `/api/v1/openapi.json`.

mod action_plan;
mod communities;
mod community_json;
mod directory;
mod events;
mod instance;
mod me;
mod openapi;
mod peers;
mod resources;
mod search;
mod social;
mod users;
// Issue 14.
mod conversations;
// Issue 15: notification preferences.
mod notification_prefs;
// Issue 15: Web Push.
mod push;
// Issue 18: polls and attendance.
mod attendance;
mod polls;
// Issue 19: reactions.
mod reactions;
// Issue 19: photos in posts.
mod images;
// Issue 19: the agent's language.
mod language;

use actix_web::web;

use super::error::{ApiError, json_config};
use openapi::Conventions;
pub use openapi::PREFIX;

/// JSON bodies of the API stay small; anything larger is refused with 413.
pub const JSON_LIMIT: usize = 256 * 1024;

/// Every handler of the API, listed once: `register` adds them to the scope and `ApiDoc`
/// describes the same list, so a route cannot be served without its description (a handler
/// without `#[utoipa::path]` does not compile here). `tests/it/openapi.rs` checks both ways.
macro_rules! routes {
    ($($module:ident :: $handler:ident),* $(,)?) => {
        fn register(scope: actix_web::Scope) -> actix_web::Scope {
            scope$(.service($module::$handler))*
        }

        /// The OpenAPI description of `/api/v1`: every route `register` adds.
        #[derive(utoipa::OpenApi)]
        #[openapi(
            paths($($module::$handler),*),
            components(schemas(crate::http::error::ErrorBody)),
            modifiers(&Conventions),
            info(description = "The JSON API of an entrepairs node. Authenticate with a personal API token: `Authorization: Bearer ep_…`."),
        )]
        pub struct ApiDoc;
    };
}

routes! {
    openapi::document,
    instance::show,
    me::show,
    me::list_tokens,
    me::create_token,
    me::revoke_token,
    me::leave,
    social::follow,
    social::unfollow,
    social::list,
    social::publish,
    action_plan::list,
    action_plan::create,
    action_plan::show,
    action_plan::edit,
    action_plan::status,
    action_plan::escalate,
    action_plan::comment,
    action_plan::remove,
    communities::list,
    communities::create,
    resources::list,
    resources::create,
    resources::show,
    resources::history,
    resources::edit,
    resources::restore,
    resources::upload,
    communities::show,
    communities::join,
    communities::leave,
    communities::members,
    communities::decide,
    communities::threads,
    communities::new_thread,
    communities::thread,
    communities::reply,
    communities::remove,
    communities::home_feed,
    communities::notifications_list,
    events::list,
    events::mine,
    events::create,
    events::show,
    events::join,
    events::leave,
    events::cancel,
    events::update,
    users::list,
    users::create,
    users::disable,
    users::enable,
    peers::list,
    peers::request,
    peers::audit,
    peers::show,
    peers::decide,
    directory::list,
    directory::mine,
    directory::save,
    directory::card,
    directory::show,
    search::search,
    conversations::list,
    conversations::show,
    conversations::send,
    conversations::remove,
    notification_prefs::show,
    notification_prefs::save,
    push::key,
    push::list,
    push::add,
    push::revoke,
    polls::list,
    polls::create,
    polls::show,
    polls::vote,
    polls::change_vote,
    polls::schedule,
    attendance::show,
    attendance::mark,
    attendance::trainings,
    reactions::add,
    reactions::remove,
    images::reply_with_photos,
    language::show,
    language::save,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        register(web::scope(PREFIX).app_data(json_config(JSON_LIMIT))).default_service(web::to(
            || async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound("no such API endpoint"))
            },
        )),
    );
}
