//! Web Push, the domain's part: the node's VAPID key pair (P-256, made once and kept in the
//! database), the agents' devices (registered, listed and revoked by their owner only), and
//! what a notification queues for them: a title and a link, never a message's text. Sending
//! (RFC 8291 encryption, RFC 8292 VAPID, the guarded HTTP client) is `crate::push`'s.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use super::accounts::Account;
use super::error::{DomainError, DomainResult, Rule};
use super::notifications::kind;
use crate::db::{NewPushSubscription, PushKeyRow, PushSubscriptionRow};
use crate::domain::Ctx;

/// Devices per agent: a phone, a desk, a laptop and some spares; more is a loop somewhere.
pub const MAX_DEVICES: usize = 20;
const MAX_ENDPOINT: usize = 2048;
const MAX_LABEL: usize = 80;

/// The node's VAPID key pair, made on first use. Two processes racing keep the first stored.
pub async fn key(ctx: &Ctx) -> DomainResult<PushKeyRow> {
    if let Some(k) = ctx.store.push_key().await? {
        return Ok(k);
    }
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| DomainError::Internal("P-256 key generation failed".into()))?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
        .map_err(|_| DomainError::Internal("P-256 key unreadable".into()))?;
    let public = URL_SAFE_NO_PAD.encode(pair.public_key().as_ref());
    Ok(ctx
        .store
        .insert_push_key(&STANDARD.encode(pkcs8.as_ref()), &public)
        .await?)
}

/// What a browser's `PushSubscription.toJSON()` gives, flattened, plus a name for the device.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SubscriptionInput {
    pub endpoint: String,
    /// The browser's P-256 public key, base64url (65 bytes, uncompressed).
    pub p256dh: String,
    /// The browser's authentication secret, base64url (16 bytes).
    pub auth: String,
    /// How the agent will recognise the device (« Firefox sur Android »); optional.
    #[serde(default)]
    pub label: String,
}

/// A device as its owner sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Device {
    pub id: i64,
    pub label: String,
    /// The push service's host (the endpoint itself is a secret of the device).
    pub service: String,
    pub created_at: i64,
    pub last_push_at: Option<i64>,
}

impl From<PushSubscriptionRow> for Device {
    fn from(r: PushSubscriptionRow) -> Self {
        Device {
            id: r.id,
            service: url::Url::parse(&r.endpoint)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default(),
            label: r.label,
            created_at: r.created_at,
            last_push_at: r.last_push_at,
        }
    }
}

fn decoded(value: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(value.trim().trim_end_matches('='))
        .ok()
}

/// Checks a subscription: an https endpoint (http only where the node allows plain http, as
/// for tests), a point on P-256, a 16-byte secret, a one-line label.
fn validate(ctx: &Ctx, input: &SubscriptionInput) -> DomainResult<(String, String)> {
    let endpoint = input.endpoint.trim();
    let url = url::Url::parse(endpoint).map_err(|_| DomainError::invalid("endpoint", Rule::Url))?;
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && ctx.config.allow_http);
    if !scheme_ok || url.host_str().is_none() || !url.username().is_empty() {
        return Err(DomainError::invalid("endpoint", Rule::Url));
    }
    if endpoint.len() > MAX_ENDPOINT {
        return Err(DomainError::invalid(
            "endpoint",
            Rule::MaxLength { max: MAX_ENDPOINT },
        ));
    }
    let p256dh_ok = decoded(&input.p256dh).is_some_and(|k| {
        k.len() == 65 && web_push_native::p256::PublicKey::from_sec1_bytes(&k).is_ok()
    });
    if !p256dh_ok {
        return Err(DomainError::invalid("p256dh", Rule::PushKey));
    }
    if decoded(&input.auth).is_none_or(|a| a.len() != 16) {
        return Err(DomainError::invalid("auth", Rule::PushKey));
    }
    let label = input.label.trim();
    if label.chars().any(char::is_control) {
        return Err(DomainError::invalid("label", Rule::ControlCharacters));
    }
    if label.chars().count() > MAX_LABEL {
        return Err(DomainError::invalid(
            "label",
            Rule::MaxLength { max: MAX_LABEL },
        ));
    }
    let label = if label.is_empty() {
        url.host_str().unwrap_or_default().to_owned()
    } else {
        label.to_owned()
    };
    Ok((endpoint.to_owned(), label))
}

