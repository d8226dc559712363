//! The demo's communities, created once through the real federation path: `accueil`
//! (on request) hosted by the mairie with members from the three institutions, a pinned
//! survival kit and a few discussions; `assistants` (open) hosted by the sous-préfecture.

use anyhow::Context;

use crate::domain::accounts::{self, Account};
use crate::domain::communities::{self, NewCommunityInput};
use crate::domain::{memberships, posts};
use crate::state::AppState;

/// Waits until every node's queue is empty (sending what is due, alongside the running
/// delivery workers), so each step sees the previous one on every node. Gives up after
/// about 20 s: a seed step that fails then says which.
pub(super) async fn settle(states: &[&AppState]) -> anyhow::Result<()> {
    for _ in 0..200 {
        for s in states {
            crate::federation::delivery::drain(s).await?;
        }
        // Counted after every node has sent: a delivery to one node queues answers on it.
        let mut pending = 0;
        for s in states {
            pending += s.store.count_deliveries("pending").await?;
        }
        if pending == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

pub(super) async fn who(state: &AppState, username: &str) -> anyhow::Result<Account> {
    accounts::by_username(state, username)
        .await
        .with_context(|| format!("demo account {username}"))
}

const KIT: &str = "Bienvenue dans la communauté des agents d'accueil du bassin !\n\n\
## Les premiers jours\n\n\
- Demandez la **liste des numéros internes** et des permanences (CAF, CPAM, France Travail).\n\
- Repérez la procédure en cas d'usager agressif : qui appeler, où se mettre à l'abri.\n\
- Gardez sous la main les horaires des services voisins : mairie, sous-préfecture, CHU.\n\n\
## Ressources\n\n\
1. La fiche « orienter un usager » (mise à jour chaque trimestre).\n\
2. Le réseau : posez vos questions ici, quelqu'un a déjà eu le cas.\n\n\
Les animateurs : @bruno@{mairie}.";

/// Creates the demo communities when `accueil` does not exist yet. `states` are the
/// sous-préfecture, the mairie and the CHU, in that order, all serving.
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    if mairie.store.local_community("accueil").await?.is_some() {
        return Ok(());
    }
    let bruno = who(mairie, "bruno").await?;
    let accueil = communities::create(
        mairie,
        &bruno,
        &NewCommunityInput {
            slug: "accueil".into(),
            name: "Accueil du public — bassin de Castelsarrasin".into(),
            description: "Les agents d'accueil de la sous-préfecture, de la mairie et du CHU : \
                          pratiques, orientation des usagers, kit de survie des nouveaux."
                .into(),
            tags: "accueil, orientation, usagers".into(),
            join_mode: "request".into(),
            question: "Quel accueil assurez-vous (guichet, téléphone, urgences) ?".into(),
            charter: "Bienveillance, discrétion sur les situations d'usagers, entraide.".into(),
        },
    )
    .await?;
    let handle = format!("accueil@{}", mairie.config.authority);
    for (state, name, answer) in [
        (
            pref,
            "alice",
            "Accueil physique et téléphonique de la sous-préfecture.",
        ),
        (chu, "chloe", "Accueil des urgences du CHU."),
        (mairie, "farida", "J'assure l'accueil RH de la mairie."),
    ] {
        let agent = who(state, name).await?;
        let c = communities::resolve(state, &handle).await?;
        memberships::join(state, &agent, &c, answer).await?;
    }
    settle(&states).await?;
    for (state, name) in [(pref, "alice"), (chu, "chloe"), (mairie, "farida")] {
        let actor = who(state, name).await?.actor;
        memberships::decide(mairie, &bruno, &accueil, &actor, true).await?;
    }
    settle(&states).await?;
    let kit = posts::create_thread(
        mairie,
        &bruno,
        &accueil,
        "Kit de survie de l'agent d'accueil",
        &KIT.replace("{mairie}", &mairie.config.authority),
    )
    .await?;
    // The pin travels as its own Update: the thread must have arrived first.
    settle(&states).await?;
    posts::set_flags(mairie, &bruno, &kit.ap_id, true, false).await?;
    let alice = who(pref, "alice").await?;
    let c_pref = communities::resolve(pref, &handle).await?;
    let thread = posts::create_thread(
        pref,
        &alice,
        &c_pref,
        "Usagers en colère : vos procédures ?",
        "Nous avons eu deux incidents ce mois-ci au guichet des titres. \
         Comment vous organisez-vous pour **alerter un collègue** sans inquiéter la file ?",
    )
    .await?;
    settle(&states).await?;
    let chloe = who(chu, "chloe").await?;
    posts::reply(
        chu,
        &chloe,
        &thread.ap_id,
        "Aux urgences, un bouton d'alerte sous le comptoir prévient la sécurité. \
         Et on ne reste jamais seul·e à l'accueil après 20 h.",
    )
    .await?;
    settle(&states).await?;
    posts::reply(
        mairie,
        &bruno,
        &thread.ap_id,
        &format!(
            "Merci @alice@{} pour le sujet : on prépare une fiche commune pour la réunion de juin.",
            pref.config.authority
        ),
    )
    .await?;
    settle(&states).await?;

    let damien = who(pref, "damien").await?;
    let assistants = communities::create(
        pref,
        &damien,
        &NewCommunityInput {
            slug: "assistants".into(),
            name: "Assistants de direction".into(),
            description: "Agendas, courriers, parapheurs : les assistants de direction du bassin."
                .into(),
            tags: "secrétariat, direction".into(),
            join_mode: "open".into(),
            question: String::new(),
            charter: "Entraide et confidentialité.".into(),
        },
    )
    .await?;
    let hugo = who(chu, "hugo").await?;
    let c_chu = communities::resolve(chu, &format!("assistants@{}", pref.config.authority)).await?;
    memberships::join(chu, &hugo, &c_chu, "").await?;
    settle(&states).await?;
    let agenda = posts::create_thread(
        chu,
        &hugo,
        &c_chu,
        "Agendas partagés entre directions",
        "Quel outil utilisez-vous pour partager l'agenda de votre directeur avec les autres ?",
    )
    .await?;
    settle(&states).await?;
    posts::reply(
        pref,
        &damien,
        &agenda.ap_id,
        "Outlook, avec une délégation en lecture seule.",
    )
    .await?;
    settle(&states).await?;
    tracing::info!(accueil = %accueil.ap_id, assistants = %assistants.ap_id, "demo communities seeded");
    Ok(())
}
