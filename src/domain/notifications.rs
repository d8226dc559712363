//! In-app notifications: a reply in a thread one took part in, a mention, a decision on one's
//! membership request, a new request (for animateurs), an action item given to one. Only
//! local agents are notified here; a remote agent's own node notifies them when the activity
//! reaches it.

use serde::Serialize;

use super::accounts::Account;
use super::error::DomainResult;
use crate::db::NotificationRow;
use crate::domain::Ctx;

/// What happened.
pub mod kind {
    pub const REPLY: &str = "reply";
    pub const MENTION: &str = "mention";
    pub const ACCEPTED: &str = "membership_accepted";
    pub const REJECTED: &str = "membership_rejected";
    pub const REQUEST: &str = "membership_request";
    pub const INVITED: &str = "invited";
    /// The host refused an edit of a resource (written on a stale revision).
    pub const RESOURCE_REFUSED: &str = "resource_refused";
    /// An action item was given to the agent (proposed or edited with them as owner).
    pub const ACTION_OWNER: &str = "action_owner";
    /// A private message reached the agent (`post` holds its id).
    pub const MESSAGE: &str = "message";
    /// Another institution asks to federate: for the admins to decide (issue 15).
    pub const PEER_REQUEST: &str = "peer_request";
    /// A session the agent registered for is tomorrow, or in a week (issue 15): mail only,
    /// never an in-app notification.
    pub const SESSION_REMINDER: &str = "session_reminder";
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub community: Option<String>,
    /// Where the pages link to; the API names the community by its name only.
    #[serde(skip)]
    pub community_id: Option<i64>,
    pub post: Option<String>,
    pub read: bool,
    pub created_at: i64,
}

impl From<NotificationRow> for Notification {
    fn from(r: NotificationRow) -> Self {
        Notification {
            id: r.id,
            kind: r.kind,
            actor: r.actor_ap_id,
            community: r.community_name,
            community_id: r.community_id,
            post: r.post_ap_id,
            read: r.read_at.is_some(),
            created_at: r.created_at,
        }
    }
}

/// Notifies the agent behind `actor_id` when it is local. Failing to notify never fails the
/// action that caused it.
pub async fn send(
    state: &Ctx,
    actor_id: i64,
    what: &str,
    from: &str,
    community_id: Option<i64>,
    post: Option<&str>,
) {
    if let Err(e) = state
        .store
        .notify(actor_id, what, from, community_id, post)
        .await
    {
        tracing::warn!(error = %e, "notification not stored");
        return;
    }
    if let Err(e) = tell_outside(state, actor_id, what, from, community_id, post).await {
        tracing::warn!(error = %e, kind = what, "notification not queued for mail or push");
    }
}

/// The one place a notification leaves the app: the agent's preferences decide
/// ([`super::notification_delivery::plan`]) whether and when the messenger writes to them.
async fn tell_outside(
    state: &Ctx,
    actor_id: i64,
    what: &str,
    from: &str,
    community_id: Option<i64>,
    post: Option<&str>,
) -> DomainResult<()> {
    use super::notification_delivery::{Plan, plan};
    let Some(account) = state.store.enabled_account_of_actor(actor_id).await? else {
        return Ok(());
    };
    let prefs = super::notification_prefs::load(state, account.id).await?;
    let now = state.clock.now_ms();
    let tz = jiff::tz::TimeZone::get(&state.config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let due_at = match plan(&prefs, what, community_id, now, &tz) {
        Plan::Now => now,
        Plan::At(at) => at,
        // The digest reads the notifications table itself.
        Plan::Digest | Plan::Off => return Ok(()),
    };
    // Push follows the same preferences and quiet hours as mail.
    super::push::notify(state, actor_id, what, community_id, due_at).await;
    let notice = super::ports::Notice {
        account_id: account.id,
        kind: what.to_owned(),
        from: from.to_owned(),
        community_id,
        object: post.map(str::to_owned),
        due_at,
    };
    state.messenger.notify(state, notice).await
}

/// Same, for an actor known by its id (a post's author).
pub async fn send_to_ap_id(
    state: &Ctx,
    ap_id: &str,
    what: &str,
    from: &str,
    community_id: Option<i64>,
    post: Option<&str>,
) {
    if let Ok(Some(actor)) = state.store.actor_by_ap_id(ap_id).await
        && actor.is_local == 1
    {
        send(state, actor.id, what, from, community_id, post).await;
    }
}

/// The agent's notifications, newest first.
pub async fn list(state: &Ctx, account: &Account) -> DomainResult<Vec<Notification>> {
    Ok(state
        .store
        .notifications(account.id)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect())
}

/// Opens one of the agent's notifications: it is read from now on. Another agent's
/// notification is not found, as if it did not exist.
pub async fn open(state: &Ctx, account: &Account, id: i64) -> DomainResult<Notification> {
    state
        .store
        .open_notification(account.id, id)
        .await?
        .map(Notification::from)
        .ok_or(super::DomainError::NotFound("notification"))
}

pub async fn mark_read(state: &Ctx, account: &Account) -> DomainResult<()> {
    Ok(state.store.mark_notifications_read(account.id).await?)
}
