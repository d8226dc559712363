//! The session's report (« compte rendu »): after a session, an animateur writes it from a
//! template (présents from the attendance, points abordés, décisions, actions); publishing
//! makes it a resource of the community (a new one the first time, a new revision after) and
//! proposes each action into the community's action plan, linked back to the session. Every
//! line is checked before anything is written: one bad date publishes nothing.

use super::Ctx;
use super::accounts::Account;
use super::action_plan::{self, NewItem};
use super::communities::require_animateur;
use super::error::{DomainError, DomainResult, Rule};
use super::resources::{self, ResourceInput, Saved};
use super::{events, names, pickers};
use crate::db::{ActionItemRow, CommunityRow, EventRow, ResourceRow, now_ms};

/// Largest number of actions one report proposes.
const MAX_ACTIONS: usize = 30;

/// What the animateur types. `actions` holds one action a line:
/// `titre ; responsable ; échéance` (responsable and échéance optional, the date as
/// `2027-01-31` or `31/01/2027`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReportInput {
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub decisions: String,
    #[serde(default)]
    pub actions: String,
}

/// One checked action line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionLine {
    pub title: String,
    pub owner: String,
    pub due_on: String,
}

/// `31/01/2027` or `2027-01-31` as `2027-01-31`; anything else is refused.
fn due(raw: &str) -> DomainResult<String> {
    let raw = raw.trim();
    let iso = match raw.split('/').collect::<Vec<_>>().as_slice() {
        [d, m, y] => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => raw.to_owned(),
    };
    action_plan::date("actions", &iso)
}

/// Reads the action lines; empty lines are skipped.
pub fn parse_actions(raw: &str) -> DomainResult<Vec<ActionLine>> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let line = line.trim_start_matches(['-', '*']).trim();
        let mut parts = line.split(';').map(str::trim);
        let title = names::line("actions", parts.next().unwrap_or_default(), 2, 200)?;
        let owner = parts.next().unwrap_or_default().to_owned();
        let due_on = due(parts.next().unwrap_or_default())?;
        if parts.next().is_some() {
            return Err(DomainError::invalid("actions", Rule::Choice));
        }
        out.push(ActionLine {
            title,
            owner,
            due_on,
        });
    }
    if out.len() > MAX_ACTIONS {
        return Err(DomainError::invalid(
            "actions",
            Rule::Range {
                min: 0,
                max: MAX_ACTIONS as i64,
            },
        ));
    }
    Ok(out)
}

/// The short name of a session's report among the community's resources.
pub fn slug(e: &EventRow) -> String {
    format!("compte-rendu-seance-{}", e.id)
}

/// The session, its community and the report already published, for one of its animateurs.
pub async fn of(
    state: &Ctx,
    account: &Account,
    id: i64,
) -> DomainResult<(EventRow, CommunityRow, Option<ResourceRow>)> {
    let e = events::by_id(state, id).await?;
    let c = events::community_of(state, &e).await?;
    require_animateur(state, &c, account).await?;
    let r = state.store.resource_by_slug(c.id, &slug(&e)).await?;
    Ok((e, c, r))
}

/// What publishing did.
pub struct Report {
    pub resource: ResourceRow,
    pub items: Vec<ActionItemRow>,
}

