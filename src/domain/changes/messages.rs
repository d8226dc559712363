//! Changes of private messages between persons.

use crate::db::{ActorRow, MessageRow};

#[derive(Debug, Clone)]
pub enum MessageChange {
    /// A local agent wrote to these persons (remote ones receive it; local ones hold it).
    Sent {
        message: MessageRow,
        author: ActorRow,
        recipients: Vec<ActorRow>,
    },
    /// A local agent deleted a message they wrote.
    Deleted {
        message: MessageRow,
        author: ActorRow,
        recipients: Vec<ActorRow>,
    },
}
