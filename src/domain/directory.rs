//! The directory (annuaire): each agent's entry, what they show and to whom (hidden, this
//! node, the approved circle), and finding peers across institutions. Keeping the peers'
//! caches right is `directory_sync` (receiving) and the federation layer's
//! `publish/directory.rs` (push on change) and `inbox/directory.rs` (pull on approval).

use serde::{Deserialize, Serialize};

use super::accounts::Account;
use super::changes::{Change, DirectoryChange};
pub use super::directory_sync::cache_remote;
use super::names::{self, Email};
use super::search::{self, SearchDoc};
use super::{Ctx, DomainError, DomainResult, OrNotFound, Rule};
use crate::db::{ActorRow, DirectoryRow, DirectoryValues};

/// Bounds of an entry, the same for what our agents type and what peers send.
pub const MAX_SKILLS: usize = 20;
pub const MAX_SKILL_CHARS: usize = 80;
pub const MAX_SERVICE_CHARS: usize = 120;
pub const MAX_PHONE_CHARS: usize = 30;

const VISIBILITIES: [&str; 3] = ["hidden", "node", "circle"];
/// Most entries in one search answer.
const MAX_RESULTS: i64 = 100;

/// The entry form, unchecked (web form and JSON API).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EntryInput {
    pub visibility: String,
    #[serde(default)]
    pub branch: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub phone_visibility: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub email_visibility: String,
    /// One skill per line (or separated by commas).
    #[serde(default)]
    pub skills: String,
    /// "on" (a checked box) or "true" means open to mobility.
    #[serde(default)]
    pub mobility: Option<String>,
    #[serde(default)]
    pub mobility_visibility: String,
    /// "on" (a checked box) or "true": « J'accueille volontiers les nouveaux », shown to the
    /// circle with the entry (a newcomer of another institution may be told to ask them).
    #[serde(default)]
    pub welcomes_newcomers: Option<String>,
}

/// An entry as a viewer of this node may see it: hidden fields are `None`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: i64,
    pub actor: String,
    pub handle: String,
    pub name: String,
    pub job_title: String,
    pub institution: String,
    /// `FPE`, `FPT`, `FPH` or empty.
    pub branch: String,
    pub service: String,
    pub skills: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub open_to_mobility: Option<bool>,
    pub is_local: bool,
    /// Offers to welcome newcomers of their métier.
    pub welcomes_newcomers: bool,
}

impl Entry {
    fn from_row(r: &DirectoryRow) -> Entry {
        let shown = |vis: &str, value: &str| {
            (vis != "hidden" && !value.is_empty()).then(|| value.to_owned())
        };
        Entry {
            id: r.actor_id,
            actor: r.ap_id.clone(),
            handle: format!("{}@{}", r.username, r.authority),
            name: if r.display_name.is_empty() {
                r.username.clone()
            } else {
                r.display_name.clone()
            },
            job_title: r.job_title.clone(),
            institution: r.institution.clone(),
            branch: r.branch.to_ascii_uppercase(),
            service: r.service.clone(),
            skills: skills_of(&r.skills)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            phone: shown(&r.phone_visibility, &r.phone),
            email: shown(&r.email_visibility, &r.email),
            open_to_mobility: (r.mobility_visibility != "hidden").then_some(r.mobility == 1),
            is_local: r.is_local == 1,
            welcomes_newcomers: r.welcomes_newcomers == 1,
        }
    }
}

/// The stored skills (one per line) as a list.
pub fn skills_of(stored: &str) -> Vec<&str> {
    stored
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a phone number looks like one: digits and the usual separators.
pub fn phone_ok(s: &str) -> bool {
    s.chars().count() <= MAX_PHONE_CHARS
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c))
}

fn visibility(field: &'static str, raw: &str) -> DomainResult<String> {
    let v = raw.trim();
    if VISIBILITIES.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(DomainError::invalid(field, Rule::Choice))
    }
}

