//! What an import would do, line by line, compared with the accounts and communities of the
//! node: nothing is written here, so the dry run and the preview are this plan.

use std::collections::{HashMap, HashSet};

use super::parse::{self, ImportLine, Refused};
use crate::db::ImportedAccountRow;
use crate::domain::{Ctx, DomainResult};

/// What happens to one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new account named `username`.
    Create {
        username: String,
    },
    /// The account `username` changes: the French names of what changes.
    Update {
        username: String,
        changes: Vec<&'static str>,
    },
    Unchanged {
        username: String,
    },
    Refused {
        reason: String,
    },
}

#[derive(Debug, Clone)]
pub struct PlanLine {
    pub line: u64,
    pub email: String,
    pub action: Action,
    /// The checked line, absent for refused ones.
    pub data: Option<ImportLine>,
    /// The existing account's actor, for updates.
    pub(super) actor_id: Option<i64>,
    /// Communities (id, slug) the agent is not yet known to.
    pub(super) new_communities: Vec<(i64, String)>,
}

/// The whole file's plan, in file order; `Err` of [`plan`] is a reason about the file itself.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub lines: Vec<PlanLine>,
}

impl Plan {
    pub fn count(&self, pick: fn(&Action) -> bool) -> usize {
        self.lines.iter().filter(|l| pick(&l.action)).count()
    }
    pub fn created(&self) -> usize {
        self.count(|a| matches!(a, Action::Create { .. }))
    }
    pub fn updated(&self) -> usize {
        self.count(|a| matches!(a, Action::Update { .. }))
    }
    pub fn unchanged(&self) -> usize {
        self.count(|a| matches!(a, Action::Unchanged { .. }))
    }
    pub fn refused(&self) -> usize {
        self.count(|a| matches!(a, Action::Refused { .. }))
    }
}

/// Reads the file and compares each line with the node.
pub async fn plan(ctx: &Ctx, bytes: &[u8]) -> DomainResult<Result<Plan, String>> {
    let lines = match parse::parse(bytes) {
        Ok(l) => l,
        Err(reason) => return Ok(Err(reason)),
    };
    let accounts = ctx.store.import_accounts().await?;
    let by_email: HashMap<String, &ImportedAccountRow> = accounts
        .iter()
        .map(|a| (a.email.to_lowercase(), a))
        .collect();
    let contacts: HashMap<String, i64> = ctx
        .store
        .import_contact_emails()
        .await?
        .into_iter()
        .map(|(actor, email)| (email.to_lowercase(), actor))
        .collect();
    let username_of: HashMap<i64, &str> = accounts
        .iter()
        .map(|a| (a.actor_id, a.username.as_str()))
        .collect();
    let communities: HashMap<String, i64> = ctx
        .store
        .local_community_slugs()
        .await?
        .into_iter()
        .collect();
    let known: HashSet<(String, i64)> = ctx
        .store
        .local_memberships()
        .await?
        .into_iter()
        .map(|m| (m.slug, m.actor_id))
        .collect();
    let mut taken: HashSet<String> = ctx.store.local_usernames().await?.into_iter().collect();
    taken.insert(ctx.config.authority.clone());
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut plan = Plan::default();
    for line in lines {
        let line = match line {
            Ok(l) => l,
            Err(Refused {
                line,
                email,
                reason,
            }) => {
                plan.lines.push(refused(line, email, reason));
                continue;
            }
        };
        let key = line.email.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let reason = format!("adresse déjà présente ligne {first} du fichier");
            plan.lines.push(refused(line.line, line.email, reason));
            continue;
        }
        seen.insert(key.clone(), line.line);
        let existing = by_email.get(&key).copied();
        if let Some(&owner) = contacts.get(&key)
            && existing.is_none_or(|a| a.actor_id != owner)
        {
            let who = username_of.get(&owner).copied().unwrap_or("?");
            let reason = format!("adresse déjà utilisée par le compte « {who} »");
            plan.lines.push(refused(line.line, line.email, reason));
            continue;
        }
        let mut new_communities = Vec::new();
        let mut unknown = None;
        for slug in &line.communities {
            match communities.get(slug) {
                Some(id) => {
                    let member =
                        existing.is_some_and(|a| known.contains(&(slug.clone(), a.actor_id)));
                    if !member {
                        new_communities.push((*id, slug.clone()));
                    }
                }
                None => {
                    unknown = Some(slug.clone());
                    break;
                }
            }
        }
        if let Some(slug) = unknown {
            let reason = format!("communauté « {slug} » inconnue sur ce nœud");
            plan.lines.push(refused(line.line, line.email, reason));
            continue;
        }
        let action = match existing {
            None => {
                let username = free_username(&line.email, &mut taken);
                Action::Create { username }
            }
            Some(a) => {
                let mut changes = Vec::new();
                if a.display_name != line.display_name() {
                    changes.push("nom");
                }
                if a.job_title != line.job_title {
                    changes.push("métier");
                }
                if a.service.as_deref().unwrap_or_default() != line.service {
                    changes.push("service");
                }
                if !new_communities.is_empty() {
                    changes.push("communautés");
                }
                let username = a.username.clone();
                if changes.is_empty() {
                    Action::Unchanged { username }
                } else {
                    Action::Update { username, changes }
                }
            }
        };
        plan.lines.push(PlanLine {
            line: line.line,
            email: line.email.clone(),
            action,
            actor_id: existing.map(|a| a.actor_id),
            new_communities,
            data: Some(line),
        });
    }
    Ok(Ok(plan))
}

fn refused(line: u64, email: String, reason: String) -> PlanLine {
    PlanLine {
        line,
        email,
        action: Action::Refused { reason },
        data: None,
        actor_id: None,
        new_communities: Vec::new(),
    }
}

/// A username from the address's local part ("Hélène.Durand@…" gives "helene.durand"),
/// made free with "-2", "-3"… when another actor of the node holds it.
pub fn free_username(email: &str, taken: &mut HashSet<String>) -> String {
    let local = email.split('@').next().unwrap_or_default();
    let words = crate::domain::search::plain_words(local);
    let mut base: String = words.join(".").chars().take(26).collect();
    base = base.trim_matches(['.', '-', '_']).to_owned();
    if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        base = format!("agent{base}");
    }
    base.retain(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.');
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_come_from_the_address_and_never_collide() {
        let mut taken: HashSet<String> = ["ana.lopez".to_owned()].into();
        assert_eq!(
            free_username("Ana.Lopez@ville.fr", &mut taken),
            "ana.lopez-2"
        );
        assert_eq!(
            free_username("ana.lopez@autre.fr", &mut taken),
            "ana.lopez-3"
        );
        assert_eq!(
            free_username("Hélène.Durand@x.fr", &mut taken),
            "helene.durand"
        );
        assert_eq!(free_username("_@x.fr", &mut taken), "agent");
    }
}
