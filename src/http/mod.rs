//! HTTP: routes and thin handlers for the web interface, the JSON API, ActivityPub and
//! operations. Handlers parse, call the domain and answer; errors map to statuses in `error`.

pub mod activitypub;
pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod forwarded;
pub mod metrics;
pub mod ops;
pub mod upload;
pub mod web;

use actix_web::web as aw;

/// Registers every route of a node.
pub fn configure(cfg: &mut aw::ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(metrics::scrape)
        .configure(api::configure)
        .configure(activitypub::configure)
        .service(web::assets::style)
        .service(web::assets::icon)
        .service(web::assets::copy_script)
        .service(web::home::page)
        .service(web::login::show)
        .service(web::login::submit)
        .service(web::login::logout)
        .service(web::profile::page)
        .service(web::profile::update)
        .service(web::profile::create_token)
        .service(web::profile::revoke_token)
        .service(web::profile::leave)
        .service(web::profiles::page)
        .service(web::admin_accounts::page)
        .service(web::admin_accounts::invite)
        .service(web::admin_accounts::act)
        .service(web::admin_deliveries::page)
        .service(web::admin_deliveries::retry)
        .service(web::setup::show)
        .service(web::setup::create)
        .service(web::invitation::show)
        .service(web::invitation::accept)
        .service(web::admin::home)
        .service(web::admin::audit)
        .service(web::federation::page)
        .service(web::federation::request)
        .service(web::federation_confirm::confirm)
        .service(web::federation_confirm::decide)
        .service(web::communities::index)
        .service(web::communities::create)
        .service(web::communities::find)
        .service(web::discussions::queue)
        .service(web::discussions::close)
        .service(web::community_members::members)
        .service(web::community_members::member_action)
        .service(web::communities::join)
        .service(web::communities::leave)
        .service(web::community_members::invite)
        .service(web::communities::new_thread)
        .service(web::post_kinds::list)
        .service(web::action_plan::plan)
        .service(web::action_plan::propose)
        .service(web::action_plan::print)
        .service(web::action_plan::csv)
        .service(web::action_plan::item)
        .service(web::action_plan::comment)
        .service(web::action_plan::set_status)
        .service(web::action_plan::escalate)
        .service(web::action_plan::edit)
        .service(web::resources::index)
        .service(web::resources::create)
        .service(web::resources::show)
        .service(web::resources::edit_form)
        .service(web::resources::edit)
        .service(web::resources::history)
        .service(web::resources::diff)
        .service(web::resources::restore)
        .service(web::resources::delete)
        .service(web::resources::upload)
        .service(web::resources::download)
        .service(web::events::community_ics)
        .service(web::events::list)
        .service(web::events::create)
        .service(web::events::show)
        .service(web::events::by_ap_id)
        .service(web::events::act)
        .service(web::events::edit)
        .service(web::events::update)
        .service(web::events::session_ics)
        .service(web::events::personal_ics)
        .service(web::events::mine)
        .service(web::events::regenerate)
        .service(web::communities::show)
        .service(web::discussions::show)
        .service(web::discussions::reply)
        .service(web::discussions::action)
        .configure(web::directory::configure)
        .configure(web::search::configure)
        .service(web::notifications::page)
        .service(web::notifications::mark_read)
        .service(web::admin_mail::page)
        .service(web::admin_mail::retry)
        .service(web::admin_mail::demo)
        .service(web::password_reset::forgot_page)
        .service(web::password_reset::ask_link)
        .service(web::password_reset::reset_form)
        .service(web::password_reset::set_password)
        .service(web::oidc::start)
        .service(web::oidc::callback)
        .configure(web::onboarding::configure)
        // Issue 17: a notification opened is read, and leads where one acts.
        .service(web::notifications::open)
        // Issue 18: polls.
        .configure(web::polls::configure)
        .configure(web::messages::configure)
        .service(web::notification_prefs::page)
        .service(web::notification_prefs::save)
        .service(web::unsubscribe::confirm)
        .service(web::unsubscribe::apply)
        // Issue 18: attendance and attestations.
        .service(web::attendance::show)
        .service(web::attendance::mark)
        .service(web::attendance::sign_in_sheet)
        .service(web::attendance::participants_csv)
        .service(web::attendance::participants)
        .service(web::attendance::attestation)
        .service(web::attendance::trainings)
        .service(web::attendance::report_form)
        .service(web::attendance::publish_report)
        .configure(web::devices::configure)
        .configure(web::installable::configure)
        // Issue 19: writing aids (toolbar, preview, mentions).
        .configure(web::compose::configure)
        .service(web::reactions::react)
        // Issue 19: photos in posts.
        .service(web::images::serve)
        // Issue 19: the agent's language.
        .service(web::profile::choose_language);
}

/// Unknown paths: JSON for API-looking clients, an HTML page for browsers.
pub async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    let wants_json = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("json") && !a.contains("text/html"));
    if wants_json {
        error::ApiError::NotFound("not found").error_response()
    } else {
        web::WebError::NotFound.error_response()
    }
}
