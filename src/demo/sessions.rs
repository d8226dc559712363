//! The demo's sessions in `accueil` (hosted by the mairie): a monthly series, "every first
//! Tuesday, 9:30–12:00" for six months from next month, with participants from the three
//! institutions, and a full workshop with a waiting list. Registrations from the
//! sous-préfecture and the CHU go through real `Join`s to the group.

use jiff::ToSpan;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;

use super::communities::{settle, who};
use crate::domain::events::{self, EventInput};
use crate::domain::{communities, participation};
use crate::state::AppState;

/// `YYYY-MM-DDTHH:MM` wall-clock strings of the first Tuesday of next month.
fn first_tuesday_of_next_month(timezone: &str) -> anyhow::Result<String> {
    let tz = TimeZone::get(timezone)?;
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let next = today.first_of_month().checked_add(1.month())?;
    let day = next.nth_weekday_of_month(1, Weekday::Tuesday)?;
    Ok(day.strftime("%Y-%m-%d").to_string())
}

/// Schedules the sessions once (when `accueil` has none) and registers agents of each node.
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(());
    };
    if !mairie
        .store
        .community_events(accueil.id, 0)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let bruno = who(mairie, "bruno").await?;
    let day = first_tuesday_of_next_month(&mairie.config.timezone)?;
    let series = events::create(
        mairie,
        &bruno,
        &accueil,
        &EventInput {
            title: "Club accueil — séance mensuelle".into(),
            description: "Tour de table des situations difficiles du mois, puis travail sur \
                          le **kit de survie** des nouveaux arrivants.\n\n\
                          Apportez vos fiches d'orientation."
                .into(),
            kind: "seance".into(),
            start: format!("{day}T09:30"),
            end: format!("{day}T12:00"),
            address: "Mairie de Castelsarrasin, salle du conseil, 5 place de la Liberté".into(),
            online_url: "https://visio.example.invalid/club-accueil".into(),
            capacity: "20".into(),
            repeat: "monthly_weekday".into(),
            count: "6".into(),
        },
    )
    .await?;
    let workshop_day = jiff::Timestamp::now()
        .to_zoned(TimeZone::get(&mairie.config.timezone)?)
        .date()
        .checked_add(17.days())?
        .strftime("%Y-%m-%d")
        .to_string();
    let workshop = events::create(
        mairie,
        &bruno,
        &accueil,
        &EventInput {
            title: "Atelier : désamorcer l'agressivité au guichet".into(),
            description: "Mises en situation avec la psychologue du travail du CHU.".into(),
            kind: "atelier".into(),
            start: format!("{workshop_day}T14:00"),
            end: format!("{workshop_day}T16:30"),
            address: "CHU de Montauban, salle de formation B".into(),
            capacity: "2".into(),
            ..Default::default()
        },
    )
    .await?;
    settle(&states).await?;
    let handle = format!("accueil@{}", mairie.config.authority);
    // (node, agent, sessions of the series to register for (by rank), the workshop?)
    let plan: [(&AppState, &str, &[usize], bool); 4] = [
        (pref, "alice", &[0, 1, 2], true),
        (chu, "chloe", &[0, 1], true),
        (mairie, "bruno", &[0, 1, 2, 3, 4, 5], false),
        (mairie, "farida", &[0], true),
    ];
    for (state, name, ranks, workshop_too) in plan {
        let agent = who(state, name).await?;
        let c = communities::resolve(state, &handle).await?;
        let mut ids: Vec<_> = ranks.iter().filter_map(|i| series.get(*i)).collect();
        if workshop_too {
            ids.extend(workshop.first());
        }
        for e in ids {
            let Some(local) = state.store.event_by_ap_id(&e.ap_id).await? else {
                continue;
            };
            if local.community_id == c.id {
                participation::join(state, &agent, local.id).await?;
            }
        }
        // One agent at a time, so the workshop's waiting list has a known order.
        settle(&states).await?;
    }
    tracing::info!(
        sessions = series.len() + workshop.len(),
        "demo sessions seeded"
    );
    Ok(())
}
