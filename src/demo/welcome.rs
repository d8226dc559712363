//! The demo's welcome (issue 16): the Mairie's `accueil` has its public page open and a join
//! link with its QR code, made by its owner bruno.

use crate::domain::community_welcome;
use crate::state::AppState;

/// Opens the page and makes one link (90 days, 200 uses) unless one exists; returns its URL.
pub async fn seed(mairie: &AppState) -> anyhow::Result<Option<String>> {
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(None);
    };
    let bruno = super::communities::who(mairie, "bruno").await?;
    community_welcome::set_public(mairie, &bruno, &accueil, true).await?;
    let mut links = community_welcome::links(mairie, &bruno, &accueil).await?;
    if links.is_empty() {
        links.push(community_welcome::create_link(mairie, &bruno, &accueil, 90, Some(200)).await?);
    }
    Ok(links
        .first()
        .map(|l| community_welcome::link_url(mairie, l)))
}
