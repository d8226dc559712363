//! Building and running one node: storage, migrations, the instance actor, the HTTP server.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{DefaultHeaders, NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Config;
use crate::db::{DbError, Store};
use crate::domain::{DomainError, instance};
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

/// A node ready to serve, bound to its port.
pub struct Application {
    state: AppState,
    server: Server,
    port: u16,
}

impl Application {
    /// Opens the database, migrates, creates the instance actor, binds `config.bind`.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        let listener = TcpListener::bind(config.bind).map_err(|source| StartError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        Self::build_with_listener(config, listener, 2).await
    }

    /// Same as [`Application::build`] on a listener bound by the caller (port 0 in tests,
    /// where the authority must name the port before the node starts).
    pub async fn build_with_listener(
        config: Config,
        listener: TcpListener,
        workers: usize,
    ) -> Result<Application, StartError> {
        let store = Store::connect(config.database_url.expose()).await?;
        store.migrate().await?;
        Self::start(AppState::new(config, store), listener, workers).await
    }

    async fn start(
        state: AppState,
        listener: TcpListener,
        workers: usize,
    ) -> Result<Application, StartError> {
        instance::ensure(&state).await?;
        crate::metrics::install();
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(security_headers())
                .wrap(NormalizePath::new(TrailingSlash::Trim))
                .wrap(TracingLogger::default())
                // Outermost, so that the latency covers every other middleware.
                .wrap(from_fn(http::metrics::record))
                .configure(http::configure)
                .default_service(web::to(http::not_found))
        })
        .workers(workers)
        .disable_signals()
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|source| StartError::Bind { addr, source })?
        .run();
        Ok(Application {
            state,
            server,
            port,
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

    /// Serves until the server is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Headers that make the browser refuse what it should never do with our pages.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
}
