//! The demo's action plan in `accueil` (hosted by the mairie): items proposed from the three
//! institutions, one of them escalated to management, comments from two nodes.

use super::communities::{settle, who};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::communities;
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
    tracing::info!(community = %accueil.ap_id, "demo action plan seeded");
    Ok(())
}
