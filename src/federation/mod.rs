//! ActivityPub federation: keys, HTTP signatures, fetching, inbox, delivery, conversion.

pub mod keys;
pub mod signatures;
