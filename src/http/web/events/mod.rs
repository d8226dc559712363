//! Session pages: a community's upcoming sessions (and the animateurs' form to schedule one
//! or a monthly series), a session with its participants and the register / unregister /
//! cancel buttons, the animateurs' edit form, "Mes séances" with the personal calendar address, and the `.ics` feeds.

mod exports;
mod pages;
mod views;

pub use exports::{community_ics, personal_ics, session_ics};
pub use pages::{act, by_ap_id, create, edit, list, mine, regenerate, show, update};
pub use views::{EventView, ParticipantView, estrings};
