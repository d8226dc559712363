//! THE table of the authorization matrix: for every route of the code, who may pass. The
//! runner (`web.rs`, `federation.rs`) turns each row into one request per role.

use Who::*;

/// The roles of the web and API matrix, on the node under test (A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// No session, no token.
    Anon,
    /// An agent of another node (B), with B's session cookie or API token.
    Other,
    /// A local agent in no community.
    Agent,
    /// A member of the community `atelier`.
    Member,
    /// An animateur of `atelier`.
    Anim,
    /// The owner of `atelier` (an animateur who created it).
    Owner,
    /// An administrator of the node, member of nothing.
    Admin,
}

pub const ROLES: [Who; 7] = [Anon, Other, Agent, Member, Anim, Owner, Admin];

/// Who passes a route.
#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Everyone, logged in or not.
    Public,
    /// These local roles; the others are refused (login asked of those without a session).
    Only(&'static [Who]),
    /// A secret in the path: an unknown one is refused to everyone.
    Secret,
    /// Served to other nodes: the federation matrix (`federation.rs`) asks it signed by each
    /// peer; these pass.
    Fed(&'static [Peer]),
    /// An inbox: the activity table (`INBOX`) posts to it.
    Inbox,
}

/// Who fetches a document of node A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// No signature.
    Unsigned,
    /// Signed by a node A never approved (D).
    Unapproved,
    /// Signed by an approved node with no member in `atelier` (C).
    Stranger,
    /// Signed by an approved node where `atelier` has a member (B).
    MemberNode,
}

pub const PEERS: [Peer; 4] = [
    Peer::Unsigned,
    Peer::Unapproved,
    Peer::Stranger,
    Peer::MemberNode,
];

/// Who sends an activity to node A's inboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// `dan`, on the unapproved node D.
    Unapproved,
    /// `cora`, on the approved node C, member of nothing on A.
    Stranger,
    /// `bea`, on B, member of `atelier`.
    RemoteMember,
    /// The group `ailleurs` hosted on B, where A's `mem` is a member.
    Host,
}

/// What an activity must do on node A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Accepted (2xx) and applied.
    Applied,
    /// Accepted (2xx), nothing done but its id recorded (about what A does not hold).
    Ignored,
    /// Refused (4xx), nothing written, not even its id or the sender's key.
    Refused,
}

/// One activity of the inbox matrix: what (built by `federation.rs::activity`), who sends it,
/// what must happen.
pub struct Activity {
    pub what: &'static str,
    pub sender: Sender,
    pub fate: Fate,
}

const fn act(what: &'static str, sender: Sender, fate: Fate) -> Activity {
    Activity { what, sender, fate }
}

