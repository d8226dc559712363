//! Carrying out a plan: one transaction per line (a line is imported whole or not at all),
//! invitation links minted in the same transaction. No key pair is made here: each agent's
//! is made on first need (`actor_keys::ensure`), which keeps a 2,000-line import in seconds.

use super::plan::{Action, Plan, PlanLine};
use crate::db::{DirectoryValues, ImportNew};
use crate::domain::invitations::INVITATION_TTL_MS;
use crate::domain::sessions::{random_token, token_hash};
use crate::domain::{Ctx, DomainResult, directory};

/// What a real run did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Refused by the plan, or failed when written (line, email, reason).
    pub refused: Vec<(u64, String, String)>,
    /// (username, email, link) of each new account when invitations were asked for.
    pub invitations: Vec<(String, String, String)>,
}

/// Applies the plan; `by` names who imports (an admin, or `cli`) on the invitations;
/// `progress` is told after each line, for the CLI's bar.
pub async fn apply(
    ctx: &Ctx,
    by: &str,
    plan: &Plan,
    invite: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> DomainResult<Outcome> {
    let mut out = Outcome::default();
    for line in &plan.lines {
        let result = match &line.action {
            Action::Refused { reason } => {
                out.refused
                    .push((line.line, line.email.clone(), reason.clone()));
                Ok(())
            }
            Action::Unchanged { .. } => {
                out.unchanged += 1;
                Ok(())
            }
            Action::Create { username } => {
                create(ctx, by, line, username, invite).await.map(|link| {
                    out.created += 1;
                    if let Some(link) = link {
                        out.invitations
                            .push((username.clone(), line.email.clone(), link));
                    }
                })
            }
            Action::Update { .. } => update(ctx, line).await.map(|()| out.updated += 1),
        };
        if let Err(e) = result {
            tracing::warn!(line = line.line, error = %e, "import line failed");
            let reason = format!("non importée : {e}");
            out.refused.push((line.line, line.email.clone(), reason));
        }
        progress(1);
    }
    tracing::info!(
        created = out.created,
        updated = out.updated,
        unchanged = out.unchanged,
        refused = out.refused.len(),
        "accounts imported"
    );
    Ok(out)
}

/// The entry an imported agent starts with: métier and service seen by this node's agents
/// only; the agent widens it to the circle themselves.
fn entry_values(ctx: &Ctx, service: &str, search_text: String) -> DirectoryValues {
    DirectoryValues {
        visibility: "node".into(),
        branch: ctx
            .config
            .branch
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default(),
        service: service.to_owned(),
        phone_visibility: "node".into(),
        email_visibility: "node".into(),
        mobility_visibility: "node".into(),
        search_text,
        ..DirectoryValues::default()
    }
}

async fn create(
    ctx: &Ctx,
    by: &str,
    line: &PlanLine,
    username: &str,
    invite: bool,
) -> DomainResult<Option<String>> {
    let Some(data) = &line.data else {
        return Ok(None);
    };
    let ap_id = ctx.urls.person(username);
    let display_name = data.display_name();
    let actor = crate::domain::local_actor::new_row(
        ctx,
        crate::domain::local_actor::Identity {
            kind: "Person",
            username,
            ap_id: ap_id.clone(),
            display_name: display_name.clone(),
            summary: String::new(),
            job_title: data.job_title.clone(),
        },
        None,
    );
    let search_text = directory::search_text_of(&[
        &display_name,
        username,
        &data.job_title,
        &ctx.config.institution_name,
        &data.service,
    ]);
    let entry = entry_values(ctx, &data.service, search_text);
    let memberships = follows(ctx, line);
    let token = invite.then(random_token);
    let hash = token.as_deref().map(token_hash);
    let expires_at = crate::db::now_ms() + INVITATION_TTL_MS;
    let (_, actor_id) = ctx
        .store
        .import_create(&ImportNew {
            actor: &actor,
            email: &line.email,
            entry: &entry,
            memberships: &memberships,
            invitation: hash.as_deref().map(|h| (h, by, expires_at)),
        })
        .await?;
    let row = ctx.store.directory_entry(actor_id).await?;
    directory::reindex(ctx, &ap_id, row.as_ref()).await?;
    Ok(token.map(|t| format!("{}/invitation/{t}", ctx.urls.base())))
}

async fn update(ctx: &Ctx, line: &PlanLine) -> DomainResult<()> {
    let (Some(data), Some(actor_id)) = (&line.data, line.actor_id) else {
        return Ok(());
    };
    let entry = entry_values(ctx, &data.service, String::new());
    ctx.store
        .import_update(
            actor_id,
            &data.display_name(),
            &data.job_title,
            &entry,
            &follows(ctx, line),
        )
        .await?;
    // Re-indexes the entry and tells the circle when the agent shows it there.
    directory::changed(ctx, actor_id).await?;
    Ok(())
}

/// A Follow id per new membership, as a join would mint (the column is unique).
fn follows(ctx: &Ctx, line: &PlanLine) -> Vec<(i64, String)> {
    line.new_communities
        .iter()
        .map(|(id, _)| (*id, ctx.urls.new_activity()))
        .collect()
}
