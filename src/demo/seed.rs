//! The demo's people: realistic agents of the three institutions, created once.

use super::{DEMO_PASSWORD, Institution};
use crate::domain::accounts::{self, NewAccountInput};
use crate::state::AppState;

pub struct DemoAgent {
    pub institution: &'static str,
    pub username: &'static str,
    pub display_name: &'static str,
    pub job_title: &'static str,
}

pub const AGENTS: &[DemoAgent] = &[
    DemoAgent {
        institution: "sous-prefecture",
        username: "alice",
        display_name: "Alice Martin",
        job_title: "Agente d'accueil",
    },
    DemoAgent {
        institution: "sous-prefecture",
        username: "damien",
        display_name: "Damien Roux",
        job_title: "Assistant du sous-préfet",
    },
    DemoAgent {
        institution: "sous-prefecture",
        username: "elise",
        display_name: "Élise Garcia",
        job_title: "Gestionnaire comptable",
    },
    DemoAgent {
        institution: "mairie",
        username: "bruno",
        display_name: "Bruno Lefèvre",
        job_title: "Agent d'accueil",
    },
    DemoAgent {
        institution: "mairie",
        username: "farida",
        display_name: "Farida Benali",
        job_title: "Chargée des ressources humaines",
    },
    DemoAgent {
        institution: "mairie",
        username: "gilles",
        display_name: "Gilles Moreau",
        job_title: "Comptable",
    },
    DemoAgent {
        institution: "chu",
        username: "chloe",
        display_name: "Chloé Dubois",
        job_title: "Agente d'accueil des urgences",
    },
    DemoAgent {
        institution: "chu",
        username: "hugo",
        display_name: "Hugo Bernard",
        job_title: "Assistant de direction",
    },
    DemoAgent {
        institution: "chu",
        username: "ines",
        display_name: "Inès Petit",
        job_title: "Gestionnaire RH",
    },
];

/// Creates the admin and the agents of `inst` when they do not exist yet.
pub async fn accounts(state: &AppState, inst: &Institution) -> anyhow::Result<()> {
    let people = std::iter::once(DemoAgent {
        institution: inst.slug,
        username: "admin",
        display_name: "Administrateur",
        job_title: "Administrateur du nœud",
    })
    .chain(
        AGENTS
            .iter()
            .filter(|a| a.institution == inst.slug)
            .map(|a| DemoAgent { ..*a }),
    );
    for person in people {
        if state
            .store
            .account_by_username(person.username)
            .await?
            .is_some()
        {
            continue;
        }
        accounts::create(
            state,
            NewAccountInput {
                username: person.username.into(),
                display_name: person.display_name.into(),
                email: format!("{}@{}.demo.invalid", person.username, inst.slug),
                job_title: person.job_title.into(),
                admin: person.username == "admin",
                password: Some(DEMO_PASSWORD.into()),
            },
        )
        .await?;
    }
    Ok(())
}
