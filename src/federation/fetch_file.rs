//! Fetching a file (a resource's attachment) from the node that hosts it: signed with the
//! instance actor's key like any fetch, from an approved peer only, no redirect, and read up
//! to a size bound that is our own admin's, not the peer's.

use futures_util::StreamExt;
use url::Url;

use super::FederationError;
use super::fetch::{check_target, signed_get};

/// The bytes at `url`, refused beyond `max` bytes.
pub async fn fetch_file(
    state: &crate::state::AppState,
    url: &str,
    max: usize,
) -> Result<Vec<u8>, FederationError> {
    let url = Url::parse(url).map_err(|e| FederationError::Refused(format!("bad URL: {e}")))?;
    check_target(state, &url).await?;
    let res = signed_get(state, &url).await?;
    if !res.status().is_success() {
        return Err(FederationError::Status(res.status().as_u16()));
    }
    if res.content_length().is_some_and(|n| n > max as u64) {
        return Err(FederationError::Remote("file too large".into()));
    }
    let mut body = Vec::new();
    let mut stream = res.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| FederationError::Remote(e.to_string()))?;
        if body.len() + chunk.len() > max {
            return Err(FederationError::Remote("file too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
