//! Remote actors: read from the cache, fetched from their origin when missing or stale.

use serde_json::Value;

use super::convert::from_as;
use super::fetch::{FetchBudget, check_target, fetch_json, read_capped};
use super::{FederationError, authority_of_str};
use crate::db::{ActorRow, now_ms};
use crate::domain::Ctx;
use crate::domain::communities::GroupProfile;
use crate::domain::ports::{PortFuture, Remote};
use crate::state::AppState;

/// A cached actor older than this is refreshed on next use.
const STALE_MS: i64 = 24 * 3600 * 1000;

/// The actor with this id: local, cached, or fetched now.
pub async fn actor(
    state: &AppState,
    ap_id: &str,
    budget: &FetchBudget,
) -> Result<ActorRow, FederationError> {
    if let Some(row) = state.store.actor_by_ap_id(ap_id).await? {
        let fresh = row.is_local == 1 || row.fetched_at.is_some_and(|t| now_ms() - t < STALE_MS);
        if fresh {
            return Ok(row);
        }
    }
    refresh(state, ap_id, budget).await
}

/// Fetches an actor this node does not know yet (a post's author, a participant), so pages
/// show a name rather than a URL. A failed fetch is only logged: what refers to the actor
/// stands without it, and the next mention tries again.
pub async fn remember(
    state: &AppState,
    ap_id: &str,
    budget: &FetchBudget,
) -> Result<(), crate::db::DbError> {
    if state.store.actor_by_ap_id(ap_id).await?.is_none()
        && let Err(e) = actor(state, ap_id, budget).await
    {
        tracing::info!(actor = %ap_id, error = %e, "actor not fetched");
    }
    Ok(())
}

/// Fetches an actor from its origin and updates the cache.
pub async fn refresh(
    state: &AppState,
    ap_id: &str,
    budget: &FetchBudget,
) -> Result<ActorRow, FederationError> {
    let doc = fetch_json(state, ap_id, budget).await?;
    store_actor(state, &doc).await
}

/// Caches an actor document that was fetched from its own origin.
pub async fn store_actor(state: &AppState, doc: &Value) -> Result<ActorRow, FederationError> {
    let new = from_as::remote_actor(doc)?;
    if new.authority == state.config.authority {
        return Err(FederationError::OriginMismatch(
            "a remote document claims a local id".into(),
        ));
    }
    let row = match state.store.upsert_remote_actor(&new).await {
        // Two requests from a new peer stored its actor at the same moment: on PostgreSQL the
        // loser trips the second unique key before the upsert's own. The row exists now.
        Err(crate::db::DbError::Duplicate(_)) => state.store.upsert_remote_actor(&new).await?,
        other => other?,
    };
    state.fed.keys.remember(&row)?;
    Ok(row)
}

/// Resolves `user@authority` (with or without a leading `@` or `acct:`) or an actor URL.
pub async fn resolve(
    state: &AppState,
    target: &str,
    budget: &FetchBudget,
) -> Result<ActorRow, FederationError> {
    let target = target.trim();
    if target.starts_with("https://") || target.starts_with("http://") {
        return actor(state, target, budget).await;
    }
    let handle = target.trim_start_matches("acct:").trim_start_matches('@');
    let (user, authority) = handle.split_once('@').ok_or_else(|| {
        FederationError::Malformed(format!("{target:?} is neither a URL nor user@authority"))
    })?;
    if authority == state.config.authority {
        return state
            .store
            .local_actor(user, "Person")
            .await?
            .ok_or_else(|| FederationError::Malformed(format!("no local agent {user}")));
    }
    let url = url::Url::parse(&format!(
        "{}://{authority}/.well-known/webfinger",
        state.config.scheme()
    ))
    .map_err(|e| FederationError::Malformed(e.to_string()))?;
    let mut url = url;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{handle}"));
    check_target(state, &url).await?;
    let res = state
        .fed
        .http
        .get(url.clone())
        .header("Accept", "application/jrd+json, application/json")
        .send()
        .await
        .map_err(|e| FederationError::Remote(format!("webfinger: {e}")))?;
    if !res.status().is_success() {
        return Err(FederationError::Status(res.status().as_u16()));
    }
    let jrd: Value = serde_json::from_slice(&read_capped(res).await?)
        .map_err(|e| FederationError::Remote(format!("webfinger: {e}")))?;
    let self_link = jrd
        .get("links")
        .and_then(Value::as_array)
        .and_then(|links| {
            links.iter().find(|l| {
                l.get("rel").and_then(Value::as_str) == Some("self")
                    && l.get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.contains("activity+json") || t.contains("ld+json"))
            })
        })
        .and_then(|l| l.get("href").and_then(Value::as_str))
        .ok_or_else(|| FederationError::Remote("webfinger: no self link".into()))?;
    if authority_of_str(self_link).as_deref() != Some(authority) {
        return Err(FederationError::OriginMismatch(format!(
            "webfinger of {authority} points to {self_link}"
        )));
    }
    actor(state, self_link, budget).await
}

