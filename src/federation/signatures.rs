//! HTTP Signatures (draft-cavage-12) as Mastodon and Fedify use them.
//!
//! We speak the dialect the fediverse actually runs on rather than the whole
//! draft: RSASSA-PKCS1-v1_5 with SHA-256, announced as `rsa-sha256` or
//! `hs2019` (or not announced at all); a `Digest: SHA-256=…` header on every
//! body; a bounded `Date`. Outgoing requests are signed the way Mastodon
//! signs them, so that every peer that talks to Mastodon accepts ours.
//!
//! Everything here is a pure function of strings and bytes: the server reads
//! headers from actix-web and the client from reqwest, each through a small
//! `Fn(&str) -> Option<String>` lookup (see [`header_lookup`] for a list of
//! pairs).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{self, SHA256, SHA512};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

use super::keys::{KeyError, PrivateKey, PublicKey};

/// Largest `Signature` header we parse.
pub const MAX_SIGNATURE_HEADER_LEN: usize = 8 * 1024;
// A Digest header with SHA-256 and SHA-512 is under 150 bytes.
const MAX_DIGEST_HEADER_LEN: usize = 1024;
const MAX_PARAMS: usize = 16;
const MAX_SIGNED_HEADERS: usize = 32;
// The signature of an 8192-bit key.
const MAX_SIGNATURE_BYTES: usize = 1024;

/// Some peers drop the base64 padding; the bytes are what matter.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a request's signature was refused, or could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The request has no `Signature` header.
    #[error("the request carries no Signature header")]
    Missing,
    /// The `Signature` header cannot be parsed.
    #[error("malformed Signature header: {0}")]
    Malformed(String),
    /// The announced algorithm is not one we verify.
    #[error("unsupported signature algorithm {0:?}: rsa-sha256 or hs2019 expected")]
    UnsupportedAlgorithm(String),
    /// A header or pseudo-header we require is not covered by the signature.
    #[error("the signature must cover {0}")]
    NotSigned(&'static str),
    /// A header listed as signed is absent from the request.
    #[error("signed header {0} is absent from the request")]
    MissingHeader(String),
    /// A header value (or the request target) contains a line break, which
    /// would make the signing string ambiguous.
    #[error("{0} contains a line break")]
    InvalidHeader(String),
    /// The request has a body but no `Digest` header.
    #[error("the request has a body but no Digest header")]
    DigestMissing,
    /// The `Digest` header carries no SHA-256 value.
    #[error("the Digest header carries no SHA-256 value")]
    DigestUnsupported,
    /// The `Digest` header cannot be parsed.
    #[error("malformed Digest header")]
    DigestMalformed,
    /// The `Digest` header does not match the body.
    #[error("the Digest header does not match the body")]
    BadDigest,
    /// The `Date` header is signed but absent.
    #[error("the Date header is signed but absent")]
    DateMissing,
    /// The `Date` header is not an HTTP date.
    #[error("the Date header is not an HTTP date")]
    DateMalformed,
    /// The request is older than the policy allows (a replay, or a stuck queue).
    #[error("the request date is too old")]
    DateTooOld,
    /// The request is dated further in the future than clock skew explains.
    #[error("the request date is in the future")]
    DateInFuture,
    /// The signature's `expires` time has passed.
    #[error("the signature has expired")]
    Expired,
    /// The signature does not match the request and the key.
    #[error("the signature does not match")]
    BadSignature,
    /// We were asked to sign something that cannot go in a request.
    #[error("cannot sign the request: {0}")]
    Unsignable(&'static str),
    /// Our private key failed to sign.
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl SignatureError {
    /// A short, stable label for metrics and logs.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Missing => "missing_signature",
            Self::Malformed(_) => "malformed_signature",
            Self::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Self::NotSigned(_) => "header_not_signed",
            Self::MissingHeader(_) => "missing_header",
            Self::InvalidHeader(_) => "invalid_header",
            Self::DigestMissing => "missing_digest",
            Self::DigestUnsupported => "unsupported_digest",
            Self::DigestMalformed => "malformed_digest",
            Self::BadDigest => "bad_digest",
            Self::DateMissing => "missing_date",
            Self::DateMalformed => "malformed_date",
            Self::DateTooOld => "date_too_old",
            Self::DateInFuture => "date_in_future",
            Self::Expired => "expired",
            Self::BadSignature => "bad_signature",
            Self::Unsignable(_) => "unsignable_request",
            Self::Key(_) => "key_error",
        }
    }
}

/// `SHA-256=<base64>`, the `Digest` header value for `body`.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", STANDARD.encode(digest::digest(&SHA256, body)))
}

