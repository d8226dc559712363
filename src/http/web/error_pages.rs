//! Error pages in the page's layout (header and menu of the agent who is logged in): a
//! `WebError` leaves its sentence on the response, and this middleware, which has the
//! request, frames it.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::Layout;
use super::i18n::Strings;
use crate::http::auth::session_of;
use crate::state::AppState;

/// The sentence an error page says, left on the response by `WebError`.
#[derive(Clone, Copy)]
pub struct ErrorMessage(pub &'static str);

#[derive(Template)]
#[template(path = "error_framed.html")]
struct FramedError {
    layout: Layout,
    t: &'static Strings,
    message: &'static str,
}

/// Re-renders an HTML error of this node within the layout.
pub async fn framed(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // The request is read from the response: a clone held across the call would keep
    // actix from reusing it.
    let res = next.call(req).await?;
    let http_req = res.request().clone();
    let message = res.response().extensions().get::<ErrorMessage>().copied();
    let (Some(ErrorMessage(message)), Some(state)) =
        (message, http_req.app_data::<web::Data<AppState>>())
    else {
        return Ok(res.map_into_left_body());
    };
    let session = session_of(&http_req).await.ok().flatten();
    let t = Layout::strings(state);
    let page = FramedError {
        layout: Layout::new(state, session.as_ref(), t.error_title, ""),
        t,
        message,
    };
    let Ok(body) = page.render() else {
        return Ok(res.map_into_left_body());
    };
    let status = res.status();
    let framed = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body);
    Ok(res.into_response(framed).map_into_right_body())
}
