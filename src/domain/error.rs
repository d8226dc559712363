//! Errors of the domain layer: what went wrong, in words a user can act on.

use crate::db::DbError;

/// A refused or failed domain operation. The HTTP layer maps each kind to a status once.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Bad input, naming the field and the rule it breaks.
    #[error("{field}: {rule}")]
    Invalid { field: &'static str, rule: Rule },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// Wrong credentials, or no credentials where they are needed.
    #[error("authentication required or failed")]
    Unauthenticated,
    #[error("account disabled")]
    Disabled,
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    #[error("too many attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Another node did not answer, or not in time: passing, to be retried later, never a
    /// refusal.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// What an activity builds on has not arrived yet (another node delivers in parallel, so
    /// a reply may overtake its post): passing, and soon, never a refusal.
    #[error("not yet: {0}")]
    NotYet(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &'static str, rule: Rule) -> Self {
        Self::Invalid { field, rule }
    }
}

/// "Or not found": a lookup that found nothing becomes `NotFound(what)`, so a getter reads
/// `state.store.post_by_ap_id(id).await.or_not_found("post")`.
pub trait OrNotFound<T> {
    fn or_not_found(self, what: &'static str) -> DomainResult<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &'static str) -> DomainResult<T> {
        self.ok_or(DomainError::NotFound(what))
    }
}

impl<T> OrNotFound<T> for Result<Option<T>, DbError> {
    fn or_not_found(self, what: &'static str) -> DomainResult<T> {
        self?.or_not_found(what)
    }
}

/// A validation rule that input broke. Displayed in English for the API and logs; the web
/// interface translates it (`http::web::i18n`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rule {
    #[error("must be {min} to {max} characters")]
    Length { min: usize, max: usize },
    #[error("must be at most {max} characters")]
    MaxLength { max: usize },
    #[error("must be a single line")]
    SingleLine,
    #[error("contains control characters")]
    ControlCharacters,
    #[error("is not a valid email address")]
    Email,
    #[error("only letters a-z, digits, '_', '.' and '-' are allowed")]
    UsernameCharacters,
    #[error("must start with a letter or a digit")]
    UsernameStart,
    #[error("is reserved")]
    Reserved,
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("is too long")]
    TooLong,
    #[error("is not an authority like host or host:port")]
    Authority,
    #[error("is not a page position like 1700000000000-42")]
    PageCursor,
    #[error("must be one of: {options}")]
    OneOf { options: &'static str },
    #[error("is not a phone number (digits, spaces and + - . ( ) only)")]
    Phone,
    #[error("is not one of the proposed choices")]
    Choice,
    #[error("is not a date like 2027-01-31")]
    Date,
    #[error("is not a member of this community")]
    NotMember,
    #[error("is not a date and time like 2026-12-01T09:30")]
    DateTime,
    #[error("must be after the start")]
    EndBeforeStart,
    #[error("must be a whole number from {min} to {max}")]
    Range { min: i64, max: i64 },
    #[error("is not an http(s) address")]
    Url,
    #[error("must be at least {count}, the seats already taken")]
    BelowParticipants { count: i64 },
    #[error("matches several people: type their address")]
    Ambiguous,
    /// A browser push key (`p256dh`, `auth`) that is not what browsers send.
    #[error("is not a browser push key")]
    PushKey,
}

pub type DomainResult<T> = Result<T, DomainError>;