/// Checks a `Digest` header against `body`.
///
/// The header is a comma-separated list; a SHA-256 value must be present, and
/// every SHA-256 or SHA-512 value must match. Other algorithms are ignored.
pub fn verify_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    if header.len() > MAX_DIGEST_HEADER_LEN {
        return Err(SignatureError::DigestMalformed);
    }
    let mut has_sha256 = false;
    for item in header.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, value) = item
            .split_once('=')
            .ok_or(SignatureError::DigestMalformed)?;
        let name = name.trim();
        let algorithm = if name.eq_ignore_ascii_case("SHA-256") {
            has_sha256 = true;
            &SHA256
        } else if name.eq_ignore_ascii_case("SHA-512") {
            &SHA512
        } else {
            continue;
        };
        let expected = LENIENT_B64
            .decode(value.trim())
            .map_err(|_| SignatureError::DigestMalformed)?;
        if expected != digest::digest(algorithm, body).as_ref() {
            return Err(SignatureError::BadDigest);
        }
    }
    if has_sha256 {
        Ok(())
    } else {
        Err(SignatureError::DigestUnsupported)
    }
}

/// The parameters of a `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureParams {
    /// The URL of the key, usually `<actor>#main-key`.
    pub key_id: String,
    /// The announced algorithm, as sent.
    pub algorithm: Option<String>,
    /// The signed headers, lowercased, in order; `["date"]` when absent.
    pub headers: Vec<String>,
    /// The decoded signature.
    pub signature: Vec<u8>,
    /// The `created` parameter (Unix seconds), if any.
    pub created: Option<i64>,
    /// The `expires` parameter (Unix seconds), if any.
    pub expires: Option<i64>,
}

/// Parses a `Signature` header: `keyId="…",algorithm="…",headers="…",signature="…"`.
///
/// Values are quoted and may contain commas and `=`; `created` and `expires`
/// may be bare numbers. Unknown parameters are ignored, duplicated ones refused.
/// A leading `Signature ` is skipped, so the value of an `Authorization:
/// Signature …` header parses too (older PeerTube put it in `Signature`).
pub fn parse_signature_header(value: &str) -> Result<SignatureParams, SignatureError> {
    if value.len() > MAX_SIGNATURE_HEADER_LEN {
        return Err(malformed("longer than 8 KiB"));
    }
    let mut fields: Vec<(&str, &str)> = Vec::new();
    let mut rest = value.trim();
    rest = rest.strip_prefix("Signature ").unwrap_or(rest);
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| malformed("parameter without a value"))?;
        let name = name.trim();
        let valid_name = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if name.is_empty() || name.len() > 32 || !name.bytes().all(valid_name) {
            return Err(malformed("invalid parameter name"));
        }
        let after = after.trim_start();
        let field_value;
        if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| malformed("unterminated quoted value"))?;
            field_value = &quoted[..end];
            rest = quoted[end + 1..].trim_start();
        } else {
            // Only the integer parameters may go unquoted, as cavage-12 allows.
            if name != "created" && name != "expires" {
                return Err(malformed(format!("the value of {name} must be quoted")));
            }
            let end = after.find(',').unwrap_or(after.len());
            field_value = after[..end].trim();
            rest = &after[end..];
        }
        if fields.iter().any(|(seen, _)| *seen == name) {
            return Err(malformed(format!("duplicated parameter {name}")));
        }
        if fields.len() == MAX_PARAMS {
            return Err(malformed("too many parameters"));
        }
        fields.push((name, field_value));
        if !rest.is_empty() {
            rest = rest
                .strip_prefix(',')
                .ok_or_else(|| malformed("expected a comma between parameters"))?;
            rest = rest.trim_start();
        }
    }
    let field = |name: &str| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);

    let key_id = field("keyId")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| malformed("no keyId"))?;
    let encoded = field("signature")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| malformed("no signature"))?;
    let signature = LENIENT_B64
        .decode(encoded)
        .map_err(|_| malformed("signature is not base64"))?;
    if signature.len() > MAX_SIGNATURE_BYTES {
        return Err(malformed("signature too long"));
    }
    let headers = match field("headers") {
        None => vec!["date".to_owned()],
        Some(list) => parse_header_list(list)?,
    };
    let number = |name: &str| {
        field(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| malformed(format!("{name} is not an integer")))
            })
            .transpose()
    };
    Ok(SignatureParams {
        key_id: key_id.to_owned(),
        algorithm: field("algorithm").map(str::to_owned),
        headers,
        signature,
        created: number("created")?,
        expires: number("expires")?,
    })
}

