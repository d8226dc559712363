//! The URL scheme of everything this node publishes: one place, so ids never drift.

/// Builds the public URLs of local objects from the node's base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// `base` is `scheme://authority`, without a trailing slash.
    pub fn new(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The instance actor (an `Application`), which signs fetches and federation requests.
    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }

    pub fn person(&self, username: &str) -> String {
        format!("{}/users/{username}", self.base)
    }

    /// A community's group actor.
    pub fn community(&self, slug: &str) -> String {
        format!("{}/c/{slug}", self.base)
    }

    /// A new post (thread or reply) written by a local agent.
    pub fn new_post(&self) -> String {
        format!("{}/posts/{}", self.base, uuid::Uuid::now_v7())
    }

    /// The key id of any local actor: its id with a fragment, as Mastodon does.
    pub fn key_id(actor_id: &str) -> String {
        format!("{actor_id}#main-key")
    }

    pub fn inbox(actor_id: &str) -> String {
        format!("{actor_id}/inbox")
    }

    pub fn outbox(actor_id: &str) -> String {
        format!("{actor_id}/outbox")
    }

    pub fn followers(actor_id: &str) -> String {
        format!("{actor_id}/followers")
    }

    pub fn following(actor_id: &str) -> String {
        format!("{actor_id}/following")
    }

    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// A new activity id on this node.
    pub fn new_activity(&self) -> String {
        format!("{}/activities/{}", self.base, uuid::Uuid::now_v7())
    }
}

/// `host[:port]` of a URL, as stored in `actors.authority` and `peers.authority`.
pub fn authority_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// The authority of a URL given as text.
pub fn authority_of_str(url: &str) -> Option<String> {
    url::Url::parse(url).ok().as_ref().and_then(authority_of)
}
