//! A new agent's first hour: the welcome checklist that ticks itself from what the agent did,
//! the community of their métier suggested across every approved node, and a peer mentor (an
//! agent of the same métier in another institution who opted in on their directory entry).

use std::collections::HashMap;

use super::accounts::Account;
use super::search::plain_words;
use super::{Ctx, DomainError, DomainResult, pickers};
use crate::db::{CommunityRow, DirectoryRow};

/// Words of a métier too common to tell one apart from another.
const STOP_WORDS: [&str; 12] = [
    "de", "du", "des", "la", "le", "les", "et", "en", "a", "au", "aux", "d",
];

/// One step of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `entry`, `join`, `kit`, `introduce`, `session`.
    pub key: &'static str,
    pub done: bool,
    /// Where the agent goes to do it.
    pub link: String,
}

/// The suggested community.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub name: String,
    pub institution: String,
    pub page: String,
    pub is_member: bool,
}

/// The suggested peer mentor.
#[derive(Debug, Clone)]
pub struct Mentor {
    pub name: String,
    pub job_title: String,
    pub institution: String,
    pub page: String,
    pub email: Option<String>,
}

/// What the welcome page shows.
#[derive(Debug, Clone)]
pub struct FirstHour {
    pub steps: Vec<Step>,
    pub community: Option<Suggestion>,
    pub mentor: Option<Mentor>,
}

impl FirstHour {
    pub fn all_done(&self) -> bool {
        self.steps.iter().all(|s| s.done)
    }
}