fn parse_header_list(list: &str) -> Result<Vec<String>, SignatureError> {
    let names: Vec<String> = list
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if names.is_empty() || names.len() > MAX_SIGNED_HEADERS {
        return Err(malformed("headers must list 1 to 32 names"));
    }
    // Names end up in error messages and logs: keep them to HTTP tokens.
    let token = |n: &str| {
        n.len() <= 64
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    for name in &names {
        let pseudo = matches!(
            name.as_str(),
            "(request-target)" | "(created)" | "(expires)"
        );
        if !pseudo && !token(name) {
            return Err(malformed("invalid name in headers"));
        }
    }
    Ok(names)
}

/// Builds the string that is signed: one `name: value` line per entry of
/// `headers`, joined by `\n`.
///
/// `(request-target)` is made from `method` and `path_and_query` (as received,
/// not percent-decoded). Every other name, `(created)` and `(expires)`
/// included, is asked from `lookup`, which must be case-insensitive and join
/// repeated headers with `", "` ([`header_lookup`] does both).
pub fn signing_string(
    method: &str,
    path_and_query: &str,
    headers: &[String],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, SignatureError> {
    let mut out = String::new();
    for name in headers {
        let name = name.to_ascii_lowercase();
        let value = if name == "(request-target)" {
            format!("{} {}", method.to_ascii_lowercase(), path_and_query)
        } else {
            let value = lookup(&name).ok_or_else(|| SignatureError::MissingHeader(name.clone()))?;
            value.trim().to_owned()
        };
        if value.contains(['\n', '\r']) {
            return Err(SignatureError::InvalidHeader(name));
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&name);
        out.push_str(": ");
        out.push_str(&value);
    }
    Ok(out)
}

/// A lookup over `(name, value)` pairs for [`signing_string`] and
/// [`verify_request`]: case-insensitive, repeated headers joined with `", "`.
pub fn header_lookup<N: AsRef<str>, V: AsRef<str>>(
    pairs: &[(N, V)],
) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref().trim())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// The headers to add to an outgoing request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The `Date` header (IMF-fixdate).
    pub date: String,
    /// The `Digest` header, for a request with a body.
    pub digest: Option<String>,
    /// The `Signature` header.
    pub signature: String,
}

/// Signs an outgoing request the way Mastodon does.
///
/// Signs `(request-target) host date`, plus `digest` when there is a body
/// (always for a POST: no body means an empty one) and `content-type` when
/// `content_type` is given. The caller must send `host` (the authority,
/// `host[:port]`, without a default port, as HTTP clients write it), the
/// returned headers, and `content_type` exactly as given.
#[expect(
    clippy::too_many_arguments,
    reason = "the pieces of a request come from different places"
)]
pub fn sign_request(
    method: &str,
    host: &str,
    path_and_query: &str,
    body: Option<&[u8]>,
    content_type: Option<&str>,
    key_id: &str,
    key: &PrivateKey,
    now: SystemTime,
) -> Result<SignedHeaders, SignatureError> {
    let bad = |s: &str| s.is_empty() || s.chars().any(|c| c.is_control() || c.is_whitespace());
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(SignatureError::Unsignable("invalid method"));
    }
    if bad(host) || bad(path_and_query) || !path_and_query.starts_with('/') {
        return Err(SignatureError::Unsignable("invalid host or path"));
    }
    if bad(key_id) || key_id.contains('"') {
        return Err(SignatureError::Unsignable("invalid keyId"));
    }
    if content_type.is_some_and(|c| c.chars().any(char::is_control)) {
        return Err(SignatureError::Unsignable("invalid content type"));
    }
    let body = body.or_else(|| method.eq_ignore_ascii_case("POST").then_some(&[][..]));
    let date = httpdate::fmt_http_date(now);
    let digest = body.map(digest_header);
    let mut headers: Vec<String> = vec!["(request-target)".into(), "host".into(), "date".into()];
    if digest.is_some() {
        headers.push("digest".into());
    }
    if content_type.is_some() {
        headers.push("content-type".into());
    }
    let text = signing_string(method, path_and_query, &headers, |name| match name {
        "host" => Some(host.to_owned()),
        "date" => Some(date.clone()),
        "digest" => digest.clone(),
        "content-type" => content_type.map(str::to_owned),
        _ => None,
    })?;
    let signature = STANDARD.encode(key.sign_sha256(text.as_bytes())?);
    let signature = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature}\"",
        headers.join(" ")
    );
    Ok(SignedHeaders {
        date,
        digest,
        signature,
    })
}

/// How far a request's date may be from our clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// Oldest accepted date: also how long a captured request can be replayed.
    pub max_past: Duration,
    /// Newest accepted date: the clock skew we forgive.
    pub max_future: Duration,
}

