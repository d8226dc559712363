//! The directory as a collection for approved peers: every local entry shown to the circle,
//! embedded as the `Person` with its circle fields. A newly approved peer pulls it once;
//! afterwards each change is pushed (`federation::publish::directory`).

use actix_web::{HttpResponse, get, web};

use super::fetched::Fetched;
use super::{ApError, ap_json};
use crate::federation::convert::directory;
use crate::state::AppState;

#[get("/federation/directory")]
pub async fn collection(
    state: web::Data<AppState>,
    _: Fetched<()>,
) -> Result<HttpResponse, ApError> {
    let id = format!("{}/federation/directory", state.urls.base());
    let doc = directory::circle_collection(&state, &id).await?;
    Ok(ap_json(doc))
}
