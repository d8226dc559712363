//! The demo's past session in `accueil` (hosted by the mairie): an atelier held a week ago,
//! with attendance marked by bruno (alice of the sous-préfecture and chloe of the CHU came,
//! so each downloads an attestation from her own node) and its report published as a
//! resource with two actions proposed in the plan.

use jiff::ToSpan;
use jiff::tz::TimeZone;

use super::communities::{settle, who};
use crate::domain::attendance;
use crate::domain::events::{self, EventInput};
use crate::domain::session_reports::{self, ReportInput};
use crate::state::AppState;

const TITLE: &str = "Atelier : le kit de survie des nouveaux arrivants";

/// Seeds the past session once (when `accueil` has none by that title).
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(());
    };
    let known = mairie.store.community_events(accueil.id, 0).await?;
    if known.iter().any(|e| e.title == TITLE) {
        return Ok(());
    }
    let bruno = who(mairie, "bruno").await?;
    let day = jiff::Timestamp::now()
        .to_zoned(TimeZone::get(&mairie.config.timezone)?)
        .date()
        .checked_sub(7.days())?
        .strftime("%Y-%m-%d")
        .to_string();
    let e = events::create(
        mairie,
        &bruno,
        &accueil,
        &EventInput {
            title: TITLE.into(),
            description: "Chaque institution apporte ses fiches d'orientation.".into(),
            kind: "atelier".into(),
            start: format!("{day}T09:30"),
            end: format!("{day}T12:00"),
            address: "Mairie de Castelsarrasin, salle du conseil".into(),
            ..Default::default()
        },
    )
    .await?
    .remove(0);
    settle(&states).await?;
    // Walk-ins: the session is past, so nobody registered; the members who came are marked.
    let present = vec![
        who(pref, "alice").await?.actor,
        who(chu, "chloe").await?.actor,
        bruno.actor.clone(),
    ];
    attendance::mark(mairie, &bruno, e.id, &present).await?;
    settle(&states).await?;
    session_reports::publish(
        mairie,
        &bruno,
        e.id,
        &ReportInput {
            points: "- Les questions les plus fréquentes au guichet\n\
                     - Qui oriente vers quoi entre la mairie, la sous-préfecture et le CHU"
                .into(),
            decisions: "Un kit de survie commun aux trois institutions, relu par chacune.".into(),
            actions: format!(
                "Rédiger la première version du kit ; bruno ; {}\n\
                 Présenter le kit aux directions ; ; {}",
                in_days(mairie, 30)?,
                in_days(mairie, 60)?
            ),
        },
    )
    .await?;
    settle(&states).await?;
    tracing::info!("demo attendance and report seeded");
    Ok(())
}

fn in_days(state: &AppState, n: i64) -> anyhow::Result<String> {
    Ok(jiff::Timestamp::now()
        .to_zoned(TimeZone::get(&state.config.timezone)?)
        .date()
        .checked_add(n.days())?
        .strftime("%Y-%m-%d")
        .to_string())
}
