//! What software a peer runs, read from its public discovery documents (NodeInfo, else
//! WebFinger), which every fediverse server serves: `admin check` probes peers this way
//! rather than through `/actor`, which only entrepairs serves.

use serde_json::Value;
use url::Url;

use super::fetch::{check_target, read_capped};
use super::{FederationError, authority_of};
use crate::state::AppState;

/// `software version` from the peer's NodeInfo; when it has none, `WebFinger answers` if its
/// WebFinger does (any JRD, even "no such account": the server is up).
pub async fn software(state: &AppState, authority: &str) -> Result<String, FederationError> {
    match nodeinfo(state, authority).await {
        Ok(s) => Ok(s),
        Err(nodeinfo_error) => match webfinger(state, authority).await {
            Ok(()) => Ok("WebFinger answers, no NodeInfo".into()),
            Err(_) => Err(nodeinfo_error),
        },
    }
}

/// A public GET of `url` on the approved peer (no signature: discovery is public).
async fn get_json(state: &AppState, url: &Url, authority: &str) -> Result<Value, FederationError> {
    if check_target(state, url).await? != authority {
        return Err(FederationError::OriginMismatch(format!(
            "{url} is not on {authority}"
        )));
    }
    let res = state
        .fed
        .http
        .get(url.clone())
        .header("Accept", "application/json, application/jrd+json")
        .send()
        .await
        .map_err(|e| FederationError::Remote(format!("GET {}: {e}", url.path())))?;
    if !res.status().is_success() {
        return Err(FederationError::Status(res.status().as_u16()));
    }
    serde_json::from_slice(&read_capped(res).await?)
        .map_err(|e| FederationError::Remote(format!("{}: not JSON: {e}", url.path())))
}

fn parse(s: &str) -> Result<Url, FederationError> {
    Url::parse(s).map_err(|e| FederationError::Remote(format!("bad URL {s:?}: {e}")))
}

async fn nodeinfo(state: &AppState, authority: &str) -> Result<String, FederationError> {
    let scheme = state.config.scheme();
    let well_known = parse(&format!("{scheme}://{authority}/.well-known/nodeinfo"))?;
    let links = get_json(state, &well_known, authority).await?;
    let href = links
        .get("links")
        .and_then(Value::as_array)
        .and_then(|l| {
            l.iter()
                .filter(|x| {
                    x.get("rel")
                        .and_then(Value::as_str)
                        .is_some_and(|r| r.contains("nodeinfo.diaspora.software/ns/schema/2"))
                })
                .filter_map(|x| x.get("href").and_then(Value::as_str))
                .next_back()
        })
        .ok_or_else(|| FederationError::Remote("NodeInfo: no 2.x link".into()))?;
    let url = parse(href)?;
    if authority_of(&url).as_deref() != Some(authority) {
        return Err(FederationError::OriginMismatch(format!(
            "the NodeInfo of {authority} is on another host"
        )));
    }
    let info = get_json(state, &url, authority).await?;
    let software = info.get("software");
    let field = |k: &str| -> String {
        software
            .and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .chars()
            .take(60)
            .collect()
    };
    Ok(format!("{} {}", field("name"), field("version")))
}

async fn webfinger(state: &AppState, authority: &str) -> Result<(), FederationError> {
    let mut url = parse(&format!(
        "{}://{authority}/.well-known/webfinger",
        state.config.scheme()
    ))?;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{authority}@{authority}"));
    if check_target(state, &url).await? != authority {
        return Err(FederationError::Refused("another host".into()));
    }
    let res = state
        .fed
        .http
        .get(url)
        .header("Accept", "application/jrd+json, application/json")
        .send()
        .await
        .map_err(|e| FederationError::Remote(format!("webfinger: {e}")))?;
    // A 404 for an unknown account is an answer too: the server is up.
    if res.status().is_success() || res.status().as_u16() == 404 {
        Ok(())
    } else {
        Err(FederationError::Status(res.status().as_u16()))
    }
}
