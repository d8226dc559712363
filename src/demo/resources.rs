//! The demo's resources in `accueil`: the survival kit written by the mairie's animateur and
//! improved by agents of the sous-préfecture and the CHU (each edit through the community's
//! host, as in real use), and a best-practices collection started from the CHU.

use anyhow::Context;

use super::communities::settle;
use crate::domain::accounts::{self, Account};
use crate::domain::communities;
use crate::domain::resources::{self, ResourceInput};
use crate::state::AppState;

async fn who(state: &AppState, username: &str) -> anyhow::Result<Account> {
    accounts::by_username(state, username)
        .await
        .with_context(|| format!("demo account {username}"))
}

const V1: &str = "Bienvenue à l'accueil ! Ce kit rassemble ce que les anciens auraient aimé \
savoir le premier jour.\n\n## Les premiers jours\n\n\
- Demandez la **liste des numéros internes** et des permanences (CAF, CPAM, France Travail).\n\
- Repérez la procédure en cas d'usager agressif : qui appeler, où se mettre à l'abri.\n";

const V2_ADD: &str = "\n## Orienter un usager\n\n\
- Titres d'identité et permis : sur rendez-vous, en ligne (ANTS) ; la sous-préfecture \
reçoit les cas particuliers le mardi matin.\n\
- Un doute sur le bon service ? Appelez le collègue de l'accueil voisin plutôt que de \
renvoyer l'usager.\n";

const V3_ADD: &str = "\n## À l'hôpital\n\n\
- Les urgences ne sont pas un guichet d'information : orientez vers l'accueil central \
(hall A, 8 h - 19 h).\n\
- Un usager perdu dans les étages : proposez de l'accompagner, le brancardage peut aider.\n";

const PRATIQUES: &str = "Les pratiques qui ont fait leurs preuves dans nos trois \
institutions.\n\n\
1. **Une phrase d'accueil commune** : « Bonjour, je vais vous aider à trouver le bon \
service. »\n\
2. **Le cahier de liaison** entre l'équipe du matin et celle de l'après-midi.\n\
3. **Un point mensuel** de dix minutes sur les situations difficiles.\n";

fn input(title: &str, body: &str, summary: &str) -> ResourceInput {
    ResourceInput {
        title: title.into(),
        body: body.into(),
        summary: summary.into(),
        ..ResourceInput::default()
    }
}

/// Seeds the resources once, after the communities (`states`: sous-préfecture, mairie, CHU).
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let accueil = mairie
        .store
        .local_community("accueil")
        .await?
        .context("the accueil community")?;
    if mairie
        .store
        .resource_by_slug(accueil.id, "kit-de-survie")
        .await?
        .is_some()
    {
        return Ok(());
    }
    let title = "Kit de survie de l'agent d'accueil";
    let bruno = who(mairie, "bruno").await?;
    resources::create(
        mairie,
        &bruno,
        &accueil,
        &ResourceInput {
            kind: "kit".into(),
            slug: "kit-de-survie".into(),
            ..input(title, V1, "Première version")
        },
    )
    .await?;
    settle(&states).await?;
    let handle = format!("accueil@{}", mairie.config.authority);
    let edits = [
        (pref, "alice", format!("{V1}{V2_ADD}"), "Orienter un usager"),
        (
            chu,
            "chloe",
            format!("{V1}{V2_ADD}{V3_ADD}"),
            "Ajout de la partie hôpital",
        ),
    ];
    for (state, name, body, summary) in edits {
        let agent = who(state, name).await?;
        let c = communities::resolve(state, &handle).await?;
        let r = resources::find(state, &agent, &c, "kit-de-survie").await?;
        resources::edit(state, &agent, &r, &input(title, &body, summary), r.revision).await?;
        settle(&states).await?;
    }
    let chloe = who(chu, "chloe").await?;
    let c = communities::resolve(chu, &handle).await?;
    resources::create(
        chu,
        &chloe,
        &c,
        &ResourceInput {
            kind: "pratiques".into(),
            slug: "bonnes-pratiques".into(),
            ..input("Recueil de bonnes pratiques", PRATIQUES, "")
        },
    )
    .await?;
    settle(&states).await?;
    tracing::info!("demo resources seeded");
    Ok(())
}
