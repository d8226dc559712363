//! Building and running one node: storage, migrations, the instance actor, the HTTP server.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{DefaultHeaders, NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Config;
use crate::db::{DbError, Store};
use crate::domain::{DomainError, instance};
use crate::federation::delivery;
use crate::http;
use crate::state::AppState;

/// Why a node could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Database(#[from] DbError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Domain(#[from] DomainError),
}

/// How a node runs besides its configuration.
#[derive(Debug, Clone, Copy)]
pub struct NodeOptions {
    /// HTTP worker threads.
    pub http_workers: usize,
    /// Run the delivery and mail workers in the background. Tests turn them off and drain the
    /// queues themselves, so that deliveries happen at a moment they choose.
    pub delivery_worker: bool,
}

impl Default for NodeOptions {
    fn default() -> Self {
        Self {
            http_workers: 2,
            delivery_worker: true,
        }
    }
}

/// Longest wait between two looks at the delivery queue when nothing wakes the worker.
const DELIVERY_POLL: std::time::Duration = std::time::Duration::from_secs(5);
/// The push worker's poll: pushes are queued by the domain, which cannot wake the worker.
const PUSH_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// A node ready to serve, bound to its port.
pub struct Application {
    state: AppState,
    server: Server,
    port: u16,
    options: NodeOptions,
}

impl Application {
    /// Opens the database, migrates, creates the instance actor, binds `config.bind`.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        let listener = TcpListener::bind(config.bind).map_err(|source| StartError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        Self::build_with_listener(config, listener, NodeOptions::default()).await
    }

    /// Same as [`Application::build`] on a listener bound by the caller (port 0 in tests,
    /// where the authority must name the port before the node starts).
    pub async fn build_with_listener(
        config: Config,
        listener: TcpListener,
        options: NodeOptions,
    ) -> Result<Application, StartError> {
        let store = Store::connect(config.database_url.expose()).await?;
        store.migrate().await?;
        Self::start(AppState::new(config, store), listener, options).await
    }

    async fn start(
        state: AppState,
        listener: TcpListener,
        options: NodeOptions,
    ) -> Result<Application, StartError> {
        instance::ensure(&state).await?;
        // Posts stored before the search index existed (or while indexing failed).
        if let Err(e) = crate::domain::search::backfill(&state).await {
            tracing::warn!(error = %e, "search index backfill failed");
        }
        crate::metrics::install();
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let data = web::Data::new(state.clone());
        let form_origin = state.config.oidc.as_ref().map(|o| o.issuer.origin());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                // Inside the others: error pages are framed before the headers are added.
                .wrap(from_fn(http::web::error_pages::framed))
                // Around the error pages, which are written in the request's language too.
                .wrap(from_fn(http::web::language::negotiated))
                .wrap(security_headers(form_origin.as_ref()))
                .wrap(NormalizePath::new(TrailingSlash::Trim))
                .wrap(TracingLogger::default())
                // Outermost, so that the latency covers every other middleware.
                .wrap(from_fn(http::metrics::record))
                .configure(http::configure)
                .default_service(web::to(http::not_found))
        })
        .workers(options.http_workers)
        .disable_signals()
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|source| StartError::Bind { addr, source })?
        .run();
        Ok(Application {
            state,
            server,
            port,
            options,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves (and delivers, unless turned off) until the server is stopped; then lets the
    /// delivery worker finish the batch in flight, so nothing is left half-sent.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let pruning_stop = stop_rx.clone();
        // Before the first claim: on SQLite this releases what a previous run left claimed.
        let instance = if self.options.delivery_worker {
            delivery::start_instance(&self.state).await;
            Some(tokio::spawn(delivery::run_instance(
                self.state.clone(),
                stop_tx.subscribe(),
            )))
        } else {
            None
        };
        let worker = self.options.delivery_worker.then(|| {
            tokio::spawn(delivery::run_worker(
                self.state.clone(),
                DELIVERY_POLL,
                stop_rx,
            ))
        });
        let mail_worker = self.options.delivery_worker.then(|| {
            tokio::spawn(crate::mail::outbox::run_worker(
                self.state.clone(),
                DELIVERY_POLL,
                stop_tx.subscribe(),
            ))
        });
        let push_worker = self.options.delivery_worker.then(|| {
            tokio::spawn(crate::push::run_worker(
                self.state.clone(),
                PUSH_POLL,
                stop_tx.subscribe(),
            ))
        });
        // Pruning what is done with runs wherever the node serves, from the start.
        let pruning = tokio::spawn(crate::domain::retention::run(
            (*self.state).clone(),
            pruning_stop,
        ));
        let result = self.server.await;
        let _ = stop_tx.send(true);
        if let Some(w) = worker {
            let _ = w.await;
        }
        if let Some(i) = instance {
            let _ = i.await;
            delivery::stop_instance(&self.state).await;
        }
        if let Some(w) = mail_worker {
            let _ = w.await;
        }
        if let Some(w) = push_worker {
            let _ = w.await;
        }
        let _ = pruning.await;
        result
    }
}

/// Headers that make the browser refuse what it should never do with our pages.
/// `form_origin`: the OpenID Connect provider's origin, where the sign-in button's and the
/// logout's forms are redirected (browsers apply `form-action` to a form's redirects too).
fn security_headers(form_origin: Option<&url::Origin>) -> DefaultHeaders {
    let form_action = match form_origin {
        Some(origin) if origin.is_tuple() => format!("'self' {}", origin.ascii_serialization()),
        _ => "'self'".to_owned(),
    };
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            format!(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                 frame-ancestors 'none'; form-action {form_action}; base-uri 'none'"
            ),
        ))
}

/// Resolves on SIGTERM (systemd, containers) or Ctrl-C: how `serve` and `demo` know to stop.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
