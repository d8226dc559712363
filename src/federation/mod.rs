//! ActivityPub federation: who we talk to (`policy`), how we prove and check who speaks
//! (`keys`, `signatures`, `verify`), how documents are fetched (`fetch`, `guard`), how
//! activities come in (`inbox`) and go out (`outbox`, `delivery`), and the conversion between
//! our rows and ActivityStreams documents (`convert`).

pub mod community_list;
pub mod context;
pub mod convert;
pub mod delivery;
pub mod fetch;
pub mod fetch_file;
pub mod guard;
pub mod handshake;
pub mod inbox;
pub mod keycache;
/// Key pairs are shared with the domain (every local actor gets one), so they live at the
/// crate's root; this path stays for the signing code.
pub use crate::keys;
pub mod outbox;
pub mod policy;
pub mod probe;
pub mod publish;
pub mod remote;
pub mod request_limits;
pub mod signatures;
pub mod verify;
// Issue 14: RFC 9421 HTTP Message Signatures.
pub mod rfc9421;
// Issue 13: the inbox budget of each approved peer.
pub mod inbox_limits;

use tokio::sync::Notify;

use crate::config::Config;
use crate::db::DbError;
use keycache::KeyCache;
use policy::Policy;

/// What the federation layer of one node keeps in memory: caches and the worker's wake-up.
pub struct Federation {
    pub policy: Policy,
    pub keys: KeyCache,
    pub http: reqwest::Client,
    /// Rung after an enqueue, so the delivery worker does not wait for its next poll.
    pub wakeup: Notify,
    /// Bounds on federation requests from authorities that are not approved.
    pub requests: request_limits::RequestLimiter,
    /// Test only: refuse draft-cavage signatures (401), as a peer that verifies nothing but
    /// RFC 9421 does, so that tests see our deliveries knock again with RFC 9421.
    pub refuse_cavage: std::sync::atomic::AtomicBool,
    /// The inbox budget of each approved peer.
    pub inbox_limits: inbox_limits::InboxLimiter,
}

impl Federation {
    pub fn new(config: &Config) -> Self {
        Self {
            policy: Policy::new(&config.authority),
            keys: KeyCache::default(),
            http: guard::client(config.allow_private_addresses, config.use_system_proxy),
            wakeup: Notify::new(),
            requests: Default::default(),
            refuse_cavage: Default::default(),
            inbox_limits: inbox_limits::InboxLimiter::new(
                config.inbox_peer_per_minute,
                config.inbox_peer_burst,
            ),
        }
    }
}

/// Why a federation step failed. Each variant maps to one HTTP status for the inbox, and to
/// a retry decision for delivery.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("signature: {0}")]
    Signature(#[from] signatures::SignatureError),
    #[error("key: {0}")]
    Key(#[from] keys::KeyError),
    #[error("{0} is not an approved peer")]
    NotApproved(String),
    #[error("{0} is a private address and the configuration does not allow those")]
    PrivateAddress(String),
    #[error("origin mismatch: {0}")]
    OriginMismatch(String),
    #[error("malformed activity: {0}")]
    Malformed(String),
    #[error("refused: {0}")]
    Refused(String),
    /// The activity is about something this node does not hold: acknowledged and ignored.
    #[error("{0} not held here")]
    NotHeld(String),
    #[error("remote answered {0}")]
    Status(u16),
    #[error("remote error: {0}")]
    Remote(String),
    #[error("fetch budget of this request used up")]
    FetchBudget,
    /// The activity depends on one the sender sent before it and that has not arrived yet
    /// (deliveries run in parallel): answered "retry soon", never refused.
    #[error("not yet: {0}")]
    NotYet(String),
    #[error("too many federation requests, retry in {0} s")]
    RateLimited(u64),
    #[error("request body too large")]
    TooLarge,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal: {0}")]
    Internal(String),
}

/// The one translation of a domain refusal or fault into what a peer is answered: a rule the
/// activity breaks is final (4xx), a fault of ours or of another node is passing (5xx), so
/// that the sender retries instead of dropping what it sent.
impl From<crate::domain::DomainError> for FederationError {
    fn from(e: crate::domain::DomainError) -> Self {
        use crate::domain::DomainError;
        match e {
            DomainError::Db(d) => FederationError::Db(d),
            DomainError::Internal(m) => FederationError::Internal(m),
            DomainError::Unreachable(m) => FederationError::Remote(m),
            DomainError::NotYet(m) => FederationError::NotYet(m),
            DomainError::RateLimited { retry_after_secs } => {
                FederationError::RateLimited(retry_after_secs)
            }
            DomainError::NotFound(m) => FederationError::NotHeld(m.into()),
            DomainError::Forbidden(m) => FederationError::Refused(m.into()),
            other @ (DomainError::Invalid { .. }
            | DomainError::Conflict(_)
            | DomainError::Unauthenticated
            | DomainError::Disabled) => FederationError::Refused(other.to_string()),
        }
    }
}

/// What the domain sees of a federation failure behind one of its ports: the other node's
/// silence stays passing (`Unreachable`), a document or peer we refuse stays a refusal.
impl From<FederationError> for crate::domain::DomainError {
    fn from(e: FederationError) -> Self {
        use crate::domain::DomainError;
        match e {
            FederationError::Db(d) => DomainError::Db(d),
            FederationError::Internal(m) => DomainError::Internal(m),
            FederationError::NotApproved(_) => {
                DomainError::Forbidden("that institution is not an approved peer")
            }
            FederationError::RateLimited(retry_after_secs) => {
                DomainError::RateLimited { retry_after_secs }
            }
            FederationError::Status(s) if (400..500).contains(&s) && s != 408 && s != 429 => {
                DomainError::Conflict(format!("cannot reach that node: it answered {s}"))
            }
            FederationError::NotYet(m) => DomainError::NotYet(m),
            e @ (FederationError::Remote(_)
            | FederationError::Status(_)
            | FederationError::FetchBudget) => DomainError::Unreachable(e.to_string()),
            other @ (FederationError::Signature(_)
            | FederationError::Key(_)
            | FederationError::PrivateAddress(_)
            | FederationError::OriginMismatch(_)
            | FederationError::Malformed(_)
            | FederationError::Refused(_)
            | FederationError::NotHeld(_)
            | FederationError::TooLarge) => {
                DomainError::Conflict(format!("cannot reach that node: {other}"))
            }
        }
    }
}

// The authority of a URL is part of the URL scheme, which the domain reads too.
pub use crate::urls::{authority_of, authority_of_str};