/// Checks the form: every field bounded, a phone that looks like one, a real email.
pub fn validate(input: &EntryInput) -> DomainResult<DirectoryValues> {
    let branch = input.branch.trim().to_ascii_lowercase();
    if !["", "fpe", "fpt", "fph"].contains(&branch.as_str()) {
        return Err(DomainError::invalid("branch", Rule::Choice));
    }
    let phone = names::line("phone", &input.phone, 0, 30)?;
    if !phone.is_empty() && !phone_ok(&phone) {
        return Err(DomainError::invalid("phone", Rule::Phone));
    }
    let email = input.email.trim();
    let email = if email.is_empty() {
        String::new()
    } else {
        Email::parse(email)?.as_str().to_owned()
    };
    let mut skills = Vec::new();
    for s in input.skills.split(['\n', ',']) {
        let s = names::line("skills", s, 0, MAX_SKILL_CHARS)?;
        if !s.is_empty() && !skills.contains(&s) {
            skills.push(s);
        }
    }
    if skills.len() > MAX_SKILLS {
        return Err(DomainError::invalid("skills", Rule::TooLong));
    }
    Ok(DirectoryValues {
        visibility: visibility("visibility", &input.visibility)?,
        branch,
        service: names::line("service", &input.service, 0, MAX_SERVICE_CHARS)?,
        phone,
        phone_visibility: visibility("phone_visibility", &input.phone_visibility)?,
        email,
        email_visibility: visibility("email_visibility", &input.email_visibility)?,
        skills: skills.join("\n"),
        mobility: matches!(input.mobility.as_deref(), Some("on" | "true" | "1")),
        mobility_visibility: visibility("mobility_visibility", &input.mobility_visibility)?,
        welcomes_newcomers: matches!(
            input.welcomes_newcomers.as_deref(),
            Some("on" | "true" | "1")
        ),
        search_text: String::new(),
    })
}

/// The agent's own entry for the form; a new one starts hidden, in the node's branch.
pub async fn form_of(state: &Ctx, account: &Account) -> DomainResult<EntryInput> {
    Ok(match state.store.directory_entry(account.actor_id).await? {
        Some(r) => EntryInput {
            visibility: r.visibility,
            branch: r.branch,
            service: r.service,
            phone: r.phone,
            phone_visibility: r.phone_visibility,
            email: r.email,
            email_visibility: r.email_visibility,
            skills: r.skills,
            mobility: (r.mobility == 1).then(|| "on".into()),
            mobility_visibility: r.mobility_visibility,
            welcomes_newcomers: (r.welcomes_newcomers == 1).then(|| "on".into()),
        },
        None => EntryInput {
            visibility: "hidden".into(),
            branch: state
                .config
                .branch
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            phone_visibility: "node".into(),
            email_visibility: "node".into(),
            mobility_visibility: "node".into(),
            ..EntryInput::default()
        },
    })
}

/// Saves the agent's entry, then the index and the peers' caches follow.
pub async fn save(state: &Ctx, account: &Account, input: &EntryInput) -> DomainResult<()> {
    let mut values = validate(input)?;
    let actor = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    values.search_text = search_text(&actor, &values);
    state
        .store
        .upsert_directory_entry(actor.id, &values)
        .await?;
    changed(state, actor.id).await
}