impl Default for VerifyPolicy {
    /// 12 hours back, 1 hour ahead, as Mastodon allows.
    fn default() -> Self {
        Self {
            max_past: Duration::from_secs(12 * 3600),
            max_future: Duration::from_secs(3600),
        }
    }
}

/// Verifies an incoming request against its parsed `Signature` and the
/// signer's key.
///
/// The caller works in steps, because the key must be fetched in between:
/// [`parse_signature_header`] (absent header: [`SignatureError::Missing`]),
/// look up `params.key_id` in the key cache or fetch the actor, then this.
/// On [`SignatureError::BadSignature`] with a cached key, the caller fetches
/// the key again once and retries, since the peer may have rotated its key;
/// any other error is final. Every refusal is answered with 401.
///
/// Checks, cheapest first: the algorithm (absent, `rsa-sha256` or `hs2019`);
/// that `(request-target)` and `host` are signed; for a request with a body
/// (every POST; pass `Some(body)`), that `digest` is signed and matches; that
/// `date` or `(created)` is signed and within `policy`; `expires`; then RSA.
/// It does not check that `Host` names us: the caller does.
#[expect(
    clippy::too_many_arguments,
    reason = "the pieces of a request come from different places"
)]
pub fn verify_request(
    method: &str,
    path_and_query: &str,
    lookup: impl Fn(&str) -> Option<String>,
    body: Option<&[u8]>,
    params: &SignatureParams,
    key: &PublicKey,
    now: SystemTime,
    policy: &VerifyPolicy,
) -> Result<(), SignatureError> {
    let hs2019 = match params.algorithm.as_deref() {
        None => false,
        Some(a) if a.eq_ignore_ascii_case("hs2019") => true,
        Some(a) if a.eq_ignore_ascii_case("rsa-sha256") => false,
        Some(a) => {
            return Err(SignatureError::UnsupportedAlgorithm(
                a.chars().take(40).collect(),
            ));
        }
    };
    let signed = |name: &str| params.headers.iter().any(|h| h == name);
    // Without the target a signature could be replayed to another path; without
    // the host, to the same path on another server.
    if !signed("(request-target)") {
        return Err(SignatureError::NotSigned("(request-target)"));
    }
    if !signed("host") {
        return Err(SignatureError::NotSigned("host"));
    }
    if let Some(body) = body.or_else(|| method.eq_ignore_ascii_case("POST").then_some(&[][..])) {
        if !signed("digest") {
            return Err(SignatureError::NotSigned("digest"));
        }
        verify_digest(
            &lookup("digest").ok_or(SignatureError::DigestMissing)?,
            body,
        )?;
    }

    let now = unix_seconds(now);
    if (signed("(created)") || signed("(expires)")) && !hs2019 {
        // As Mastodon: the pseudo-headers belong to hs2019 only.
        return Err(malformed("(created) and (expires) need algorithm hs2019"));
    }
    if signed("(created)") {
        let created = params
            .created
            .ok_or_else(|| malformed("(created) not given"))?;
        check_window(created, now, policy)?;
    }
    if signed("(expires)") && params.expires.is_none() {
        return Err(malformed("(expires) not given"));
    }
    if signed("date") {
        let date = lookup("date").ok_or(SignatureError::DateMissing)?;
        let date =
            httpdate::parse_http_date(date.trim()).map_err(|_| SignatureError::DateMalformed)?;
        check_window(unix_seconds(date), now, policy)?;
    } else if !signed("(created)") {
        return Err(SignatureError::NotSigned("date"));
    }
    if params.expires.is_some_and(|expires| now > expires) {
        return Err(SignatureError::Expired);
    }

    let text = signing_string(method, path_and_query, &params.headers, |name| match name {
        "(created)" => params.created.map(|t| t.to_string()),
        "(expires)" => params.expires.map(|t| t.to_string()),
        _ => lookup(name),
    })?;
    key.verify_sha256(text.as_bytes(), &params.signature)
        .map_err(|_| SignatureError::BadSignature)
}

fn malformed(why: impl Into<String>) -> SignatureError {
    SignatureError::Malformed(why.into())
}

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

fn check_window(t: i64, now: i64, policy: &VerifyPolicy) -> Result<(), SignatureError> {
    let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    // Saturating: `created` comes from the peer and may be any i64.
    if now.saturating_sub(t) > secs(policy.max_past) {
        return Err(SignatureError::DateTooOld);
    }
    if t.saturating_sub(now) > secs(policy.max_future) {
        return Err(SignatureError::DateInFuture);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
