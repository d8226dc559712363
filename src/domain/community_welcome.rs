//! Opening a community to newcomers (issue 16): its public page, opt-in by its animateurs,
//! and join links ("rejoindre accueil") limited in time and uses, with their QR codes.

use super::Ctx;
use super::accounts::Account;
use super::communities::{local, require_animateur};
use super::error::{DomainError, DomainResult};
use super::membership_state::{MembershipState, Role};
use super::sessions::random_token;
use crate::db::{CommunityLinkRow, CommunityRow, now_ms};

/// What anyone may read of a community whose animateurs opened its page: nothing that only
/// members see (no posts, no member names, no resources, no session details).
#[derive(Debug, Clone)]
pub struct PublicPage {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub charter: String,
    pub tags: Vec<String>,
    pub institution: String,
    pub node: String,
    /// (title, starts_at) of the next sessions, not cancelled.
    pub sessions: Vec<(String, i64)>,
}

/// The public page of a community hosted here; not found unless its animateurs opened it.
pub async fn public_page(ctx: &Ctx, slug: &str) -> DomainResult<PublicPage> {
    let c = local(ctx, slug).await?;
    if !ctx.store.public_page_open(c.id).await? {
        return Err(DomainError::NotFound("community"));
    }
    let sessions = ctx
        .store
        .community_events(c.id, now_ms())
        .await?
        .into_iter()
        .filter(|e| e.status != "cancelled")
        .take(5)
        .map(|e| (e.title, e.starts_at))
        .collect();
    Ok(PublicPage {
        slug: c.slug,
        name: c.name,
        description: c.description,
        charter: c.charter,
        tags: c
            .tags
            .split([',', ' '])
            .map(|t| t.trim().trim_start_matches('#').to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        institution: ctx.config.institution_name.clone(),
        node: ctx.config.authority.clone(),
        sessions,
    })
}

pub async fn is_public(ctx: &Ctx, c: &CommunityRow) -> DomainResult<bool> {
    Ok(ctx.store.public_page_open(c.id).await?)
}

/// Opens or closes the public page: animateurs only.
pub async fn set_public(ctx: &Ctx, by: &Account, c: &CommunityRow, open: bool) -> DomainResult<()> {
    require_animateur(ctx, c, by).await?;
    ctx.store.set_public_page(c.id, &by.username, open).await?;
    Ok(())
}

/// Longest a join link lives, and most uses it allows.
pub const MAX_DAYS: i64 = 365;
pub const MAX_USES: i64 = 10_000;

/// A new join link, valid `days` days and, when given, `max_uses` times: animateurs only.
pub async fn create_link(
    ctx: &Ctx,
    by: &Account,
    c: &CommunityRow,
    days: i64,
    max_uses: Option<i64>,
) -> DomainResult<CommunityLinkRow> {
    require_animateur(ctx, c, by).await?;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(DomainError::invalid(
            "days",
            super::Rule::Range {
                min: 1,
                max: MAX_DAYS,
            },
        ));
    }
    if max_uses.is_some_and(|n| !(1..=MAX_USES).contains(&n)) {
        return Err(DomainError::invalid(
            "max_uses",
            super::Rule::Range {
                min: 1,
                max: MAX_USES,
            },
        ));
    }
    let expires_at = now_ms() + days * 24 * 3600 * 1000;
    Ok(ctx
        .store
        .insert_community_link(c.id, &random_token(), &by.username, expires_at, max_uses)
        .await?)
}

pub async fn links(
    ctx: &Ctx,
    by: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<CommunityLinkRow>> {
    require_animateur(ctx, c, by).await?;
    Ok(ctx.store.community_links(c.id).await?)
}

pub async fn revoke_link(ctx: &Ctx, by: &Account, c: &CommunityRow, id: i64) -> DomainResult<()> {
    require_animateur(ctx, c, by).await?;
    Ok(ctx.store.revoke_community_link(c.id, id).await?)
}

/// The address of a join link.
pub fn link_url(ctx: &Ctx, link: &CommunityLinkRow) -> String {
    format!("{}/rejoindre/{}", ctx.urls.base(), link.token)
}

/// Why a join link no longer works, in French, for the page that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    Unknown,
    Revoked,
    Expired,
    UsedUp,
}

