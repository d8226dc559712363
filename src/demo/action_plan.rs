//! The demo's action plan in `accueil` (hosted by the mairie): items proposed from the three
//! institutions, one of them escalated to management, comments from two nodes; and two watch
//! notes and a mobility offer in the same community.

use super::communities::{settle, who};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::communities;
use crate::domain::post_kinds::PostKind;
use crate::domain::posts;
use crate::state::AppState;

/// Seeds the plan once, after the communities; `states` are the sous-préfecture, the mairie
/// and the CHU.
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(());
    };
    if !mairie.store.action_items(accueil.id).await?.is_empty() {
        return Ok(());
    }
    let handle = format!("accueil@{}", mairie.config.authority);
    let (alice, chloe, bruno, farida) = (
        who(pref, "alice").await?,
        who(chu, "chloe").await?,
        who(mairie, "bruno").await?,
        who(mairie, "farida").await?,
    );
    let c_pref = communities::resolve(pref, &handle).await?;
    let c_chu = communities::resolve(chu, &handle).await?;
    let alice_handle = format!("alice@{}", pref.config.authority);
    let escalated = action_plan::propose(
        pref,
        &alice,
        &c_pref,
        &NewItem {
            title: "Un bouton d'alerte à chaque guichet".into(),
            description: "Deux incidents ce mois-ci au guichet des titres. Le CHU a un bouton \
                          d'alerte relié à la sécurité : **demander le même équipement** pour \
                          les guichets de la sous-préfecture et de la mairie."
                .into(),
            owner: alice_handle,
            due_on: "2027-03-31".into(),
        },
    )
    .await?;
    action_plan::propose(
        chu,
        &chloe,
        &c_chu,
        &NewItem {
            title: "Fiche commune « orienter un usager »".into(),
            description: "Une fiche recto verso, mise à jour chaque trimestre : CAF, CPAM, \
                          France Travail, permanences du CHU."
                .into(),
            owner: format!("chloe@{}", chu.config.authority),
            due_on: "2027-02-15".into(),
        },
    )
    .await?;
    action_plan::propose(
        mairie,
        &farida,
        &accueil,
        &NewItem {
            title: "Formation commune à la gestion des conflits".into(),
            description: "Demander au CNFPT une session inter-fonctions publiques.".into(),
            owner: String::new(),
            due_on: String::new(),
        },
    )
    .await?;
    settle(&states).await?;
    let on_host = mairie
        .store
        .action_item_by_ap_id(&escalated.ap_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the alert item did not reach the mairie"))?;
    action_plan::comment(
        mairie,
        &bruno,
        &on_host.ap_id,
        "Présenté en comité de direction : la DGS demande un devis pour les deux guichets.",
    )
    .await?;
    settle(&states).await?;
    action_plan::comment(
        pref,
        &alice,
        &escalated.ap_id,
        "Le secrétaire général de la sous-préfecture est d'accord pour partager le devis.",
    )
    .await?;
    settle(&states).await?;
    action_plan::escalate(
        mairie,
        &bruno,
        &on_host.ap_id,
        "2026-11-12",
        "Direction générale des services (DGS)",
    )
    .await?;
    settle(&states).await?;
    action_plan::set_status(mairie, &bruno, &on_host.ap_id, Status::InProgress).await?;
    settle(&states).await?;
    for (state, who_, c, title, body, kind) in [
        (
            pref,
            &alice,
            &c_pref,
            "Décret sur l'accueil des usagers : ce qui change",
            "Le décret paru ce mois-ci impose un **délai de réponse de 15 jours** aux demandes \
             écrites. Fiche de synthèse en cours.",
            PostKind::parse("veille", "réglementation, usagers", "")?,
        ),
        (
            chu,
            &chloe,
            &c_chu,
            "Guide DGAFP : accueillir un usager en situation de handicap",
            "Un guide pratique de 20 pages, très concret (accueil téléphonique, FALC).",
            PostKind::parse("veille", "handicap, guide", "")?,
        ),
        (
            mairie,
            &farida,
            &accueil,
            "Mobilité : agent·e d'accueil à l'état civil (mairie)",
            "Poste de catégorie C à pourvoir au 1er mars, ouvert aux agents des trois \
             fonctions publiques (détachement ou mutation). Contact : service RH de la mairie.",
            PostKind::parse("mobilite", "état-civil, catégorie-c", "2027-01-31")?,
        ),
    ] {
        posts::create_thread_of_kind(state, who_, c, title, body, &kind).await?;
        settle(&states).await?;
    }
    tracing::info!(community = %accueil.ap_id, "demo action plan and watch posts seeded");
    Ok(())
}