/// The words that say a métier ("Agente d'accueil" -> ["agente", "accueil"]).
fn metier_words(job_title: &str) -> Vec<String> {
    plain_words(job_title)
        .into_iter()
        .filter(|w| w.chars().count() > 2 && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// How many of the métier's words start a word of the fields.
fn score(words: &[String], fields: &[&str]) -> usize {
    let hay: Vec<String> = fields.iter().flat_map(|f| plain_words(f)).collect();
    words
        .iter()
        .filter(|w| hay.iter().any(|h| h.starts_with(w.as_str())))
        .count()
}

/// The community of the agent's métier: among those hosted here or by an approved node, the
/// one whose name, tags and description share most words with the job title; a community
/// the agent already joined wins a tie.
async fn suggest(
    ctx: &Ctx,
    account: &Account,
    words: &[String],
    names: &HashMap<String, String>,
) -> DomainResult<Option<CommunityRow>> {
    if words.is_empty() {
        return Ok(None);
    }
    let mine: Vec<i64> = ctx
        .store
        .communities_of(account.actor_id, "accepted")
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let best = ctx
        .store
        .list_communities()
        .await?
        .into_iter()
        .filter(|c| c.is_local == 1 || names.contains_key(&c.authority))
        .map(|c| {
            let s = score(words, &[&c.name, &c.slug, &c.tags, &c.description]);
            (s, mine.contains(&c.id), c)
        })
        .filter(|(s, _, _)| *s > 0)
        .max_by_key(|(s, member, c)| (*s, *member, std::cmp::Reverse(c.id)));
    Ok(best.map(|(_, _, c)| c))
}

/// A peer of the same métier in another institution who offered to welcome newcomers.
fn mentor_of(
    ctx: &Ctx,
    words: &[String],
    entries: &[DirectoryRow],
    names: &HashMap<String, String>,
) -> Option<Mentor> {
    if words.is_empty() {
        return None;
    }
    entries
        .iter()
        .filter(|e| e.authority != ctx.config.authority && names.contains_key(&e.authority))
        .map(|e| (score(words, &[&e.job_title]), e))
        .filter(|(s, _)| *s > 0)
        .max_by_key(|(s, _)| *s)
        .map(|(_, e)| Mentor {
            name: if e.display_name.is_empty() {
                e.username.clone()
            } else {
                e.display_name.clone()
            },
            job_title: e.job_title.clone(),
            // The institution the peer's actor document names, else the peer's listed name.
            institution: if e.institution.is_empty() {
                pickers::institution_in(names, &e.authority)
            } else {
                e.institution.clone()
            },
            page: format!("/directory/{}", e.actor_id),
            email: (e.email_visibility != "hidden" && !e.email.is_empty()).then(|| e.email.clone()),
        })
}

/// The agent's welcome checklist, suggested community and mentor, as of now.
pub async fn overview(ctx: &Ctx, account: &Account) -> DomainResult<FirstHour> {
    let names = pickers::institution_names(ctx).await?;
    let words = metier_words(&account.job_title);
    let entry = ctx.store.directory_entry(account.actor_id).await?;
    let entry_done = !account.job_title.trim().is_empty()
        && entry.as_ref().is_some_and(|e| !e.service.trim().is_empty());
    let community = suggest(ctx, account, &words, &names).await?;
    let mut steps = vec![Step {
        key: "entry",
        done: entry_done,
        link: "/directory/me".into(),
    }];
    let (mut joined, mut kit, mut introduced, mut session) = (false, false, false, false);
    let mut page = "/communities".to_owned();
    let mut kit_link = page.clone();
    let mut sessions_link = page.clone();
    if let Some(c) = &community {
        page = format!("/communities/{}", c.handle());
        sessions_link = format!("{page}/sessions");
        joined = ctx
            .store
            .membership(c.id, account.actor_id)
            .await?
            .is_some_and(|m| m.state == "accepted");
        if let Some((_, _)) = ctx.store.welcome_kit(c.id).await? {
            kit_link = format!("/bienvenue/kit/{}", c.id);
            kit = ctx.store.kit_read(account.id, c.id).await?;
        } else {
            kit_link = page.clone();
        }
        // The kit and the sessions are for members: before joining, both steps lead to the
        // community's page, where one joins.
        if !joined {
            kit_link = page.clone();
            sessions_link = page.clone();
        }
        introduced = ctx.store.has_posted_in(c.id, &account.actor).await?;
        let now = crate::db::now_ms();
        session = ctx
            .store
            .events_of_participant(&account.actor, now)
            .await?
            .iter()
            .any(|e| e.community_id == c.id);
    }
    steps.push(Step {
        key: "join",
        done: joined,
        link: page.clone(),
    });
    steps.push(Step {
        key: "kit",
        done: kit,
        link: kit_link,
    });
    steps.push(Step {
        key: "introduce",
        done: introduced,
        link: page.clone(),
    });
    steps.push(Step {
        key: "session",
        done: session,
        link: sessions_link,
    });
    let mentors = ctx.store.remote_mentor_entries().await?;
    let institution = |c: &CommunityRow| {
        if c.is_local == 1 {
            ctx.config.institution_name.clone()
        } else {
            pickers::institution_in(&names, &c.authority)
        }
    };
    Ok(FirstHour {
        steps,
        community: community.as_ref().map(|c| Suggestion {
            name: c.name.clone(),
            institution: institution(c),
            page,
            is_member: joined,
        }),
        mentor: mentor_of(ctx, &words, &mentors, &names),
    })
}

/// The agent opens the welcome kit of a community from their welcome page: recorded (the
/// step ticks), then the kit's thread. Only a member reads it.
pub async fn open_kit(ctx: &Ctx, account: &Account, community_id: i64) -> DomainResult<String> {
    let member = ctx
        .store
        .membership(community_id, account.actor_id)
        .await?
        .is_some_and(|m| m.state == "accepted");
    if !member {
        return Err(DomainError::Forbidden(
            "only members read a community's welcome kit",
        ));
    }
    let (post_id, _) = ctx
        .store
        .welcome_kit(community_id)
        .await?
        .ok_or(DomainError::NotFound("welcome kit"))?;
    ctx.store.mark_kit_read(account.id, community_id).await?;
    Ok(format!("/discussions/{post_id}"))
}

#[cfg(test)]
mod tests {
    use super::{metier_words, score};

    #[test]
    fn a_metier_is_matched_by_its_telling_words_whatever_the_accents() {
        let words = metier_words("Agente d'accueil");
        assert_eq!(words, ["agente", "accueil"]);
        assert_eq!(score(&words, &["Accueil du public", "accueil"]), 1);
        assert_eq!(score(&metier_words("Assistante RH"), &["Ressources"]), 0);
        assert!(metier_words("de la").is_empty());
    }
}
