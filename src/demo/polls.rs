//! The demo's date poll in `accueil` (hosted by the mairie): « Quelle date pour la séance de
//! mars ? », three dates, answered by alice (sous-préfecture) and chloe (CHU) through real
//! vote `Note`s to the group, and by bruno on the host; it stays open a month, so the
//! animateur can turn the leading date into a session from its page.

use jiff::ToSpan;
use jiff::tz::TimeZone;

use super::communities::{settle, who};
use crate::domain::communities;
use crate::domain::polls::{self, PollSpec, Results};
use crate::state::AppState;

const QUESTION: &str = "Quelle date pour la séance de mars ?";

/// Opens the poll once (when `accueil` has none) and has an agent of each node answer.
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(());
    };
    if !mairie
        .store
        .threads_of_category(accueil.id, "sondage")
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let tz = TimeZone::get(&mairie.config.timezone)?;
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let day = |n: i64| -> anyhow::Result<String> {
        Ok(today
            .checked_add(n.days())?
            .strftime("%Y-%m-%dT14:00")
            .to_string())
    };
    let options = vec![day(40)?, day(47)?, day(54)?];
    let bruno = who(mairie, "bruno").await?;
    let spec = PollSpec {
        multiple: true,
        anonymous: false,
        results: Results::Always,
        dates: true,
        end_time: jiff::Timestamp::now()
            .checked_add((30 * 24).hours())
            .map(|t| t.as_millisecond())
            .unwrap_or(i64::MAX),
        options: options.clone(),
    };
    let poll = polls::create(
        mairie,
        &bruno,
        &accueil,
        QUESTION,
        "Cochez toutes les dates qui vous conviennent : la séance aura lieu l'après-midi, \
         de 14 h à 16 h, à la mairie.",
        spec,
    )
    .await?;
    settle(&states).await?;
    let handle = format!("accueil@{}", mairie.config.authority);
    let plan: [(&AppState, &str, &[usize]); 3] = [
        (pref, "alice", &[0, 1]),
        (chu, "chloe", &[1]),
        (mairie, "bruno", &[1, 2]),
    ];
    for (state, name, ranks) in plan {
        let agent = who(state, name).await?;
        let c = communities::resolve(state, &handle).await?;
        let Some(post) = state
            .store
            .post_by_ap_id(&poll.ap_id)
            .await?
            .filter(|p| p.community_id == c.id)
        else {
            continue;
        };
        let choices: Vec<String> = ranks
            .iter()
            .filter_map(|i| options.get(*i))
            .cloned()
            .collect();
        polls::vote(state, &agent, &post, &choices).await?;
        settle(&states).await?;
    }
    tracing::info!("demo date poll seeded");
    Ok(())
}