/// Publishes the report of session `id`: the resource (created, or revised when it exists)
/// and one proposed action item per action line, each linked to the session.
pub async fn publish(
    state: &Ctx,
    account: &Account,
    id: i64,
    input: &ReportInput,
) -> DomainResult<Report> {
    let (e, c, existing) = of(state, account, id).await?;
    if e.status == "cancelled" || e.starts_at > now_ms() {
        return Err(DomainError::Conflict(
            "a report is written once the session has taken place".into(),
        ));
    }
    let points = names::text("points", &input.points, 20_000)?;
    let decisions = names::text("decisions", &input.decisions, 20_000)?;
    let actions = parse_actions(&input.actions)?;
    // Owners are checked before anything is written, as the plan will check them.
    for a in &actions {
        action_plan::check_owner(state, &c, &a.owner).await?;
    }
    let mut items = Vec::new();
    let body = body(state, &e, &c, &points, &decisions, &actions).await?;
    let title = format!("Compte rendu — {}", e.title);
    let title: String = title.chars().take(200).collect();
    let input = ResourceInput {
        kind: "autre".into(),
        slug: slug(&e),
        title,
        body,
        summary: "Compte rendu de séance".into(),
    };
    let saved = match &existing {
        Some(r) => resources::edit(state, account, r, &input, r.revision).await?,
        None => resources::create(state, account, &c, &input).await?,
    };
    let Saved::Done(resource) = saved else {
        return Err(DomainError::Internal(
            "a report is published on the community's host".into(),
        ));
    };
    for a in &actions {
        let item = action_plan::propose(
            state,
            account,
            &c,
            &NewItem {
                title: a.title.clone(),
                description: format!(
                    "Action issue de la séance « {} » : [voir la séance]({}).",
                    e.title,
                    events::link_by_ap_id(&e.ap_id)
                ),
                owner: a.owner.clone(),
                due_on: a.due_on.clone(),
            },
        )
        .await?;
        items.push(item);
    }
    Ok(Report {
        resource: *resource,
        items,
    })
}

/// The report's Markdown from the template: présents (from the attendance), points
/// abordés, décisions, actions.
async fn body(
    state: &Ctx,
    e: &EventRow,
    c: &CommunityRow,
    points: &str,
    decisions: &str,
    actions: &[ActionLine],
) -> DomainResult<String> {
    let names_by_authority = pickers::institution_names(state).await?;
    let mut present = String::new();
    for p in state.store.participants(e.id).await? {
        if p.attended_at.is_none() {
            continue;
        }
        let name = p.display_name.clone().unwrap_or(p.actor_ap_id.clone());
        let institution = match (&p.institution, &p.authority) {
            (Some(i), _) if !i.is_empty() => i.clone(),
            (_, Some(a)) => pickers::institution_in(&names_by_authority, a),
            _ => String::new(),
        };
        present.push_str(&format!("- {name} ({institution})\n"));
    }
    if present.is_empty() {
        present = "- (présences non saisies)\n".into();
    }
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            "(néant)".to_owned()
        } else {
            s.trim().to_owned()
        }
    };
    let mut list = String::new();
    for a in actions {
        list.push_str(&format!("- {}", a.title));
        if !a.owner.is_empty() {
            list.push_str(&format!(" — responsable : {}", a.owner));
        }
        if !a.due_on.is_empty() {
            list.push_str(&format!(" — échéance : {}", a.due_on));
        }
        list.push('\n');
    }
    if list.is_empty() {
        list = "(néant)\n".into();
    }
    let local = super::event_time::local_input(e.starts_at, &state.config.timezone);
    // `2027-03-02T09:30` read the French way: 02/03/2027.
    let day = match local.get(..10).map(|d| d.split('-').collect::<Vec<_>>()) {
        Some(p) if p.len() == 3 => format!("{}/{}/{}", p[2], p[1], p[0]),
        _ => local.clone(),
    };
    Ok(format!(
        "Séance « {} » de la communauté {}, le {}.\n\n## Présents\n\n{present}\n\
         ## Points abordés\n\n{}\n\n## Décisions\n\n{}\n\n## Actions\n\n{list}\n\
         Les actions sont proposées dans le plan d'action de la communauté.\n",
        e.title,
        c.name,
        day,
        or_none(points),
        or_none(decisions),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_lines_read_title_owner_and_a_french_or_iso_date() {
        let got =
            parse_actions("- Rédiger le kit ; alice ; 31/01/2027\n\nRelancer la DRH;;2027-02-15\n")
                .expect("lines");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].due_on, "2027-01-31");
        assert_eq!(got[0].owner, "alice");
        assert_eq!(got[1].title, "Relancer la DRH");
        assert_eq!(got[1].due_on, "2027-02-15");
        for bad in [
            "Kit ; ; 31/02/2027",
            "Kit ; ; demain",
            "Kit ; a ; 2027-01-01 ; x",
            "K",
        ] {
            assert!(parse_actions(bad).is_err(), "{bad}");
        }
    }
}
