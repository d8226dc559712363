//! The agent's home page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::{Layout, WebResult, html};
use crate::http::auth::WebSession;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    display_name: String,
}

#[get("/")]
pub async fn page(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let WebSession(session) = session;
    let t = Layout::strings(&state);
    html(
        StatusCode::OK,
        HomePage {
            layout: Layout::new(&state, Some(&session), t.home_title, "home"),
            display_name: session.account.display_name.clone(),
        },
    )
}