/// The agent's profile, entry or account changed: re-index and tell the approved peers.
pub async fn changed(state: &Ctx, actor_id: i64) -> DomainResult<()> {
    let actor = state
        .store
        .actor_by_id(actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let Some(e) = state.store.directory_entry(actor.id).await? else {
        return Ok(());
    };
    // The name or the métier may have changed on the profile.
    let mut values = values_of(&e);
    values.search_text = search_text(&actor, &values);
    state
        .store
        .upsert_directory_entry(actor.id, &values)
        .await?;
    let disabled = state.store.actor_account_disabled(actor.id).await?;
    let entry = state.store.directory_entry(actor.id).await?;
    let shown = entry.as_ref().filter(|_| !disabled);
    reindex(state, &actor.ap_id, shown).await?;
    state
        .publisher
        .publish(
            state,
            Change::Directory(DirectoryChange::Updated {
                actor: Box::new(actor),
                entry: entry.map(Box::new),
                disabled,
            }),
        )
        .await
}

fn values_of(e: &DirectoryRow) -> DirectoryValues {
    DirectoryValues {
        visibility: e.visibility.clone(),
        branch: e.branch.clone(),
        service: e.service.clone(),
        phone: e.phone.clone(),
        phone_visibility: e.phone_visibility.clone(),
        email: e.email.clone(),
        email_visibility: e.email_visibility.clone(),
        skills: e.skills.clone(),
        mobility: e.mobility == 1,
        mobility_visibility: e.mobility_visibility.clone(),
        welcomes_newcomers: e.welcomes_newcomers == 1,
        search_text: String::new(),
    }
}

/// What the directory search matches: the stems of name, métier, institution, service and
/// skills, each after a space, so that a query stem matches the start of a word
/// ("formations" and "form" both find "Formation").
pub(super) fn search_text(actor: &ActorRow, v: &DirectoryValues) -> String {
    search_text_of(&[
        &actor.display_name,
        &actor.username,
        &actor.job_title,
        &actor.institution,
        &v.service,
        &v.skills,
    ])
}

/// Stems the directory's search texts again where the stemmer (`search::STEMMER`) made them
/// differently; run at startup with the index's own pass. Returns how many changed.
pub async fn restem(state: &Ctx) -> DomainResult<usize> {
    let mut changed = 0;
    let mut after = 0;
    loop {
        let batch = state.store.directory_search_sources(after, 500).await?;
        let Some(last) = batch.last() else {
            return Ok(changed);
        };
        after = last.actor_id;
        for e in &batch {
            let text = search_text_of(&[
                &e.display_name,
                &e.username,
                &e.job_title,
                &e.institution,
                &e.service,
                &e.skills,
            ]);
            if text != e.search_text {
                state
                    .store
                    .set_directory_search_text(e.actor_id, &text)
                    .await?;
                changed += 1;
            }
        }
    }
}

/// The same from the parts, for an entry written before its actor exists (bulk import).
pub(super) fn search_text_of(parts: &[&str]) -> String {
    format!(" {}", search::stems(&parts.join(" ")).join(" "))
}

/// The entry in the full-text index while it is shown here, out of it otherwise.
pub(super) async fn reindex(
    state: &Ctx,
    ap_id: &str,
    entry: Option<&DirectoryRow>,
) -> DomainResult<()> {
    let Some(e) = entry.filter(|e| e.visibility != "hidden") else {
        return search::remove(state, ap_id).await;
    };
    let body = [
        e.job_title.as_str(),
        e.service.as_str(),
        e.institution.as_str(),
        &skills_of(&e.skills).join(", "),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" · ");
    search::index(
        state,
        &SearchDoc {
            kind: "directory",
            ap_id: e.ap_id.clone(),
            community_id: None,
            actor_id: Some(e.actor_id),
            title: Entry::from_row(e).name,
            body,
            url: format!("/directory/{}", e.actor_id),
            published_at: e.updated_at,
        },
    )
    .await
}

/// Entries shown here matching every word of `query` (name, métier, institution, service,
/// skill; case, accents and plurals ignored, a word's start is enough); all of them for an
/// empty query.
pub async fn find(state: &Ctx, query: &str) -> DomainResult<Vec<Entry>> {
    let query: String = query.chars().take(200).collect();
    let mut words = search::stems(&query);
    words.truncate(8);
    Ok(state
        .store
        .search_directory(&words, MAX_RESULTS)
        .await?
        .iter()
        .map(Entry::from_row)
        .collect())
}

/// What the circle's copy of a local agent is made from: their entry, and whether their
/// account is disabled (`convert::directory::decorate` keeps only what the agent shows the
/// circle).
pub async fn for_circle(state: &Ctx, actor_id: i64) -> DomainResult<(Option<DirectoryRow>, bool)> {
    let entry = state.store.directory_entry(actor_id).await?;
    let disabled = state.store.actor_account_disabled(actor_id).await?;
    Ok((entry, disabled))
}

/// One entry shown here (hidden entries and disabled accounts are not found).
pub async fn show(state: &Ctx, id: i64) -> DomainResult<Entry> {
    let row = state
        .store
        .directory_entry(id)
        .await?
        .filter(|r| r.visibility != "hidden")
        .or_not_found("directory entry")?;
    if state.store.actor_account_disabled(id).await? {
        return Err(DomainError::NotFound("directory entry"));
    }
    Ok(Entry::from_row(&row))
}
