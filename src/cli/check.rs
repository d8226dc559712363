//! `entrepairs admin check`: one `ok` or `FAIL` line per check of a node's health, for an
//! admin after an install or upgrade and for monitoring scripts (non-zero exit on any FAIL).
//!
//! Never changes anything: no migration, no file created. To add a check, write a function
//! of type [`NodeCheck`] and add it to [`NODE_CHECKS`].

use std::fmt::Display;

use anyhow::bail;
use futures_util::future::BoxFuture;

use crate::config::{Config, ConfigError};
use crate::db::{Store, sqlite_file};
use crate::domain::{accounts, instance};
use crate::federation::keys::{PrivateKey, PublicKey};
use crate::http::error::error_chain;
use crate::state::AppState;

/// A check of a node whose database answers and is migrated: `Ok(detail)` or `Err(why)`.
pub type NodeCheck = for<'a> fn(&'a AppState) -> BoxFuture<'a, Result<String, String>>;

/// Run in this order after the database checks.
pub const NODE_CHECKS: &[(&str, NodeCheck)] = &[
    ("instance actor", instance_actor),
    ("accounts", account_count),
    ("peers reachable", peers_reachable),
    ("deliveries", deliveries),
];

/// Every peer we federate with answers its public discovery documents (NodeInfo, else
/// WebFinger): other software serves no `/actor`, so that is not what is probed.
fn peers_reachable(state: &AppState) -> BoxFuture<'_, Result<String, String>> {
    Box::pin(async move {
        let peers = crate::domain::peers::list(state)
            .await
            .map_err(|e| e.to_string())?;
        let active: Vec<_> = peers
            .into_iter()
            .filter(|p| crate::federation::policy::ACTIVE_STATES.contains(&p.state.as_str()))
            .collect();
        let mut up = Vec::new();
        let mut down = Vec::new();
        for p in &active {
            match crate::federation::probe::software(state, &p.authority).await {
                Ok(software) => up.push(format!("{} ({software})", p.authority)),
                Err(e) => down.push(format!("{} ({e})", p.authority)),
            }
        }
        if down.is_empty() {
            Ok(format!(
                "{} approved peer(s), all reachable{}{}",
                active.len(),
                if up.is_empty() { "" } else { ": " },
                up.join(", ")
            ))
        } else {
            Err(format!("unreachable: {}", down.join(", ")))
        }
    })
}

/// Deliveries waiting and failed: failures are reported, not fatal (the peer may be down).
fn deliveries(state: &AppState) -> BoxFuture<'_, Result<String, String>> {
    Box::pin(async move {
        let pending = state
            .store
            .count_deliveries("pending")
            .await
            .map_err(|e| e.to_string())?;
        let failed = state
            .store
            .count_deliveries("failed")
            .await
            .map_err(|e| e.to_string())?;
        Ok(format!(
            "{pending} pending, {failed} failed (see /admin/deliveries)"
        ))
    })
}

/// Prints the lines and fails when any check failed.
pub async fn run(config: Result<Config, ConfigError>) -> anyhow::Result<()> {
    let mut report = Report::default();
    if let Some(state) = open(config, &mut report).await {
        for (what, check) in NODE_CHECKS {
            report.line(what, check(&state).await);
        }
        state.store.close().await;
    }
    report.finish()
}

/// Configuration, database and migrations; the state when the node checks can run.
async fn open(config: Result<Config, ConfigError>, report: &mut Report) -> Option<AppState> {
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            for p in &e.problems {
                report.fail("configuration", format!("{}: {}", p.setting, p.message));
            }
            return None;
        }
    };
    report.ok(
        "configuration valid",
        format!(
            "authority {}, database {}",
            config.authority,
            config.database_url.redacted()
        ),
    );
    if let Some(file) = sqlite_file(config.database_url.expose())
        && !file.is_file()
    {
        report.fail(
            "database reachable",
            format!(
                "no database at {} (`entrepairs migrate` creates it)",
                file.display()
            ),
        );
        return None;
    }
    let store = match Store::connect(config.database_url.expose()).await {
        Ok(s) => s,
        Err(e) => {
            report.fail("database reachable", error_chain(&e));
            return None;
        }
    };
    report.ok("database reachable", store.engine().name());
    let migrated = match store.migration_status().await {
        Err(e) => Err(format!(
            "cannot read the migrations table ({}): run `entrepairs migrate`",
            error_chain(&e)
        )),
        Ok(m) if !m.unknown().is_empty() => Err(format!(
            "migrations {:?} are unknown to this binary: the database was written by a newer entrepairs",
            m.unknown()
        )),
        Ok(m) if !m.pending().is_empty() => Err(format!(
            "{} pending ({:?}): run `entrepairs migrate` or start the node",
            m.pending().len(),
            m.pending()
        )),
        Ok(m) => Ok(format!("{} of {}", m.applied.len(), m.known.len())),
    };
    let ready = migrated.is_ok();
    report.line("migrations applied", migrated);
    if !ready {
        store.close().await;
        return None;
    }
    Some(AppState::new(config, store))
}

fn instance_actor(state: &AppState) -> BoxFuture<'_, Result<String, String>> {
    Box::pin(async move {
        let authority = &state.config.authority;
        let actor = state
            .store
            .local_actor(authority, instance::KIND)
            .await
            .map_err(|e| error_chain(&e))?
            .ok_or_else(|| {
                format!("none for {authority}: the node creates it when it first starts")
            })?;
        let actor = crate::domain::actor_keys::ensure(state, actor)
            .await
            .map_err(|e| error_chain(&e))?;
        let private = actor
            .private_key_pem
            .as_deref()
            .ok_or("it has no private key")?;
        let private =
            PrivateKey::from_pkcs8_pem(private).map_err(|e| format!("private key: {e}"))?;
        let public =
            PublicKey::from_pem(&actor.public_key_pem).map_err(|e| format!("public key: {e}"))?;
        if private.public_key() != public {
            return Err("the published public key does not match the private key".into());
        }
        Ok(format!("{} (RSA {} bits)", actor.ap_id, public.bits()))
    })
}

fn account_count(state: &AppState) -> BoxFuture<'_, Result<String, String>> {
    Box::pin(async move {
        let list = accounts::list(state).await.map_err(|e| error_chain(&e))?;
        let admins = list.iter().filter(|a| a.is_admin() && !a.disabled).count();
        let disabled = list.iter().filter(|a| a.disabled).count();
        let mut detail = format!(
            "{} ({admins} active admin(s), {disabled} disabled)",
            list.len()
        );
        if admins == 0 {
            detail.push_str("; create an admin with `entrepairs admin user add --admin`");
        }
        Ok(detail)
    })
}

/// The printed lines and how many failed.
#[derive(Default)]
struct Report {
    failures: usize,
}

impl Report {
    fn ok(&mut self, what: &str, detail: impl Display) {
        println!("ok   {what}: {detail}");
    }

    fn fail(&mut self, what: &str, detail: impl Display) {
        self.failures += 1;
        println!("FAIL {what}: {detail}");
    }

    fn line(&mut self, what: &str, outcome: Result<String, String>) {
        match outcome {
            Ok(detail) => self.ok(what, detail),
            Err(why) => self.fail(what, why),
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        if self.failures > 0 {
            bail!("{} check(s) failed", self.failures);
        }
        Ok(())
    }
}
