//! The OpenID Connect protocol with the configured provider (ProConnect): discovery (cached),
//! the authorization URL with PKCE, the code exchange, the verification of the ID token and
//! of the userinfo (a signed JWT or plain JSON), and the provider's logout URL. Requests go
//! through the federation's guarded client, so the private-address policy applies here too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreGenderClaim,
};
use openidconnect::{
    AdditionalClaims, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout,
    RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use crate::config::{Config, OidcConfig};
use crate::domain::oidc_signin::ProvenIdentity;

/// How long discovery and the provider's keys are reused before being read again.
const DISCOVERY_TTL: Duration = Duration::from_secs(600);
/// Largest answer read from the provider: discovery, keys and tokens are a few KiB.
const MAX_BODY: usize = 256 * 1024;

/// Why the protocol failed. The text names the check, never a token.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached or answered garbage.
    #[error("provider unreachable: {0}")]
    Unreachable(String),
    /// The provider said no (an `error` on the callback, a refused code).
    #[error("provider refused: {0}")]
    Refused(String),
    /// A token or the userinfo did not verify (signature, issuer, audience, expiry, nonce).
    #[error("verification failed: {0}")]
    Invalid(String),
}

/// ProConnect's claims beyond the standard ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProConnectClaims {
    pub usual_name: Option<String>,
    pub siret: Option<String>,
    pub uid: Option<String>,
    pub idp_id: Option<String>,
}
impl AdditionalClaims for ProConnectClaims {}

/// The start of a sign-in: where to send the browser, and the PKCE verifier to keep.
pub struct Authorization {
    pub url: String,
}

/// The callback URL, declared to the provider: `https://<host>/login/oidc/callback`.
pub fn redirect_uri(config: &Config) -> String {
    format!("{}/login/oidc/callback", config.base_url())
}

/// Where the provider sends the browser after its logout: the login page.
pub fn post_logout_uri(config: &Config) -> String {
    format!("{}/login", config.base_url())
}

/// A fresh PKCE pair: the verifier (kept server-side) and the challenge's method is S256.
pub fn new_pkce() -> (PkceCodeChallenge, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    (challenge, verifier.secret().to_owned())
}

/// The provider's authorization URL for a sign-in whose `state` and `nonce` are stored.
pub async fn authorization_url(
    config: &Config,
    oidc: &OidcConfig,
    challenge: PkceCodeChallenge,
    state: &str,
    nonce: &str,
) -> Result<Authorization, OidcError> {
    let client = client(config, oidc).await?;
    let (state, nonce) = (state.to_owned(), nonce.to_owned());
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            move || Nonce::new(nonce),
        )
        .set_pkce_challenge(challenge);
    for scope in oidc.scopes.iter().filter(|s| *s != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, _, _) = request.url();
    Ok(Authorization {
        url: url.to_string(),
    })
}

