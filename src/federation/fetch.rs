//! Fetching remote objects: signed with the instance actor's key, 10 s timeout, 1 MiB cap, at
//! most one redirect (checked again), a per-request budget, only from approved peers, and the
//! document's `id` must be on the authority it was fetched from.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::SystemTime;

use futures_util::StreamExt;
use serde_json::Value;
use url::Url;

use super::guard::is_private;
use super::signatures::sign_request;
use super::{FederationError, authority_of};
use crate::state::AppState;

/// Largest remote document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// How many remote fetches one incoming request may cause: a chain of references cannot make
/// us fetch without end.
#[derive(Debug)]
pub struct FetchBudget(AtomicU32);

impl FetchBudget {
    pub fn new(n: u32) -> Self {
        Self(AtomicU32::new(n))
    }

    fn take(&self) -> Result<(), FederationError> {
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .map(|_| ())
            .map_err(|_| FederationError::FetchBudget)
    }
}

impl Default for FetchBudget {
    fn default() -> Self {
        Self::new(20)
    }
}

/// Checks that `url` may be fetched or delivered to: scheme, approved authority, and no
/// private address literal unless the configuration allows it.
pub async fn check_target(state: &AppState, url: &Url) -> Result<String, FederationError> {
    let authority = check_address(state, url)?;
    if !state.fed.policy.allows(&state.store, &authority).await? {
        return Err(FederationError::NotApproved(authority));
    }
    Ok(authority)
}

/// The part of [`check_target`] that does not depend on the peer's approval: scheme and
/// private addresses. Only the handshake uses it alone (see [`super::handshake`]).
pub fn check_address(state: &AppState, url: &Url) -> Result<String, FederationError> {
    match url.scheme() {
        "https" => {}
        "http" if state.config.allow_http => {}
        other => {
            return Err(FederationError::Refused(format!(
                "scheme {other} is not allowed"
            )));
        }
    }
    let authority =
        authority_of(url).ok_or_else(|| FederationError::Refused("URL without host".into()))?;
    if !state.config.allow_private_addresses {
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        if literal.is_some_and(is_private) || url.host_str() == Some("localhost") {
            return Err(FederationError::PrivateAddress(authority));
        }
    }
    Ok(authority)
}

/// Fetches an ActivityPub document by URL.
pub async fn fetch_json(
    state: &AppState,
    url: &str,
    budget: &FetchBudget,
) -> Result<Value, FederationError> {
    let mut url = Url::parse(url).map_err(|e| FederationError::Refused(format!("bad URL: {e}")))?;
    url.set_fragment(None);
    for hop in 0..2 {
        let authority = check_target(state, &url).await?;
        budget.take()?;
        let res = signed_get(state, &url).await?;
        let status = res.status();
        if status.is_redirection() {
            if hop == 1 {
                return Err(FederationError::Remote("too many redirects".into()));
            }
            let location = res
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| FederationError::Remote("redirect without Location".into()))?;
            url = url
                .join(location)
                .map_err(|e| FederationError::Remote(format!("bad redirect: {e}")))?;
            continue;
        }
        if !status.is_success() {
            return Err(FederationError::Status(status.as_u16()));
        }
        let body = read_capped(res).await?;
        let doc: Value = serde_json::from_slice(&body)
            .map_err(|e| FederationError::Remote(format!("not JSON: {e}")))?;
        let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
        let id_authority = Url::parse(id).ok().as_ref().and_then(authority_of);
        if id_authority.as_deref() != Some(authority.as_str()) {
            return Err(FederationError::OriginMismatch(format!(
                "{url} answered a document whose id is {id:?}"
            )));
        }
        return Ok(doc);
    }
    Err(FederationError::Remote("too many redirects".into()))
}

pub(super) async fn signed_get(
    state: &AppState,
    url: &Url,
) -> Result<reqwest::Response, FederationError> {
    let signer = state.fed.keys.instance_signer(state).await?;
    let host = authority_of(url).unwrap_or_default();
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let signed = sign_request(
        "GET",
        &host,
        &path,
        None,
        None,
        &signer.key_id,
        &signer.key,
        SystemTime::now(),
    )?;
    state
        .fed
        .http
        .get(url.clone())
        .header("Accept", "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")
        .header("Host", host)
        .header("Date", signed.date)
        .header("Signature", signed.signature)
        .send()
        .await
        .map_err(|e| FederationError::Remote(format!("GET {url}: {}", without_url(&e))))
}

/// Reads a body up to the cap, refusing larger ones without reading them whole.
pub async fn read_capped(res: reqwest::Response) -> Result<Vec<u8>, FederationError> {
    if res
        .content_length()
        .is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64)
    {
        return Err(FederationError::Remote("document too large".into()));
    }
    let mut body = Vec::new();
    let mut stream = res.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| FederationError::Remote(e.to_string()))?;
        if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
            return Err(FederationError::Remote("document too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// reqwest errors repeat the URL; the caller already names it.
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(u) = e.url() {
        text = text.replace(&format!(" ({u})"), "");
    }
    if let Some(source) = std::error::Error::source(e) {
        text = format!("{text}: {source}");
    }
    text
}
