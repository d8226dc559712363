//! The opening every authorized-fetch GET shares: the signer, verified (an approved peer),
//! then the object the path names, found by the domain with its access rule, or 404.

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::ApError;
use super::signed::require_signed_get;
use crate::db::{
    ActionCommentRow, ActionItemRow, ActorRow, CommunityRow, EventRow, ParticipantRow, PostRow,
    ResourceRow,
};
use crate::domain::{DomainResult, accounts, action_plan, communities, events, posts, resources};
use crate::federation::FederationError;
use crate::federation::keycache::KnownKey;
use crate::state::AppState;

/// A signed GET of an object: who asked, and what they may see. Verification comes first,
/// so an unapproved node learns nothing, not even whether the object exists.
pub(super) struct Fetched<T> {
    pub signer: KnownKey,
    pub object: T,
}

/// What a GET serves, found from the request's path for `signer`: the domain answers
/// `NotFound` (404) or `Forbidden` (403) when its rule says so.
pub(super) trait Served: Sized {
    async fn find(state: &AppState, req: &HttpRequest, signer: &KnownKey) -> DomainResult<Self>;
}

impl<T: Served> Fetched<T> {
    /// The same opening for handlers that first answer browsers (content negotiation).
    pub async fn of(state: &AppState, req: &HttpRequest) -> Result<Self, ApError> {
        let signer = require_signed_get(state, req).await?;
        let object = T::find(state, req, &signer).await?;
        Ok(Self { signer, object })
    }
}

impl<T: Served + 'static> FromRequest for Fetched<T> {
    type Error = ApError;
    type Future = LocalBoxFuture<'static, Result<Self, ApError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<Data<AppState>>().cloned().ok_or_else(|| {
                ApError::Federation(FederationError::Internal("no application state".into()))
            })?;
            Self::of(&state, &req).await
        })
    }
}

/// A segment of the route; routes name the ones their `Served` type reads.
fn segment<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.match_info().get(name).unwrap_or_default()
}

/// The id of an object written here: our base URL and the request's path.
fn local_id(state: &AppState, req: &HttpRequest) -> String {
    format!("{}{}", state.urls.base(), req.path())
}

/// Documents of the whole node (`/federation/directory`): nothing to find, the signer only.
impl Served for () {
    async fn find(_: &AppState, _: &HttpRequest, _: &KnownKey) -> DomainResult<Self> {
        Ok(())
    }
}

/// `/users/{username}`: a local agent.
pub(super) struct Person(pub ActorRow);

impl Served for Person {
    async fn find(state: &AppState, req: &HttpRequest, _: &KnownKey) -> DomainResult<Self> {
        Ok(Person(
            accounts::local_person(state, segment(req, "username")).await?,
        ))
    }
}

/// `/c/{slug}`: a community hosted here (its group is public to approved peers).
impl Served for CommunityRow {
    async fn find(state: &AppState, req: &HttpRequest, _: &KnownKey) -> DomainResult<Self> {
        communities::local(state, segment(req, "slug")).await
    }
}

/// `/c/{slug}/resources/{resource}`: a resource, for members' nodes.
impl Served for (CommunityRow, ResourceRow) {
    async fn find(state: &AppState, req: &HttpRequest, signer: &KnownKey) -> DomainResult<Self> {
        let c = communities::local(state, segment(req, "slug")).await?;
        let r = resources::for_peer(state, &c, segment(req, "resource"), &signer.authority).await?;
        Ok((c, r))
    }
}

/// `/posts/{id}`: a post written here, for the host and members' nodes.
impl Served for (PostRow, CommunityRow) {
    async fn find(state: &AppState, req: &HttpRequest, signer: &KnownKey) -> DomainResult<Self> {
        posts::for_peer(state, &local_id(state, req), &signer.authority).await
    }
}

/// `/actions/{id}`: an item or a comment written here, for the host and members' nodes.
impl Served for (CommunityRow, ActionItemRow, Option<ActionCommentRow>) {
    async fn find(state: &AppState, req: &HttpRequest, signer: &KnownKey) -> DomainResult<Self> {
        action_plan::for_peer(state, &local_id(state, req), &signer.authority).await
    }
}

/// `/events/{id}`: a session hosted here, for members' nodes.
impl Served for (EventRow, CommunityRow, Vec<ParticipantRow>) {
    async fn find(state: &AppState, req: &HttpRequest, signer: &KnownKey) -> DomainResult<Self> {
        events::for_peer(state, &local_id(state, req), &signer.authority).await
    }
}
