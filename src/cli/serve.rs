//! `entrepairs serve`: one node until SIGTERM or Ctrl-C.

use crate::app::{Application, shutdown_signal};
use crate::config::Config;

pub async fn serve(config: Config) -> anyhow::Result<()> {
    crate::telemetry::init(config.log_format);
    let base = config.base_url();
    let db = config.database_url.redacted();
    let app = Application::build(config).await?;
    tracing::info!(url = %base, database = %db, port = app.port(), "node started");
    if let Some(link) = crate::domain::setup::link_if_needed(app.state()).await? {
        // On the console only (journald for systemd): the installer is the one reading it.
        eprintln!(
            "\nAucun administrateur sur ce nœud. Créez le premier compte administrateur ici \
             (lien à usage unique) :\n  {link}\nNo admin on this node yet: create the first \
             admin account with the one-time link above (or `entrepairs admin user add --admin`).\n"
        );
    }
    let handle = app.handle();
    let store = app.state().store.clone();
    let server = tokio::spawn(app.run_until_stopped());
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    handle.stop(true).await;
    server.await??;
    // Closing the pool lets SQLite fold its write-ahead log into the database file, so that
    // the file alone is the whole database once the process has exited.
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