/// Registers one of the agent's devices. The same browser subscribing again replaces its
/// former registration.
pub async fn subscribe(
    ctx: &Ctx,
    account: &Account,
    input: &SubscriptionInput,
) -> DomainResult<Device> {
    let (endpoint, label) = validate(ctx, input)?;
    let existing = ctx.store.push_subscriptions_of(account.id).await?;
    if existing.len() >= MAX_DEVICES && !existing.iter().any(|s| s.endpoint == endpoint) {
        return Err(DomainError::Conflict(format!(
            "at most {MAX_DEVICES} devices: revoke one first"
        )));
    }
    let row = ctx
        .store
        .upsert_push_subscription(&NewPushSubscription {
            account_id: account.id,
            endpoint: &endpoint,
            p256dh: input.p256dh.trim().trim_end_matches('='),
            auth: input.auth.trim().trim_end_matches('='),
            label: &label,
        })
        .await?;
    Ok(row.into())
}

/// The agent's devices, oldest first.
pub async fn devices(ctx: &Ctx, account: &Account) -> DomainResult<Vec<Device>> {
    Ok(ctx
        .store
        .push_subscriptions_of(account.id)
        .await?
        .into_iter()
        .map(Device::from)
        .collect())
}

/// Revokes one of the agent's devices; another agent's device is not found, whoever asks.
pub async fn revoke(ctx: &Ctx, account: &Account, id: i64) -> DomainResult<()> {
    if ctx.store.delete_push_subscription(account.id, id).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("device"))
    }
}

/// The title of a push: what happened, in the node's language, and where. Never the text of
/// a message: a locked phone shows it to whoever is near.
pub fn title(locale: &str, what: &str, community: Option<&str>) -> String {
    let fr = !locale.starts_with("en");
    let text = match (what, fr) {
        (kind::REPLY, true) => "Nouvelle réponse dans une discussion que vous suivez",
        (kind::REPLY, false) => "New reply in a thread you follow",
        (kind::MENTION, true) => "Quelqu’un vous a mentionné",
        (kind::MENTION, false) => "Someone mentioned you",
        (kind::ACCEPTED, true) => "Votre demande d’adhésion a été acceptée",
        (kind::ACCEPTED, false) => "Your membership request was accepted",
        (kind::REJECTED, true) => "Votre demande d’adhésion a été refusée",
        (kind::REJECTED, false) => "Your membership request was declined",
        (kind::REQUEST, true) => "Une nouvelle demande d’adhésion attend votre décision",
        (kind::REQUEST, false) => "A new membership request awaits your decision",
        (kind::INVITED, true) => "Vous êtes invité dans une communauté",
        (kind::INVITED, false) => "You are invited to a community",
        (kind::ACTION_OWNER, true) => "Une action vous a été confiée",
        (kind::ACTION_OWNER, false) => "An action item was given to you",
        (super::events::kind::CANCELLED, true) => {
            "Une séance à laquelle vous êtes inscrit est annulée"
        }
        (super::events::kind::CANCELLED, false) => "A session you registered for is cancelled",
        (super::events::kind::CHANGED, true) => "Une séance à laquelle vous êtes inscrit a changé",
        (super::events::kind::CHANGED, false) => "A session you registered for has changed",
        (super::events::kind::SEAT, true) => "Une place s’est libérée pour vous dans une séance",
        (super::events::kind::SEAT, false) => "A seat freed up for you in a session",
        (_, true) => "Nouvelle notification",
        (_, false) => "New notification",
    };
    match community {
        Some(c) if !c.is_empty() => format!("{text} ({c})"),
        _ => text.to_owned(),
    }
}

/// Queues a push for each device of the local agent behind `actor_id`, after an in-app
/// notification. The link is the agent's notifications page, absolute: a push opens it, and
/// the page says the rest to the signed-in agent only. Failing to queue never fails the action.
pub async fn notify(ctx: &Ctx, actor_id: i64, what: &str, community_id: Option<i64>, due_at: i64) {
    let community = match community_id {
        Some(id) => ctx
            .store
            .community_by_id(id)
            .await
            .ok()
            .flatten()
            .map(|c| c.name),
        None => None,
    };
    // The agent's language: the push is written to her, whoever acted.
    let lang = super::languages::for_actor(ctx, actor_id).await;
    let title = title(lang, what, community.as_deref());
    let link = format!("{}/notifications", ctx.urls.base());
    if let Err(e) = ctx
        .store
        .enqueue_push_for_actor(actor_id, &title, &link, due_at)
        .await
    {
        tracing::warn!(error = %e, "push not queued");
    }
}
