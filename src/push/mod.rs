//! Web Push, the sending part: the payload encrypted for the device (RFC 8291, aes128gcm, by
//! `web-push-native`), the node's VAPID signature (RFC 8292), and the push outbox's worker.
//! The domain decides who gets what (`domain::push`); this module only delivers.

pub mod outbox;
pub mod vapid;

pub use outbox::{PushStats, drain, run_worker};
