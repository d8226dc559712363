//! People and communities by name: what an agent types (a name, a username, a métier, an
//! institution) matched against this node's agents, the cached persons of active peers and
//! the communities known here; the federated address stays underneath, for those who want it.

use std::collections::HashMap;

use super::search::plain_words;
use super::{Ctx, DomainResult};
use crate::db::{ActorRow, CommunityRow};

/// Most results listed for one query.
pub const MAX_RESULTS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Community,
}

/// Which kinds a picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    People,
    Communities,
    Both,
}

impl Which {
    fn people(self) -> bool {
        self != Which::Communities
    }
    fn communities(self) -> bool {
        self != Which::People
    }
}

/// A person or a community found by name.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: Kind,
    pub name: String,
    /// A person's métier; a community's description.
    pub detail: String,
    /// The institution's name, never its authority.
    pub institution: String,
    /// `user@authority` or `slug@authority`: what a form sends, shown only on demand.
    pub address: String,
    pub ap_id: String,
    /// This node's page about it (`/profiles/…`, `/communities/…`).
    pub page: String,
    pub is_local: bool,
}

/// Whether a typed value is an address (`user@authority`, an URL) rather than a name.
pub fn looks_like_address(raw: &str) -> bool {
    let raw = raw
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    raw.contains('@') || raw.starts_with("https://") || raw.starts_with("http://")
}

/// Institutions' names by authority: ours, and our active peers' as known.
pub async fn institution_names(ctx: &Ctx) -> DomainResult<HashMap<String, String>> {
    let mut names: HashMap<String, String> = ctx.store.peer_names().await?.into_iter().collect();
    names.insert(
        ctx.config.authority.clone(),
        ctx.config.institution_name.clone(),
    );
    Ok(names)
}

/// How pages name the institution at `authority`; never the authority itself.
pub fn institution_in(names: &HashMap<String, String>, authority: &str) -> String {
    names
        .get(authority)
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| "une institution partenaire".to_owned())
}

/// The institution's name of one authority.
pub async fn institution_of(ctx: &Ctx, authority: &str) -> DomainResult<String> {
    Ok(institution_in(&institution_names(ctx).await?, authority))
}

/// People and communities matching every word of `query` (a word's start is enough; case
/// and accents ignored), people first, each by name. When no community matches, the
/// communities of active peers are read again once (a peer may have created one since).
pub async fn find(ctx: &Ctx, query: &str, which: Which) -> DomainResult<Vec<Found>> {
    let words: Vec<String> = plain_words(&query.chars().take(200).collect::<String>())
        .into_iter()
        .take(8)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let names = institution_names(ctx).await?;
    let mut found = Vec::new();
    if which.people() {
        for a in ctx.store.picker_persons().await? {
            let f = person(ctx, &a, &names);
            if matches(&words, &[&f.name, &a.username, &f.detail, &f.institution]) {
                found.push(f);
            }
        }
    }
    if which.communities() {
        let mut communities = matching_communities(ctx, &words, &names).await?;
        if communities.is_empty() {
            refresh_peers_communities(ctx, &names).await;
            communities = matching_communities(ctx, &words, &names).await?;
        }
        found.extend(communities);
    }
    found.truncate(MAX_RESULTS);
    Ok(found)
}

/// Most agents proposed while typing a mention.
pub const MAX_MENTIONS: usize = 8;

/// Agents proposed for a mention typed `@query` in a text of `community` (when the agent
/// is one of its members): its members and the persons of the directory shown here, on
/// this node and on approved ones, matched on name, username, métier and institution.
/// Hidden directory entries and persons of unapproved nodes are never proposed.
pub async fn mentionable(
    ctx: &Ctx,
    account: &super::accounts::Account,
    community: Option<i64>,
    query: &str,
) -> DomainResult<Vec<Found>> {
    let words: Vec<String> = plain_words(&query.chars().take(100).collect::<String>())
        .into_iter()
        .take(4)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut community_id = -1;
    if let Some(id) = community
        && let Some(c) = ctx.store.community_by_id(id).await?
        && super::communities::require_member(ctx, &c, account)
            .await
            .is_ok()
    {
        community_id = c.id;
    }
    let names = institution_names(ctx).await?;
    Ok(ctx
        .store
        .mention_persons(community_id)
        .await?
        .iter()
        .filter(|a| a.ap_id != account.actor)
        .map(|a| (person(ctx, a, &names), a))
        .filter(|(f, a)| matches(&words, &[&f.name, &a.username, &f.detail, &f.institution]))
        .map(|(f, _)| f)
        .take(MAX_MENTIONS)
        .collect())
}

