//! The group side of FEP-1b12, outbound: a community hosted here `Announce`s an activity to
//! every member's node (one delivery per node, by shared inbox); a member's own activity
//! goes to its group (`submit`).

use serde_json::Value;

use crate::db::{ActorRow, CommunityRow};
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
    let id = announce_id(&group.ap_id, &inner).unwrap_or_else(|| state.urls.new_activity());
    let doc = activity("Announce", &id, &group.ap_id, inner, &[&followers]);
    let members = state.store.member_actors(c.id).await?;
    outbox::send(state, &group, &doc, &members).await?;
    Ok(())
}

/// The id of the group's Announce of `inner`, derived from the inner activity's id: the same
/// activity announced again (the publish journal's replay after a crash, a member's node
/// sending it twice) is the same Announce, which the queue holds once per inbox and
/// receivers deduplicate by id.
fn announce_id(group: &str, inner: &Value) -> Option<String> {
    use sha2::Digest;
    let inner_id = inner.get("id").and_then(Value::as_str)?;
    let digest = sha2::Sha256::digest(inner_id.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{group}/announces/{hex}"))
}

/// The group of community `c` (hosted here) deletes `object` (a post, a resource, an item or a
/// comment of its community) and announces the deletion to its members' nodes.
pub async fn group_delete(state: &AppState, c: &CommunityRow, object: &str) -> DomainResult<()> {
    group_delete_as(state, c, object, None).await
}

/// `group_delete` under an id derived from the object, on the group's authority (the object
/// may be another node's): a journal replay of the removal is the same activity.
pub async fn group_delete_once(
    state: &AppState,
    c: &CommunityRow,
    object: &str,
) -> DomainResult<()> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(object.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    group_delete_as(state, c, object, Some(&hex)).await
}

async fn group_delete_as(
    state: &AppState,
    c: &CommunityRow,
    object: &str,
    derived: Option<&str>,
) -> DomainResult<()> {
    let group = crate::domain::communities::group_of(state, c).await?;
    let id = match derived {
        Some(hex) => format!("{}/deletes/{hex}", group.ap_id),
        None => state.urls.new_activity(),
    };
    let del = activity(
        "Delete",
        &id,
        &group.ap_id,
        serde_json::json!(object),
        &[&c.ap_id],
    );
    announce(state, c, &del).await
}

/// A member's activity `doc` (by `author`, one of our agents) for community `c`: sent to
/// the group's inbox when the group is hosted elsewhere; announced at once by the group
/// when it is hosted here, as its inbox would after checking the member.
pub async fn submit(
    state: &AppState,
    c: &CommunityRow,
    author: &ActorRow,
    doc: &Value,
) -> DomainResult<()> {
    if c.is_local == 1 {
        return announce(state, c, doc).await;
    }
    let group = crate::domain::communities::group_of(state, c).await?;
    outbox::send(state, author, doc, std::slice::from_ref(&group)).await?;
    Ok(())
}
