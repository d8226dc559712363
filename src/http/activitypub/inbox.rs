//! `POST /inbox`, `/actor/inbox`, `/users/{name}/inbox`: verify, check, process, 202.

use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};

use super::ApError;
use super::signed::verify_request;
use crate::federation::inbox::receive;
use crate::state::AppState;

pub async fn post(
    state: Data<AppState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApError> {
    let signer = verify_request(&state, &req, Some(&body)).await?;
    receive(&state, &signer, &body).await?;
    Ok(HttpResponse::Accepted().finish())
}
