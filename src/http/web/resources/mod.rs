//! The resource pages of a community: list and creation, a resource, its edit form (with
//! the conflict view when the edit was written on a revision that is no longer current),
//! its history, the diff between two revisions, restore and delete; and its files.

mod attachments;
mod pages;
mod views;

pub use attachments::{download, upload};
pub use pages::{
    create, delete, diff, edit, edit_form, history, index, render_show, restore, show,
};
pub use views::{ConflictView, FileView, ResourceView, RevisionView, size_words};
