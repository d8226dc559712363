//! A session hosted here, as an ActivityStreams `Event`: for the nodes of the community's
//! members only (members-only content, like posts).

use actix_web::{HttpResponse, get};

use super::fetched::Fetched;
use super::{ApError, ap_json};
use crate::db::{CommunityRow, EventRow, ParticipantRow};
use crate::federation::context::with_context;
use crate::federation::convert::events::event_object;

#[get("/events/{id}")]
pub async fn event(
    get: Fetched<(EventRow, CommunityRow, Vec<ParticipantRow>)>,
) -> Result<HttpResponse, ApError> {
    let (e, c, participants) = get.object;
    Ok(ap_json(with_context(event_object(
        &e,
        &c.ap_id,
        &participants,
    ))))
}
