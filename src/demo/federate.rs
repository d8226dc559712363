//! The demo's federation, done as admins would do it, through the real handshake over HTTP:
//! the three institutions ask and approve each other, and a fourth one's request waits for
//! the admin of the first. Idempotent: a restart finds the states settled and does nothing.

use std::time::Duration;

use crate::domain::peers;
use crate::state::AppState;

/// How long to wait for the delivery workers to carry one handshake step.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
const BY: &str = "admin";

async fn state_of(node: &AppState, other: &AppState) -> Option<String> {
    node.store
        .peer(&other.config.authority)
        .await
        .ok()
        .flatten()
        .map(|p| p.state)
}

/// Waits until `node` sees `other` in one of `states`.
async fn settle(node: &AppState, other: &AppState, states: &[&str]) -> bool {
    let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
    while tokio::time::Instant::now() < deadline {
        if state_of(node, other)
            .await
            .is_some_and(|s| states.contains(&s.as_str()))
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// `a` asks `b`, `b` approves, unless they already federate.
async fn pair(a: &AppState, b: &AppState) -> anyhow::Result<()> {
    let (sa, sb) = (state_of(a, b).await, state_of(b, a).await);
    if sa.as_deref() == Some(peers::APPROVED) && sb.as_deref() == Some(peers::APPROVED) {
        return Ok(());
    }
    if sb.as_deref() != Some(peers::PENDING) {
        let message = format!(
            "Bonjour, {} propose de fédérer nos nœuds pour les clubs métier du bassin.",
            a.config.institution_name
        );
        peers::request(a, &b.config.authority, &message, BY).await?;
        if !settle(b, a, &[peers::PENDING, peers::APPROVED]).await {
            anyhow::bail!("{} did not receive the request", b.config.authority);
        }
    }
    if state_of(b, a).await.as_deref() == Some(peers::PENDING) {
        peers::approve(b, &a.config.authority, BY).await?;
    }
    if !settle(a, b, &[peers::APPROVED]).await {
        anyhow::bail!("{} did not receive the approval", a.config.authority);
    }
    Ok(())
}

/// Federates the institutions with each other, then leaves `candidate`'s request to the
/// first one pending (once: what its admin decides later stays decided).
pub async fn run(institutions: &[AppState], candidate: &AppState) -> anyhow::Result<()> {
    for (i, a) in institutions.iter().enumerate() {
        for b in &institutions[i + 1..] {
            pair(a, b).await?;
        }
    }
    let Some(first) = institutions.first() else {
        return Ok(());
    };
    if state_of(candidate, first).await.is_none() {
        let message = "Le centre de gestion souhaite rejoindre les clubs métier du bassin \
                       (accueil, ressources humaines).";
        peers::request(candidate, &first.config.authority, message, BY).await?;
        if !settle(first, candidate, &[peers::PENDING]).await {
            anyhow::bail!("{} did not receive the request", first.config.authority);
        }
    }
    Ok(())
}
