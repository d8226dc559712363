//! The row of an actor this node speaks for (an agent, a community, the node itself): its
//! addresses all derive from its id here, in one place, whoever creates it.

use super::Ctx;
use crate::db::NewActor;
use crate::urls::Urls;

/// Who the new local actor is; the addresses and the institution come from the node.
pub struct Identity<'a> {
    pub kind: &'a str,
    pub username: &'a str,
    pub ap_id: String,
    pub display_name: String,
    pub summary: String,
    pub job_title: String,
}

/// The row to insert for `who`, with its freshly made `(private, public)` PEM key pair, or
/// none: then `actor_keys::ensure` makes it on first need (a person's, so that creating
/// thousands of agents costs no key generation). A group follows nobody, so it has no
/// `following` collection.
pub fn new_row(ctx: &Ctx, who: Identity<'_>, keys: Option<(String, String)>) -> NewActor {
    let (private_pem, public_pem) = match keys {
        Some((private, public)) => (Some(private), public),
        None => (None, String::new()),
    };
    let ap_id = who.ap_id;
    NewActor {
        kind: who.kind.into(),
        username: who.username.to_owned(),
        authority: ctx.config.authority.clone(),
        is_local: true,
        display_name: who.display_name,
        summary: who.summary,
        job_title: who.job_title,
        institution: ctx.config.institution_name.clone(),
        inbox_url: Urls::inbox(&ap_id),
        shared_inbox_url: Some(ctx.urls.shared_inbox()),
        outbox_url: Some(Urls::outbox(&ap_id)),
        followers_url: Some(Urls::followers(&ap_id)),
        following_url: (who.kind != "Group").then(|| Urls::following(&ap_id)),
        public_key_id: Urls::key_id(&ap_id),
        public_key_pem: public_pem,
        private_key_pem: private_pem,
        ap_id,
    }
}
