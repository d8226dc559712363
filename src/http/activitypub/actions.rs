//! Action items and their comments written here, for the community's host and members'
//! nodes (signed fetch); other nodes are refused, as for posts.

use actix_web::{HttpResponse, get};

use super::fetched::Fetched;
use super::{ApError, ap_json};
use crate::db::{ActionCommentRow, ActionItemRow, CommunityRow};
use crate::federation::context::with_context;
use crate::federation::convert::actions::{comment_object, item_object};

#[get("/actions/{id}")]
pub async fn action(
    get: Fetched<(CommunityRow, ActionItemRow, Option<ActionCommentRow>)>,
) -> Result<HttpResponse, ApError> {
    let (c, item, comment) = get.object;
    let doc = match comment {
        None => item_object(&item, &c.ap_id),
        Some(m) => comment_object(&m, &item.ap_id, &c.ap_id),
    };
    Ok(ap_json(with_context(doc)))
}