/// The federation layer's [`Remote`](crate::domain::ports::Remote): the functions above,
/// each call with its own fetch budget.
pub struct RemoteNodes {
    fed: std::sync::Arc<super::Federation>,
}

impl RemoteNodes {
    pub fn new(fed: std::sync::Arc<super::Federation>) -> Self {
        Self { fed }
    }
}

impl Remote for RemoteNodes {
    fn actor<'a>(&'a self, ctx: &'a Ctx, ap_id: &'a str) -> PortFuture<'a, ActorRow> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { Ok(actor(&state, ap_id, &FetchBudget::new(3)).await?) })
    }

    fn resolve<'a>(&'a self, ctx: &'a Ctx, handle: &'a str) -> PortFuture<'a, ActorRow> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { Ok(resolve(&state, handle, &FetchBudget::new(10)).await?) })
    }

    fn approved<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, bool> {
        Box::pin(async move { Ok(self.fed.policy.allows(&ctx.store, authority).await?) })
    }

    fn instance_actor<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, ActorRow> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move {
            Ok(super::handshake::fetch_instance_actor_for_handshake(&state, authority).await?)
        })
    }

    fn group<'a>(&'a self, ctx: &'a Ctx, ap_id: &'a str) -> PortFuture<'a, GroupProfile> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move {
            let doc = fetch_json(&state, ap_id, &FetchBudget::default()).await?;
            Ok(group_profile(&doc))
        })
    }

    fn file<'a>(&'a self, ctx: &'a Ctx, url: &'a str, max_bytes: usize) -> PortFuture<'a, Vec<u8>> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { Ok(super::fetch_file::fetch_file(&state, url, max_bytes).await?) })
    }

    fn communities<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, usize> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { Ok(super::community_list::pull(&state, authority).await?) })
    }

    fn requests<'a>(
        &'a self,
        ctx: &'a Ctx,
        ap_id: &'a str,
    ) -> PortFuture<'a, Vec<crate::domain::communities::RemoteRequest>> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { Ok(pending_requests(&state, ap_id).await?) })
    }
}

/// Largest list of pending requests read from a host.
const MAX_REQUESTS: usize = 500;

/// The `requests` collection of a remote group (issue 18): `Follow`s with who sent them.
async fn pending_requests(
    state: &AppState,
    group: &str,
) -> Result<Vec<crate::domain::communities::RemoteRequest>, FederationError> {
    let budget = FetchBudget::new(1);
    let doc: Value = fetch_json(state, &format!("{group}/requests"), &budget).await?;
    let text = |v: &Value, k: &str, max: usize| -> String {
        from_as::str_field(v, k)
            .unwrap_or_default()
            .chars()
            .take(max)
            .collect()
    };
    let items = doc
        .get("orderedItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(items
        .iter()
        .filter(|f| from_as::kind_of(f) == Some("Follow"))
        .filter_map(|f| {
            let follow_id = from_as::str_field(f, "id")?;
            // Sent from the requesting agent's node: any web address, never anything else.
            authority_of_str(follow_id)?;
            Some(crate::domain::communities::RemoteRequest {
                follow_id: follow_id.chars().take(500).collect(),
                actor: text(f, "actor", 500),
                display_name: text(f, "name", 200),
                institution: text(f, "institution", 200),
                answer: text(f, "answer", 1_000),
            })
        })
        .take(MAX_REQUESTS)
        .collect())
}

/// What a group document says of its community (our extension fields, as `to_as` writes
/// them), unchecked: the domain bounds each field when it stores them.
pub fn group_profile(doc: &Value) -> GroupProfile {
    let text = |k: &str| from_as::str_field(doc, k).unwrap_or_default().to_owned();
    GroupProfile {
        name: text("name"),
        description: text("description"),
        tags: text("tags"),
        join_mode: text("joinMode"),
        question: text("question"),
        charter: text("charter"),
    }
}
