//! Conversion between our rows and ActivityStreams documents, one file per direction:
//! `to_as` builds what we publish (on the `activitystreams` crate's types), `from_as` reads
//! what peers send, leniently, as plain JSON (Mastodon, Fedify and Lemmy each add their own
//! extras; we take what we need and check it).

pub mod actions;
pub mod directory;
pub mod events;
#[cfg(test)]
mod fixtures;
pub mod from_as;
// Issue 19: photos in posts.
pub mod images;
/// The federation handshake between instance actors, both directions (one small concept).
pub mod peering;
pub mod polls;
pub mod posts;
pub mod resources;
pub mod to_as;
