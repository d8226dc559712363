//! The demo's directory: the agents of the three institutions with their services, skills
//! and mobility, most shown to the circle, one phone kept to its own node, one entry kept
//! to its own institution. Entries are saved after the federation is approved, so each
//! origin pushes them to its peers like any change.

use crate::domain::accounts;
use crate::domain::directory::{self, EntryInput};
use crate::state::AppState;

struct DemoEntry {
    username: &'static str,
    visibility: &'static str,
    service: &'static str,
    phone: &'static str,
    phone_visibility: &'static str,
    skills: &'static str,
    mobility: bool,
}

const ENTRIES: &[DemoEntry] = &[
    DemoEntry {
        username: "alice",
        visibility: "circle",
        service: "Accueil et titres",
        phone: "05 63 32 00 10",
        phone_visibility: "circle",
        skills: "Accueil du public\nTitres d'identité\nMédiation avec les usagers",
        mobility: false,
    },
    DemoEntry {
        username: "damien",
        visibility: "circle",
        service: "Cabinet du sous-préfet",
        phone: "05 63 32 00 11",
        // Kept to the sous-préfecture's own agents.
        phone_visibility: "node",
        skills: "Agenda et protocole\nCourriers officiels",
        mobility: true,
    },
    DemoEntry {
        username: "elise",
        visibility: "node",
        service: "Bureau des finances",
        phone: "",
        phone_visibility: "node",
        skills: "Chorus Pro\nMarchés publics",
        mobility: false,
    },
    DemoEntry {
        username: "bruno",
        visibility: "circle",
        service: "Accueil de l'hôtel de ville",
        phone: "05 63 32 10 00",
        phone_visibility: "circle",
        skills: "Accueil du public\nÉtat civil\nFormation des nouveaux arrivants",
        mobility: false,
    },
    DemoEntry {
        username: "farida",
        visibility: "circle",
        service: "Ressources humaines",
        phone: "05 63 32 10 20",
        phone_visibility: "circle",
        skills: "Formations du CNFPT\nEntretiens professionnels\nMobilité interne",
        mobility: true,
    },
    DemoEntry {
        username: "gilles",
        visibility: "circle",
        service: "Finances",
        phone: "",
        phone_visibility: "node",
        skills: "Budget M57\nRégies",
        mobility: false,
    },
    DemoEntry {
        username: "chloe",
        visibility: "circle",
        service: "Accueil des urgences",
        phone: "05 63 92 80 00",
        phone_visibility: "circle",
        skills: "Accueil du public\nGestion des situations de tension\nMédiation",
        mobility: true,
    },
    DemoEntry {
        username: "hugo",
        visibility: "circle",
        service: "Direction générale",
        phone: "05 63 92 80 10",
        phone_visibility: "circle",
        skills: "Organisation de réunions\nComptes rendus",
        mobility: false,
    },
    DemoEntry {
        username: "ines",
        visibility: "circle",
        service: "Direction des ressources humaines",
        phone: "05 63 92 80 20",
        phone_visibility: "circle",
        skills: "Paie hospitalière\nFormations\nMobilité entre fonctions publiques",
        mobility: true,
    },
];

/// Saves the entries of the agents of `state` that have none yet.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    for e in ENTRIES {
        let Some(row) = state.store.account_by_username(e.username).await? else {
            continue;
        };
        if state.store.directory_entry(row.actor_id).await?.is_some() {
            continue;
        }
        let account = accounts::by_username(state, e.username).await?;
        let domain = state
            .config
            .institution_name
            .to_lowercase()
            .replace(' ', "-");
        directory::save(
            state,
            &account,
            &EntryInput {
                visibility: e.visibility.into(),
                branch: state
                    .config
                    .branch
                    .map(|b| b.as_str().to_owned())
                    .unwrap_or_default(),
                service: e.service.into(),
                phone: e.phone.into(),
                phone_visibility: e.phone_visibility.into(),
                email: format!("{}@{}.demo.invalid", e.username, ascii(&domain)),
                email_visibility: "circle".into(),
                skills: e.skills.into(),
                mobility: e.mobility.then(|| "on".into()),
                mobility_visibility: "circle".into(),
                // The demo's mentor opts in in demo/first_hour.rs.
                welcomes_newcomers: None,
            },
        )
        .await?;
    }
    Ok(())
}

fn ascii(s: &str) -> String {
    crate::domain::search::plain_words(s).join("-")
}