/// Exchanges the code, verifies the ID token (signature from the JWKS, issuer, audience,
/// expiry, nonce) and reads the userinfo (verified when signed), as one proven identity.
pub async fn finish(
    config: &Config,
    oidc: &OidcConfig,
    code: &str,
    nonce: &str,
    pkce_verifier: &str,
) -> Result<ProvenIdentity, OidcError> {
    let client = client(config, oidc).await?;
    let http = Adapter(crate::federation::guard::client(
        config.allow_private_addresses,
        config.use_system_proxy,
    ));
    let http = |req| http.call(req);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| OidcError::Unreachable(format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
        .request_async(&http)
        .await
        .map_err(|e| OidcError::Refused(format!("token request: {}", error_text(&e))))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| OidcError::Invalid("no ID token in the token response".into()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
        .map_err(|e| OidcError::Invalid(format!("ID token: {e}")))?;
    let subject = claims.subject().clone();
    let info: UserInfoClaims<ProConnectClaims, CoreGenderClaim> = client
        .user_info(tokens.access_token().clone(), Some(subject.clone()))
        .map_err(|e| OidcError::Unreachable(format!("no userinfo endpoint: {e}")))?
        // ProConnect answers a signed JWT; other providers plain JSON: both are accepted,
        // the JWT only when its signature, issuer and audience verify.
        .require_signed_response(false)
        .request_async(&http)
        .await
        .map_err(|e| match e {
            openidconnect::UserInfoError::ClaimsVerification(v) => {
                OidcError::Invalid(format!("userinfo: {v}"))
            }
            other => OidcError::Unreachable(format!("userinfo: {}", error_text(&other))),
        })?;
    let localized = |c: Option<&openidconnect::LocalizedClaim<openidconnect::EndUserGivenName>>| {
        c.and_then(|c| c.get(None)).map(|n| n.as_str().to_owned())
    };
    let extra = info.additional_claims();
    Ok(ProvenIdentity {
        issuer: issuer_text(&oidc.issuer),
        subject: subject.as_str().to_owned(),
        email: info.email().map(|e| e.as_str().to_owned()),
        email_verified: info.email_verified(),
        given_name: localized(info.given_name()),
        usual_name: extra.usual_name.clone().or_else(|| {
            info.family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned())
        }),
        siret: extra.siret.clone(),
        id_token: id_token.to_string(),
    })
}

/// The provider's logout URL for a session it opened, when the provider has one.
pub async fn end_session_url(
    config: &Config,
    oidc: &OidcConfig,
    id_token: &str,
) -> Result<Option<String>, OidcError> {
    let metadata = discover(config, oidc).await?;
    let Some(endpoint) = metadata.additional_metadata().end_session_endpoint.as_ref() else {
        return Ok(None);
    };
    let mut url = endpoint.url().clone();
    url.query_pairs_mut()
        .append_pair("id_token_hint", id_token)
        .append_pair("post_logout_redirect_uri", &post_logout_uri(config))
        .append_pair("state", &crate::domain::sessions::random_token());
    Ok(Some(url.to_string()))
}

async fn client(
    config: &Config,
    oidc: &OidcConfig,
) -> Result<
    openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    OidcError,
> {
    let metadata = discover(config, oidc).await?;
    let methods = metadata
        .token_endpoint_auth_methods_supported()
        .cloned()
        .unwrap_or_default();
    // client_secret_basic is the default of the specification; ProConnect offers
    // client_secret_post.
    let auth = if methods.is_empty() || methods.contains(&CoreClientAuthMethod::ClientSecretBasic) {
        AuthType::BasicAuth
    } else {
        AuthType::RequestBody
    };
    let redirect = RedirectUrl::new(redirect_uri(config))
        .map_err(|e| OidcError::Unreachable(format!("redirect URI: {e}")))?;
    Ok(CoreClient::from_provider_metadata(
        (*metadata).clone(),
        ClientId::new(oidc.client_id.clone()),
        Some(ClientSecret::new(oidc.client_secret.expose().to_owned())),
    )
    .set_redirect_uri(redirect)
    .set_auth_type(auth))
}

type Cache = Mutex<HashMap<String, (Instant, Arc<ProviderMetadataWithLogout>)>>;

/// Discovery and keys, per issuer, shared by the nodes of one process (tests run several).
fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

async fn discover(
    config: &Config,
    oidc: &OidcConfig,
) -> Result<Arc<ProviderMetadataWithLogout>, OidcError> {
    let key = oidc.issuer.as_str().to_owned();
    if let Ok(map) = cache().lock()
        && let Some((at, metadata)) = map.get(&key)
        && at.elapsed() < DISCOVERY_TTL
    {
        return Ok(metadata.clone());
    }
    let issuer = IssuerUrl::new(issuer_text(&oidc.issuer))
        .map_err(|e| OidcError::Unreachable(format!("issuer URL: {e}")))?;
    let http = Adapter(crate::federation::guard::client(
        config.allow_private_addresses,
        config.use_system_proxy,
    ));
    let http = |req| http.call(req);
    // Discovery checks that the document names this very issuer.
    let metadata = ProviderMetadataWithLogout::discover_async(issuer, &http)
        .await
        .map_err(|e| OidcError::Unreachable(format!("discovery: {}", error_text(&e))))?;
    let metadata = Arc::new(metadata);
    if let Ok(mut map) = cache().lock() {
        map.insert(key, (Instant::now(), metadata.clone()));
    }
    Ok(metadata)
}

/// The issuer as configured: `url` adds a `/` to a bare host, which the provider's own
/// `issuer` does not have.
fn issuer_text(issuer: &url::Url) -> String {
    let text = issuer.as_str();
    if issuer.path() == "/" {
        text.trim_end_matches('/').to_owned()
    } else {
        text.to_owned()
    }
}

/// An error and its causes on one line.
fn error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The crate's HTTP interface over our reqwest client (its own reqwest feature would pull a
/// second reqwest and skip our address guard).
struct Adapter(reqwest::Client);

impl Adapter {
    fn call(
        &self,
        request: openidconnect::HttpRequest,
    ) -> impl Future<Output = Result<openidconnect::HttpResponse, AdapterError>> + use<> {
        let client = self.0.clone();
        async move {
            let request = reqwest::Request::try_from(request)?;
            let mut response = client.execute(request).await?;
            let mut builder = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(AdapterError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            builder
                .body(body)
                .map_err(|e| AdapterError::Http(e.to_string()))
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum AdapterError {
    #[error(transparent)]
    Request(#[from] reqwest::Error),
    #[error("answer larger than {MAX_BODY} bytes")]
    TooLarge,
    #[error("{0}")]
    Http(String),
}
