//! The group side of FEP-1b12, outbound: a community hosted here `Announce`s an activity to
//! every member's node (one delivery per node, by shared inbox).

use serde_json::Value;

use crate::db::CommunityRow;
use crate::domain::DomainResult;
use crate::federation::convert::to_as::activity;
use crate::federation::outbox;
use crate::state::AppState;
use crate::urls::Urls;

/// The group Announces `inner` to every member's node.
pub async fn announce(state: &AppState, c: &CommunityRow, inner: &Value) -> DomainResult<()> {
    let group = crate::domain::communities::group_of(state, c).await?;
    let followers = Urls::followers(&group.ap_id);
    let mut inner = inner.clone();
    if let Value::Object(m) = &mut inner {
        // The inner activity travels embedded; its context is the outer one.
        m.remove("@context");
    }
    let doc = activity(
        "Announce",
        &state.urls.new_activity(),
        &group.ap_id,
        inner,
        &[&followers],
    );
    let members = state.store.member_actors(c.id).await?;
    outbox::send(state, &group, &doc, &members)
        .await
        .map_err(crate::domain::communities::unreachable)?;
    Ok(())
}