/// Every inbox activity type the node handles, from each kind of sender, in the order sent.
pub const INBOX: &[Activity] = &[
    // An unapproved node: refused whatever it sends, before any effect.
    act("Create Note in atelier", Sender::Unapproved, Fate::Refused),
    act("Follow atelier", Sender::Unapproved, Fate::Refused),
    act("Follow mem", Sender::Unapproved, Fate::Refused),
    act("Create Note to mem", Sender::Unapproved, Fate::Refused),
    act("Join session", Sender::Unapproved, Fate::Refused),
    act("Flag thread", Sender::Unapproved, Fate::Refused),
    act("Update Person self", Sender::Unapproved, Fate::Refused),
    act("Delete Person self", Sender::Unapproved, Fate::Refused),
    act("Announce Create Note", Sender::Unapproved, Fate::Refused),
    // An approved node's agent, not a member of `atelier` (an `Announce` from a person, or an
    // `Invite` to a community the sender does not host, is acknowledged and ignored).
    act("Create Note in atelier", Sender::Stranger, Fate::Refused),
    act("Create comment on item", Sender::Stranger, Fate::Refused),
    act("Create item in atelier", Sender::Stranger, Fate::Refused),
    act("Update thread of mem", Sender::Stranger, Fate::Refused),
    act("Delete thread of mem", Sender::Stranger, Fate::Refused),
    act("Update item status", Sender::Stranger, Fate::Refused),
    act("Join session", Sender::Stranger, Fate::Refused),
    act("Flag thread", Sender::Stranger, Fate::Refused),
    act("Invite mem to atelier", Sender::Stranger, Fate::Ignored),
    act("Announce Create Note", Sender::Stranger, Fate::Ignored),
    act("Update Person of bea", Sender::Stranger, Fate::Refused),
    act("Delete Person mem", Sender::Stranger, Fate::Refused),
    // Reactions are for members: an approved node's non-member is refused, nothing counted.
    act("Like thread", Sender::Stranger, Fate::Refused),
    act("Accept unknown Follow", Sender::Stranger, Fate::Ignored),
    act("Create Note to mem", Sender::Stranger, Fate::Applied),
    act("Follow mem", Sender::Stranger, Fate::Applied),
    act("Follow atelier", Sender::Stranger, Fate::Applied),
    // A member of `atelier` on B.
    act("Update thread of mem", Sender::RemoteMember, Fate::Refused),
    act("Delete thread of mem", Sender::RemoteMember, Fate::Refused),
    act("Update item status", Sender::RemoteMember, Fate::Refused),
    act("Announce Create Note", Sender::RemoteMember, Fate::Ignored),
    act(
        "Create Note in atelier",
        Sender::RemoteMember,
        Fate::Applied,
    ),
    act(
        "Create comment on item",
        Sender::RemoteMember,
        Fate::Applied,
    ),
    act(
        "Create item in atelier",
        Sender::RemoteMember,
        Fate::Applied,
    ),
    act("Join session", Sender::RemoteMember, Fate::Applied),
    act("Flag thread", Sender::RemoteMember, Fate::Applied),
    // The host of `ailleurs` (B's group), where A's `mem` is a member.
    act("Announce Create Note as mem", Sender::Host, Fate::Refused),
    act(
        "Announce Create comment as mem",
        Sender::Host,
        Fate::Refused,
    ),
    act(
        "Announce Delete comment in atelier",
        Sender::Host,
        Fate::Refused,
    ),
    act(
        "Announce Create Note into atelier",
        Sender::Host,
        Fate::Refused,
    ),
    act("Announce Create Note", Sender::Host, Fate::Applied),
    // Issue 18: sessions are their animateurs', whichever node they write from; the host
    // refuses a plain member's (or a stranger's) Create, Update or Delete of one. The
    // animateur's own case, applied, is `tests/it/coanim.rs` (three nodes).
    act("Create Event in atelier", Sender::Stranger, Fate::Refused),
    act(
        "Create Event in atelier",
        Sender::RemoteMember,
        Fate::Refused,
    ),
    act(
        "Update Event of atelier",
        Sender::RemoteMember,
        Fate::Refused,
    ),
    act(
        "Delete Event of atelier",
        Sender::RemoteMember,
        Fate::Refused,
    ),
    // Only a group names its own animateurs: another's `Add` is ignored, the group's applied.
    act(
        "Add mem as animateur of ailleurs",
        Sender::Stranger,
        Fate::Ignored,
    ),
    act(
        "Add mem as animateur of ailleurs",
        Sender::Host,
        Fate::Applied,
    ),
];

const LOGIN: Access = Access::Only(&[Agent, Member, Anim, Owner, Admin]);
const MEMBERS: Access = Access::Only(&[Member, Anim, Owner]);
const ANIMS: Access = Access::Only(&[Anim, Owner]);
const ADMIN: Access = Access::Only(&[Admin]);
const OWNER: Access = Access::Only(&[Owner]);
/// The author of the item / thread (the member) and the animateurs.
const AUTHOR: Access = Access::Only(&[Member, Anim, Owner]);
/// The two persons of the conversation.
const CORRESPONDENTS: Access = Access::Only(&[Agent, Member]);
/// Forms of the logged-out (the logged-in's token is their session's, not the login's).
const ANON_FORMS: Access = Access::Only(&[Anon]);
const NOBODY: Access = Access::Only(&[]);
const P: Access = Access::Public;
const S: Access = Access::Secret;
use Peer::{MemberNode, Stranger, Unsigned};
/// Documents for approved peers.
const F_PEERS: Access = Access::Fed(&[Stranger, MemberNode]);
/// Public key documents: also unsigned.
const F_KEYS: Access = Access::Fed(&[Unsigned, Stranger, MemberNode]);
/// A community's content: the nodes where it has a member.
const F_MEMBERS: Access = Access::Fed(&[MemberNode]);
const F_ALL: Access = Access::Fed(&[Unsigned, Peer::Unapproved, Stranger, MemberNode]);
const INBOX_: Access = Access::Inbox;
/// Issue 18: a node with an animateur of the community (the fixture has none: the one case
/// that passes is `tests/it/coanim.rs`).
const F_ANIM_NODES: Access = Access::Fed(&[]);