/// A person as pickers show them.
pub fn person(ctx: &Ctx, a: &ActorRow, names: &HashMap<String, String>) -> Found {
    let is_local = a.is_local == 1;
    let institution = if is_local {
        ctx.config.institution_name.clone()
    } else if a.institution.is_empty() {
        institution_in(names, &a.authority)
    } else {
        a.institution.clone()
    };
    Found {
        kind: Kind::Person,
        name: if a.display_name.is_empty() {
            a.username.clone()
        } else {
            a.display_name.clone()
        },
        detail: a.job_title.clone(),
        institution,
        address: format!("{}@{}", a.username, a.authority),
        ap_id: a.ap_id.clone(),
        page: profile_page(ctx, a),
        is_local,
    }
}

/// This node's page about a person: `/profiles/user` here, `/profiles/user@authority`
/// for a person of another institution (rendered from what this node knows).
pub fn profile_page(ctx: &Ctx, a: &ActorRow) -> String {
    if a.is_local == 1 || a.authority == ctx.config.authority {
        format!("/profiles/{}", a.username)
    } else {
        format!("/profiles/{}@{}", a.username, a.authority)
    }
}

async fn matching_communities(
    ctx: &Ctx,
    words: &[String],
    names: &HashMap<String, String>,
) -> DomainResult<Vec<Found>> {
    Ok(ctx
        .store
        .list_communities()
        .await?
        .iter()
        // A cached community of a peer we no longer federate with is not offered.
        .filter(|c| c.is_local == 1 || names.contains_key(&c.authority))
        .map(|c| community(ctx, c, names))
        .filter(|(f, c)| matches(words, &[&f.name, &c.slug, &c.tags, &f.institution]))
        .map(|(f, _)| f)
        .collect())
}

fn community<'c>(
    ctx: &Ctx,
    c: &'c CommunityRow,
    names: &HashMap<String, String>,
) -> (Found, &'c CommunityRow) {
    let is_local = c.is_local == 1;
    (
        Found {
            kind: Kind::Community,
            name: c.name.clone(),
            detail: c.description.clone(),
            institution: if is_local {
                ctx.config.institution_name.clone()
            } else {
                institution_in(names, &c.authority)
            },
            address: format!("{}@{}", c.slug, c.authority),
            ap_id: c.ap_id.clone(),
            page: format!("/communities/{}", c.handle()),
            is_local,
        },
        c,
    )
}

/// Reads every active peer's communities again; a silent peer is only logged.
async fn refresh_peers_communities(ctx: &Ctx, names: &HashMap<String, String>) {
    for authority in names.keys().filter(|a| **a != ctx.config.authority) {
        if let Err(e) = ctx.remote.communities(ctx, authority).await {
            tracing::info!(%authority, error = %e, "communities of a peer not read");
        }
    }
}

/// Every query word starts a word of one of the fields.
fn matches(words: &[String], fields: &[&str]) -> bool {
    let hay: Vec<String> = fields.iter().flat_map(|f| plain_words(f)).collect();
    words
        .iter()
        .all(|w| hay.iter().any(|h| h.starts_with(w.as_str())))
}

#[cfg(test)]
mod tests {
    use super::{looks_like_address, matches};

    #[test]
    fn a_name_is_not_an_address() {
        assert!(looks_like_address("alice@mairie.example:8081"));
        assert!(looks_like_address("@alice@mairie.example"));
        assert!(looks_like_address("https://mairie.example/users/alice"));
        assert!(!looks_like_address("Alice Martin"));
    }

    #[test]
    fn every_word_starts_a_word_whatever_the_case_and_accents() {
        let fields = ["Chloé Dubois", "chloe", "Assistante RH", "Département"];
        assert!(matches(&["chlo".into(), "rh".into()], &fields));
        assert!(matches(&["departement".into()], &fields));
        assert!(!matches(&["chloe".into(), "mairie".into()], &fields));
    }
}
