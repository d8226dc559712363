//! What the caller may touch, shared by web and API: the signed-in agent and the community of its path.

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest, ResponseError};
use futures_util::future::LocalBoxFuture;

use super::auth::{ApiCaller, WebSession};
use super::error::ApiError;
use super::web::WebError;
use crate::db::{CommunityRow, MembershipRow};
use crate::domain::accounts::Account;
use crate::domain::sessions::Session;
use crate::domain::{DomainError, communities};
use crate::state::AppState;

/// Who a handler answers: how the caller proves who they are, and how a refusal is told.
pub trait Audience: 'static {
    /// The caller as the handlers use it: the web keeps the whole session for its pages.
    type Caller: 'static;
    type Error: ResponseError + From<DomainError> + 'static;

    /// The signed-in local agent, with the audience's own credential.
    fn caller(
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> LocalBoxFuture<'static, Result<Self::Caller, Self::Error>>;

    fn account(caller: &Self::Caller) -> &Account;

    /// The community of the address could not be found (or reached).
    fn no_community(e: DomainError) -> Self::Error;
}

/// Browsers: the session cookie; refusals are the French HTML error pages.
pub enum Web {}

impl Audience for Web {
    type Caller = Session;
    type Error = WebError;

    fn caller(
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> LocalBoxFuture<'static, Result<Session, WebError>> {
        let session = WebSession::from_request(req, payload);
        Box::pin(async move { Ok(session.await?.0) })
    }

    fn account(caller: &Session) -> &Account {
        &caller.account
    }

    /// A page address that names no community is a missing page; only a storage fault is
    /// more than that.
    fn no_community(e: DomainError) -> WebError {
        match e {
            DomainError::Db(d) => WebError::Domain(d.into()),
            // Not connected, or silent: the agent is told so, not that nothing exists.
            e @ (DomainError::Unreachable(_) | DomainError::Forbidden(_)) => WebError::Domain(e),
            _ => WebError::NotFound,
        }
    }
}

/// API clients: the bearer token; refusals are the JSON errors.
pub enum Api {}

impl Audience for Api {
    type Caller = Account;
    type Error = ApiError;

    fn caller(
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> LocalBoxFuture<'static, Result<Account, ApiError>> {
        let caller = ApiCaller::from_request(req, payload);
        Box::pin(async move { Ok(caller.await?.0) })
    }

    fn account(caller: &Account) -> &Account {
        caller
    }

    /// The API tells why (unknown, unreachable, not an approved peer).
    fn no_community(e: DomainError) -> ApiError {
        e.into()
    }
}

/// A signed-in local agent.
pub struct CurrentAgent<A: Audience>(pub A::Caller);

impl<A: Audience> CurrentAgent<A> {
    pub fn account(&self) -> &Account {
        A::account(&self.0)
    }
}

impl<A: Audience> FromRequest for CurrentAgent<A> {
    type Error = A::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = A::caller(req, payload);
        Box::pin(async move { Ok(CurrentAgent(caller.await?)) })
    }
}

#[derive(serde::Deserialize)]
struct HandlePath {
    handle: String,
}

/// The caller and the community named by the path's `{handle}` (`slug` or `slug@authority`).
async fn caller_and_community<A: Audience>(
    req: HttpRequest,
    agent: LocalBoxFuture<'static, Result<CurrentAgent<A>, A::Error>>,
) -> Result<(A::Caller, CommunityRow, Data<AppState>), A::Error> {
    let CurrentAgent(caller) = agent.await?;
    let state = req
        .app_data::<Data<AppState>>()
        .cloned()
        .ok_or_else(|| A::Error::from(DomainError::Internal("no application state".into())))?;
    // Decoded as `web::Path` decodes it, so `slug%40node` and `slug@node` are one address.
    let HandlePath { handle } = req
        .match_info()
        .load()
        .map_err(|_| A::no_community(DomainError::NotFound("community")))?;
    let community = communities::resolve(&state, &handle)
        .await
        .map_err(A::no_community)?;
    Ok((caller, community, state))
}

/// An accepted member of the path's community (`communities::require_member`).
pub struct MemberOf<A: Audience> {
    pub caller: A::Caller,
    pub community: CommunityRow,
    pub membership: MembershipRow,
}

impl<A: Audience> MemberOf<A> {
    pub fn account(&self) -> &Account {
        A::account(&self.caller)
    }
}

impl<A: Audience> FromRequest for MemberOf<A> {
    type Error = A::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let agent = CurrentAgent::<A>::from_request(req, payload);
        let found = caller_and_community::<A>(req.clone(), agent);
        Box::pin(async move {
            let (caller, community, state) = found.await?;
            let membership =
                communities::require_member(&state, &community, A::account(&caller)).await?;
            Ok(MemberOf {
                caller,
                community,
                membership,
            })
        })
    }
}

/// An animateur of the path's community (`communities::require_animateur`).
pub struct AnimateurOf<A: Audience> {
    pub caller: A::Caller,
    pub community: CommunityRow,
    pub membership: MembershipRow,
}

impl<A: Audience> AnimateurOf<A> {
    pub fn account(&self) -> &Account {
        A::account(&self.caller)
    }
}

impl<A: Audience> FromRequest for AnimateurOf<A> {
    type Error = A::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let agent = CurrentAgent::<A>::from_request(req, payload);
        let found = caller_and_community::<A>(req.clone(), agent);
        Box::pin(async move {
            let (caller, community, state) = found.await?;
            let membership =
                communities::require_animateur(&state, &community, A::account(&caller)).await?;
            Ok(AnimateurOf {
                caller,
                community,
                membership,
            })
        })
    }
}
