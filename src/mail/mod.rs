//! Mail: the SMTP transport, the persistent outbox and its worker, the messages we write.
//! The domain never sends mail itself: handlers queue what the domain decided.

pub mod message;
pub mod messages;
// Issue 15: notification mail.
pub mod notices;
pub mod outbox;
pub mod transport;
// Issue 15: the digest.
pub mod digest;
// Issue 15: session reminders.
pub mod reminders;

pub use outbox::{Mailer, Outgoing, drain, queue};
pub use transport::{SendOutcome, Transport};