impl LinkRefusal {
    pub fn french(self) -> &'static str {
        match self {
            LinkRefusal::Unknown => "Ce lien d'invitation n'existe pas.",
            LinkRefusal::Revoked => "Ce lien d'invitation a été retiré par les animateurs.",
            LinkRefusal::Expired => "Ce lien d'invitation a expiré.",
            LinkRefusal::UsedUp => "Ce lien d'invitation a déjà servi autant de fois que prévu.",
        }
    }
}

fn refusal(link: &CommunityLinkRow) -> Option<LinkRefusal> {
    if link.revoked_at.is_some() {
        Some(LinkRefusal::Revoked)
    } else if link.expires_at <= now_ms() {
        Some(LinkRefusal::Expired)
    } else if link.max_uses.is_some_and(|m| link.uses >= m) {
        Some(LinkRefusal::UsedUp)
    } else {
        None
    }
}

/// The community a link leads to, or why it does not.
pub async fn check_link(ctx: &Ctx, token: &str) -> DomainResult<Result<CommunityRow, LinkRefusal>> {
    if token.len() > 128 {
        return Ok(Err(LinkRefusal::Unknown));
    }
    let Some(link) = ctx.store.community_link(token).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    if let Some(r) = refusal(&link) {
        return Ok(Err(r));
    }
    let c = ctx
        .store
        .community_by_id(link.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))?;
    Ok(Ok(c))
}

/// Joins through a link: the link stands for the animateurs' invitation, whatever the
/// community's join mode. A member already in spends no use; a banned agent stays out.
pub async fn join_by_link(
    ctx: &Ctx,
    account: &Account,
    token: &str,
) -> DomainResult<Result<CommunityRow, LinkRefusal>> {
    let c = match check_link(ctx, token).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let existing = ctx.store.membership(c.id, account.actor_id).await?;
    match existing.as_ref().map(MembershipState::of) {
        Some(MembershipState::Accepted) => return Ok(Ok(c)),
        Some(MembershipState::Banned) => {
            return Err(DomainError::Forbidden(
                "you were banned from this community",
            ));
        }
        _ => {}
    }
    let Some(link) = ctx.store.community_link(token).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    if !ctx.store.spend_community_link(link.id).await? {
        return Ok(Err(refusal(&link).unwrap_or(LinkRefusal::UsedUp)));
    }
    ctx.store
        .upsert_membership(
            c.id,
            account.actor_id,
            Role::Member.as_str(),
            MembershipState::Accepted.as_str(),
            Some(&ctx.urls.new_activity()),
            "",
        )
        .await?;
    tracing::info!(community = %c.slug, username = %account.username, "joined by link");
    Ok(Ok(c))
}

/// The QR code of a link as SVG, to print.
pub fn qr_svg(url: &str) -> DomainResult<String> {
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code of a link as PNG.
pub fn qr_png(url: &str) -> DomainResult<Vec<u8>> {
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| DomainError::Internal(e.to_string()))?;
    let img = code
        .render::<image::Luma<u8>>()
        .min_dimensions(512, 512)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(expires_at: i64, max_uses: Option<i64>, uses: i64, revoked: bool) -> CommunityLinkRow {
        CommunityLinkRow {
            id: 1,
            community_id: 1,
            token: "t".into(),
            created_by: "a".into(),
            created_at: 0,
            expires_at,
            max_uses,
            uses,
            revoked_at: revoked.then_some(1),
        }
    }

    #[test]
    fn a_link_works_until_revoked_expired_or_used_up() {
        let later = now_ms() + 60_000;
        assert_eq!(refusal(&link(later, Some(2), 1, false)), None);
        assert_eq!(refusal(&link(later, None, 500, false)), None);
        assert_eq!(
            refusal(&link(later, Some(2), 2, false)),
            Some(LinkRefusal::UsedUp)
        );
        assert_eq!(
            refusal(&link(now_ms() - 1, None, 0, false)),
            Some(LinkRefusal::Expired)
        );
        assert_eq!(
            refusal(&link(later, None, 0, true)),
            Some(LinkRefusal::Revoked)
        );
    }

    #[test]
    fn qr_codes_are_svg_and_png() {
        let svg = qr_svg("https://mairie.example/rejoindre/abc").expect("svg");
        assert!(svg.contains("<svg"));
        let png = qr_png("https://mairie.example/rejoindre/abc").expect("png");
        assert!(png.starts_with(b"\x89PNG"));
    }
}