/// One route: `METHOD /pattern`, who passes, and how to fill its path.
pub struct Row {
    pub route: &'static str,
    pub access: Access,
    /// `param=fixture` pairs (comma separated) for the parameters whose default does not fit;
    /// a leading `!` says the object may be gone (destroyed by an earlier role): 404 passes.
    pub params: &'static str,
    /// Run after the role's other requests (it ends the session, the membership, the account).
    pub last: bool,
}

const fn r(route: &'static str, access: Access, params: &'static str) -> Row {
    Row {
        route,
        access,
        params,
        last: false,
    }
}

const fn last(route: &'static str, access: Access, params: &'static str) -> Row {
    Row {
        route,
        access,
        params,
        last: true,
    }
}

pub const TABLE: &[Row] = &[
    // Web: public pages and assets.
    r("GET /", LOGIN, ""),
    r("GET /healthz", P, ""),
    r("GET /readyz", P, ""),
    r("GET /metrics", P, ""),
    r("GET /login", P, ""),
    r("POST /login", ANON_FORMS, ""),
    r("POST /login/oidc", ANON_FORMS, "!"),
    r("GET /login/oidc/callback", P, "!"),
    r("GET /password-reset", P, ""),
    r("POST /password-reset", P, ""),
    r("GET /manifest.webmanifest", P, ""),
    r("GET /offline", P, ""),
    r("GET /sw.js", P, ""),
    r("GET /static/app.js", P, ""),
    r("GET /static/copy.js", P, ""),
    r("GET /static/compose.js", P, ""),
    r("GET /static/icon-192.png", P, ""),
    r("GET /static/icon-512.png", P, ""),
    r("GET /static/icon-maskable-512.png", P, ""),
    r("GET /static/icon.svg", P, ""),
    r("GET /static/push.js", P, ""),
    r("GET /static/style.css", P, ""),
    r("GET /decouvrir/{slug}", P, "!slug=community"),
    // Web: secrets in the path (an unknown one).
    r("GET /calendar/{secret}.ics", S, ""),
    r("GET /invitation/{token}", S, ""),
    r("POST /invitation/{token}", S, ""),
    r("GET /password-reset/{token}", S, ""),
    r("POST /password-reset/{token}", S, ""),
    r("GET /rejoindre/{token}", S, ""),
    r("POST /rejoindre/{token}", S, ""),
    r("GET /setup/{token}", S, ""),
    r("POST /setup/{token}", S, ""),
    r("GET /unsubscribe/{token}", S, ""),
    r("POST /unsubscribe/{token}", S, ""),
    // Web: any agent of this node.
    r("GET /bienvenue", LOGIN, ""),
    r("GET /communities", LOGIN, ""),
    r("POST /communities", LOGIN, ""),
    r("POST /communities/find", LOGIN, ""),
    r("GET /communities/{handle}", LOGIN, ""),
    r("GET /directory", LOGIN, ""),
    r("GET /directory/me", LOGIN, ""),
    r("POST /directory/me", LOGIN, ""),
    r("GET /directory/{id}", LOGIN, "id=directory"),
    r("GET /directory/{id}/vcard", LOGIN, "id=directory"),
    r("GET /messages", LOGIN, ""),
    r("POST /messages", LOGIN, ""),
    r("POST /messages/preferences", LOGIN, ""),
    r("POST /my/calendar", LOGIN, ""),
    r("GET /my/sessions", LOGIN, ""),
    r("GET /my/trainings", LOGIN, ""),
    r("GET /notifications", LOGIN, ""),
    r("POST /notifications/read", LOGIN, ""),
    r("GET /profile", LOGIN, ""),
    r("POST /profile", LOGIN, ""),
    // Issue 19: her own language.
    r("POST /profile/language", LOGIN, ""),
    r("GET /profile/devices", LOGIN, ""),
    r("POST /profile/devices", LOGIN, ""),
    r("GET /profile/notifications", LOGIN, ""),
    r("POST /profile/notifications", LOGIN, ""),
    r("POST /profile/tokens", LOGIN, ""),
    r("GET /profiles/{username}", LOGIN, ""),
    r("GET /search", LOGIN, ""),
    last("POST /profile/delete", LOGIN, ""),
    // Web: someone's own things.
    r("GET /notifications/{id}", OWNER, "id=notification"),
    r("POST /profile/tokens/{id}/revoke", OWNER, "id=token_id"),
    r("POST /profile/devices/{id}/revoke", NOBODY, "id=missing"),
    r("GET /messages/{key}", CORRESPONDENTS, "key=conversation"),
    r("POST /messages/{key}", CORRESPONDENTS, "key=conversation"),
    r(
        "POST /messages/{key}/supprimer",
        CORRESPONDENTS,
        "key=conversation",
    ),
    // Web: members of the community.
    r(
        "GET /bienvenue/kit/{community_id}",
        MEMBERS,
        "!community_id=community_id",
    ),
    r("GET /communities/{handle}/members", MEMBERS, ""),
    r("GET /communities/{handle}/plan", MEMBERS, ""),
    r("POST /communities/{handle}/plan", MEMBERS, ""),
    r("GET /communities/{handle}/plan.csv", MEMBERS, ""),
    r("GET /communities/{handle}/plan/print", MEMBERS, ""),
    r("GET /communities/{handle}/resources", MEMBERS, ""),
    r("POST /communities/{handle}/resources", MEMBERS, ""),
    r("GET /communities/{handle}/resources/{slug}", MEMBERS, ""),
    r(
        "POST /communities/{handle}/resources/{slug}/attachments",
        MEMBERS,
        "",
    ),
    r(
        "GET /communities/{handle}/resources/{slug}/attachments/{id}",
        MEMBERS,
        "id=attachment",
    ),
    r(
        "GET /communities/{handle}/resources/{slug}/diff",
        MEMBERS,
        "",
    ),
    r(
        "GET /communities/{handle}/resources/{slug}/edit",
        MEMBERS,
        "",
    ),
    r(
        "POST /communities/{handle}/resources/{slug}/edit",
        MEMBERS,
        "",
    ),
    r(
        "GET /communities/{handle}/resources/{slug}/history",
        MEMBERS,
        "",
    ),
    r(
        "POST /communities/{handle}/resources/{slug}/restore",
        MEMBERS,
        "",
    ),
    r("GET /communities/{handle}/sessions", MEMBERS, ""),
    r("GET /communities/{handle}/sessions.ics", MEMBERS, ""),
    r("GET /communities/{handle}/sondages", MEMBERS, ""),
    r("POST /communities/{handle}/sondages", MEMBERS, ""),
    r("POST /communities/{handle}/threads", MEMBERS, ""),
    r(
        "GET /communities/{handle}/{kind:veille|mobilite}",
        MEMBERS,
        "",
    ),
    r("GET /discussions/{id}", MEMBERS, "id=thread"),
    r("POST /discussions/{id}/reply", MEMBERS, "id=thread"),
    r("GET /plan/items/{id}", MEMBERS, "id=item"),
    r("POST /plan/items/{id}/comment", MEMBERS, "id=item"),
    r("POST /plan/items/{id}/edit", AUTHOR, "id=item"),
    r("GET /sessions/{id}", MEMBERS, "id=event"),
    // The writing aids: any agent writes somewhere; who is proposed is the domain's rule.
    r("GET /compose/mentions", LOGIN, ""),
    r("POST /compose/preview", LOGIN, ""),
    // A reaction names its object in the body; members of its community only.
    r("POST /reactions", MEMBERS, ""),
    r("GET /images/{id}", MEMBERS, "id=image"),
    // Without `?id=`, the session is unknown: 404 for those who pass.
    r("GET /session-link", LOGIN, "!"),
    r("POST /sessions/{id}", MEMBERS, "id=event"),
    r("GET /sessions/{id}/session.ics", MEMBERS, "id=event"),
    r("GET /sessions/{id}/attestation", NOBODY, "id=event"),
    r("GET /sondages/{id}", MEMBERS, "id=poll"),
    r("POST /sondages/{id}/vote", MEMBERS, "id=poll"),
    last("POST /communities/{handle}/leave", MEMBERS, ""),
    // Web: animateurs of the community.
    r("GET /communities/{handle}/accueil", ANIMS, ""),
    r("POST /communities/{handle}/accueil", ANIMS, ""),
    r(
        "GET /communities/{handle}/accueil/liens/{file}",
        ANIMS,
        "!file=link",
    ),
    r("POST /communities/{handle}/invite", ANIMS, ""),
    r("POST /communities/{handle}/members", ANIMS, ""),
    r("GET /communities/{handle}/moderation", ANIMS, ""),
    r("POST /communities/{handle}/moderation", ANIMS, ""),
    r("POST /communities/{handle}/sessions", ANIMS, ""),
    r(
        "POST /communities/{handle}/resources/{slug}/delete",
        ANIMS,
        "!slug=resource2",
    ),
    r("POST /discussions/{id}/actions", ANIMS, "id=thread"),
    r("POST /plan/items/{id}/escalate", ANIMS, "id=item"),
    r("POST /plan/items/{id}/status", ANIMS, "id=item"),
    r("GET /sessions/{id}/attendance", ANIMS, "id=event"),
    r("POST /sessions/{id}/attendance", ANIMS, "id=event"),
    r("GET /sessions/{id}/edit", ANIMS, "id=event"),
    r("POST /sessions/{id}/edit", ANIMS, "id=event"),
    r("GET /sessions/{id}/participants", ANIMS, "id=event"),
    r("GET /sessions/{id}/participants.csv", ANIMS, "id=event"),
    r("GET /sessions/{id}/report", ANIMS, "id=event"),
    r("POST /sessions/{id}/report", ANIMS, "id=event"),
    r("GET /sessions/{id}/sign-in-sheet", ANIMS, "id=event"),
    r("POST /sondages/{id}/session", ANIMS, "id=poll"),
    // Web: administrators.
    r("GET /admin", ADMIN, ""),
    r("GET /admin/accounts", ADMIN, ""),
    r("POST /admin/accounts", ADMIN, ""),
    r("GET /admin/accounts/import", ADMIN, ""),
    r("POST /admin/accounts/import", ADMIN, ""),
    r("POST /admin/accounts/import-confirm", ADMIN, ""),
    r(
        "POST /admin/accounts/{username}/{action}",
        ADMIN,
        "username=target",
    ),
    r("GET /admin/audit", ADMIN, ""),
    r("GET /admin/deliveries", ADMIN, ""),
    r("POST /admin/deliveries/retry", ADMIN, ""),
    r("GET /admin/federation", ADMIN, ""),
    r("POST /admin/federation/request", ADMIN, ""),
    r("GET /admin/federation/{authority}/{decision}", ADMIN, "!"),
    r("POST /admin/federation/{authority}/{decision}", ADMIN, "!"),
    r("GET /admin/mail", ADMIN, ""),
    r("GET /admin/mail/demo", ADMIN, "!"),
    r("POST /admin/mail/retry", ADMIN, ""),
    // ActivityPub: documents for other nodes.
    r("GET /.well-known/host-meta", P, ""),
    r("GET /.well-known/nodeinfo", P, ""),
    r("GET /.well-known/webfinger", P, ""),
    r("GET /nodeinfo/2.1", P, ""),
    r("GET /actor", F_ALL, ""),
    r("GET /users/{username}", F_KEYS, ""),
    r("GET /users/{username}/followers", F_PEERS, ""),
    r("GET /users/{username}/following", F_PEERS, ""),
    r("GET /users/{username}/outbox", F_PEERS, ""),
    r("GET /c/{slug}", F_KEYS, "slug=community"),
    r("GET /c/{slug}/followers", F_MEMBERS, "slug=community"),
    r("GET /c/{slug}/outbox", F_PEERS, "slug=community"),
    r(
        "GET /c/{slug}/resources/{resource}",
        F_MEMBERS,
        "slug=community",
    ),
    r(
        "GET /c/{slug}/resources/{resource}/attachments/{id}",
        F_MEMBERS,
        "slug=community,id=attachment",
    ),
    r("GET /posts/{id}", F_MEMBERS, "id=thread_uuid"),
    r(
        "GET /posts/{id}/images/{position}",
        F_MEMBERS,
        "id=photo_reply_uuid,position=first",
    ),
    r("GET /actions/{id}", F_MEMBERS, "id=item_uuid"),
    r("GET /events/{id}", F_MEMBERS, "id=event_uuid"),
    r("GET /federation/communities", F_PEERS, ""),
    r("GET /federation/directory", F_PEERS, ""),
    r("GET /c/{slug}/requests", F_ANIM_NODES, "slug=community"),
    r("POST /inbox", INBOX_, ""),
    r("POST /actor/inbox", INBOX_, ""),
    r("POST /users/{username}/inbox", INBOX_, ""),
    r("POST /c/{slug}/inbox", INBOX_, "slug=community"),
    // API: anyone.
    r("GET /api/v1/openapi.json", P, ""),
    r("GET /api/v1/instance", P, ""),
    r("GET /api/v1/push/key", LOGIN, ""),
    // API: any agent.
    r("GET /api/v1/me", LOGIN, ""),
    r("GET /api/v1/me/devices", LOGIN, ""),
    r("POST /api/v1/me/devices", LOGIN, ""),
    r("GET /api/v1/me/events", LOGIN, ""),
    r("GET /api/v1/me/trainings", LOGIN, ""),
    r("GET /api/v1/me/notifications", LOGIN, ""),
    r("PUT /api/v1/me/notifications", LOGIN, ""),
    r("GET /api/v1/me/language", LOGIN, ""),
    r("PUT /api/v1/me/language", LOGIN, ""),
    r("GET /api/v1/tokens", LOGIN, ""),
    r("POST /api/v1/tokens", LOGIN, ""),
    r("GET /api/v1/communities", LOGIN, ""),
    r("POST /api/v1/communities", LOGIN, ""),
    r("GET /api/v1/communities/{handle}", LOGIN, ""),
    r("GET /api/v1/conversations", LOGIN, ""),
    r("POST /api/v1/conversations", LOGIN, ""),
    r("DELETE /api/v1/conversations/messages", LOGIN, ""),
    r("GET /api/v1/directory", LOGIN, ""),
    r("GET /api/v1/directory/me", LOGIN, ""),
    r("PUT /api/v1/directory/me", LOGIN, ""),
    r("GET /api/v1/directory/{id}", LOGIN, "id=directory"),
    r("GET /api/v1/directory/{id}/vcard", LOGIN, "id=directory"),
    r("GET /api/v1/feed", LOGIN, ""),
    r("GET /api/v1/follows", LOGIN, ""),
    r("POST /api/v1/follows", LOGIN, ""),
    r("DELETE /api/v1/follows", LOGIN, ""),
    r("POST /api/v1/notes", LOGIN, ""),
    r("GET /api/v1/notifications", LOGIN, ""),
    r("GET /api/v1/search", LOGIN, ""),
    last("DELETE /api/v1/me", LOGIN, ""),
    // API: someone's own things.
    r("DELETE /api/v1/tokens/{id}", OWNER, "!id=token_id"),
    r("DELETE /api/v1/me/devices/{id}", NOBODY, "id=missing"),
    r(
        "GET /api/v1/conversations/{id}",
        CORRESPONDENTS,
        "id=conversation",
    ),
    // API: members.
    r("GET /api/v1/communities/{handle}/actions", MEMBERS, ""),
    r("POST /api/v1/communities/{handle}/actions", MEMBERS, ""),
    r("GET /api/v1/communities/{handle}/events", MEMBERS, ""),
    r("GET /api/v1/communities/{handle}/members", MEMBERS, ""),
    r("GET /api/v1/communities/{handle}/resources", MEMBERS, ""),
    r("POST /api/v1/communities/{handle}/resources", MEMBERS, ""),
    r(
        "GET /api/v1/communities/{handle}/resources/{slug}",
        MEMBERS,
        "",
    ),
    r(
        "POST /api/v1/communities/{handle}/resources/{slug}/attachments",
        MEMBERS,
        "",
    ),
    r(
        "POST /api/v1/communities/{handle}/resources/{slug}/edit",
        MEMBERS,
        "",
    ),
    r(
        "POST /api/v1/communities/{handle}/resources/{slug}/restore",
        MEMBERS,
        "",
    ),
    r(
        "GET /api/v1/communities/{handle}/resources/{slug}/revisions",
        MEMBERS,
        "",
    ),
    r("GET /api/v1/communities/{handle}/threads", MEMBERS, ""),
    r("POST /api/v1/communities/{handle}/threads", MEMBERS, ""),
    r("GET /api/v1/actions/{id}", MEMBERS, "id=item"),
    r("PUT /api/v1/actions/{id}", AUTHOR, "id=item"),
    r("POST /api/v1/actions/{id}/comments", MEMBERS, "id=item"),
    r("GET /api/v1/events/{id}", MEMBERS, "id=event"),
    r("POST /api/v1/reactions", MEMBERS, ""),
    r("DELETE /api/v1/reactions", MEMBERS, ""),
    r(
        "POST /api/v1/posts/{id}/replies/photos",
        MEMBERS,
        "id=thread",
    ),
    r("GET /api/v1/events/{id}/attendance", ANIMS, "id=event"),
    r("PUT /api/v1/events/{id}/attendance", ANIMS, "id=event"),
    r("GET /api/v1/communities/{handle}/polls", MEMBERS, ""),
    r("POST /api/v1/communities/{handle}/polls", MEMBERS, ""),
    r("GET /api/v1/polls/{id}", MEMBERS, "id=poll"),
    r("POST /api/v1/polls/{id}/vote", MEMBERS, "id=poll"),
    r("PUT /api/v1/polls/{id}/vote", MEMBERS, "id=poll"),
    r("POST /api/v1/polls/{id}/session", ANIMS, "id=poll"),
    r("POST /api/v1/events/{id}/join", MEMBERS, "id=event"),
    r("POST /api/v1/events/{id}/leave", MEMBERS, "id=event"),
    r("GET /api/v1/posts/{id}", MEMBERS, "id=thread"),
    r("POST /api/v1/posts/{id}/replies", MEMBERS, "id=thread"),
    r("DELETE /api/v1/posts/{id}", AUTHOR, "!id=thread2"),
    r("DELETE /api/v1/actions/{id}", AUTHOR, "!id=item2"),
    last("POST /api/v1/communities/{handle}/leave", MEMBERS, "!"),
    // API: animateurs.
    r("POST /api/v1/communities/{handle}/events", ANIMS, ""),
    r("POST /api/v1/communities/{handle}/requests", ANIMS, ""),
    r("POST /api/v1/actions/{id}/escalate", ANIMS, "id=item"),
    r("POST /api/v1/actions/{id}/status", ANIMS, "id=item"),
    r("PUT /api/v1/events/{id}", ANIMS, "id=event"),
    r("POST /api/v1/events/{id}/cancel", ANIMS, "id=event2"),
    // API: administrators.
    r("GET /api/v1/admin/audit", ADMIN, ""),
    r("GET /api/v1/admin/peers", ADMIN, ""),
    r("POST /api/v1/admin/peers", ADMIN, ""),
    r("GET /api/v1/admin/peers/{authority}", ADMIN, "!"),
    r(
        "POST /api/v1/admin/peers/{authority}/{decision}",
        ADMIN,
        "!",
    ),
    r("GET /api/v1/users", ADMIN, ""),
    r("POST /api/v1/users", ADMIN, ""),
    r(
        "POST /api/v1/users/{username}/disable",
        ADMIN,
        "username=target",
    ),
    r(
        "POST /api/v1/users/{username}/enable",
        ADMIN,
        "username=target",
    ),
    // After leaving (a non-member's leave is refused), joining makes one a member.
    last("POST /communities/{handle}/join", LOGIN, ""),
    last("POST /api/v1/communities/{handle}/join", LOGIN, ""),
    // The very last: it ends the session.
    last("POST /logout", LOGIN, ""),
];
