//! RFC 9421 HTTP Message Signatures (`Signature-Input` / `Signature`, `Content-Digest`), as
//! Fedify sends them: pure functions to sign and verify, rsa-v1_5-sha256 only (every key of
//! ours and of our peers is RSA; ed25519 keys are not read). draft-cavage is `signatures`.

use std::time::SystemTime;

use aws_lc_rs::digest::{self, SHA256, SHA512};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::keys::{PrivateKey, PublicKey};
use super::signatures::{SignatureError, VerifyPolicy};

const MAX_HEADER_LEN: usize = 8 * 1024;
const MAX_COMPONENTS: usize = 32;
const MAX_SIGNATURE_BYTES: usize = 1024;
/// The only algorithm we verify and write.
pub const ALG: &str = "rsa-v1_5-sha256";

/// One signature of a request: its label, covered components, the serialized parameters
/// (what `@signature-params` signs), and the decoded signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub label: String,
    pub components: Vec<String>,
    /// The inner list with its parameters, exactly as sent (`("@method" …);created=…`).
    pub serialized: String,
    pub key_id: String,
    pub alg: Option<String>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
    pub signature: Vec<u8>,
}

fn malformed(why: &str) -> SignatureError {
    SignatureError::Malformed(why.to_owned())
}

/// Splits a structured-field dictionary at its top-level commas.
fn members(value: &str) -> Vec<&str> {
    let (mut out, mut start, mut quoted, mut depth) = (Vec::new(), 0, false, 0i32);
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            b',' if !quoted && depth == 0 => {
                out.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(value[start..].trim());
    out.into_iter().filter(|m| !m.is_empty()).collect()
}

fn unquote(v: &str) -> Result<String, SignatureError> {
    let inner = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| malformed("a string parameter must be quoted"))?;
    Ok(inner.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// Reads the first signature of `Signature-Input` and its value in `Signature`.
pub fn parse(signature_input: &str, signature: &str) -> Result<Params, SignatureError> {
    if signature_input.len() > MAX_HEADER_LEN || signature.len() > MAX_HEADER_LEN {
        return Err(malformed("signature header too long"));
    }
    let first = members(signature_input)
        .into_iter()
        .next()
        .ok_or(SignatureError::Missing)?;
    let (label, serialized) = first
        .split_once('=')
        .ok_or_else(|| malformed("Signature-Input member without a value"))?;
    let (label, serialized) = (label.trim(), serialized.trim());
    let open = serialized
        .strip_prefix('(')
        .ok_or_else(|| malformed("Signature-Input must be an inner list"))?;
    let (list, rest) = open
        .split_once(')')
        .ok_or_else(|| malformed("unterminated inner list"))?;
    let mut components = Vec::new();
    for c in list.split_whitespace() {
        if c.contains(';') {
            return Err(malformed("component parameters are not supported"));
        }
        components.push(unquote(c)?.to_ascii_lowercase());
    }
    if components.len() > MAX_COMPONENTS {
        return Err(malformed("too many components"));
    }
    let (mut key_id, mut alg, mut created, mut expires) = (None, None, None, None);
    for p in rest.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = p.split_once('=').unwrap_or((p, ""));
        match name {
            "keyid" => key_id = Some(unquote(value)?),
            "alg" => alg = Some(unquote(value)?),
            "created" => created = Some(value.parse().map_err(|_| malformed("created"))?),
            "expires" => expires = Some(value.parse().map_err(|_| malformed("expires"))?),
            _ => {}
        }
    }
    let prefix = format!("{label}=:");
    let encoded = members(signature)
        .into_iter()
        .find_map(|m| m.strip_prefix(prefix.as_str()))
        .and_then(|v| v.strip_suffix(':'))
        .ok_or_else(|| malformed("no Signature with the label of Signature-Input"))?;
    let signature = STANDARD
        .decode(encoded.trim())
        .map_err(|_| malformed("signature is not base64"))?;
    if signature.len() > MAX_SIGNATURE_BYTES {
        return Err(malformed("signature too long"));
    }
    Ok(Params {
        label: label.to_owned(),
        components,
        serialized: serialized.to_owned(),
        key_id: key_id.ok_or_else(|| malformed("no keyid"))?,
        alg,
        created,
        expires,
        signature,
    })
}

/// The request parts a signature base is built from.
pub struct Request<'a> {
    pub method: &'a str,
    /// The full URL the sender addressed (`https://host/path?query`).
    pub target_uri: &'a str,
    pub body: Option<&'a [u8]>,
}

fn component(
    name: &str,
    req: &Request<'_>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, SignatureError> {
    let url = url::Url::parse(req.target_uri).map_err(|_| malformed("target URI"))?;
    let authority = || match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let value = match name {
        "@method" => req.method.to_ascii_uppercase(),
        "@target-uri" => req.target_uri.to_owned(),
        "@authority" => authority().to_ascii_lowercase(),
        "@scheme" => url.scheme().to_owned(),
        "@path" => url.path().to_owned(),
        "@query" => format!("?{}", url.query().unwrap_or_default()),
        "@request-target" => match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        },
        n if n.starts_with('@') => return Err(malformed("unsupported derived component")),
        n => lookup(n)
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| SignatureError::MissingHeader(n.to_owned()))?,
    };
    if value.contains(['\r', '\n']) {
        return Err(SignatureError::InvalidHeader(name.to_owned()));
    }
    Ok(value)
}

/// The signature base of RFC 9421 §2.5.
pub fn signature_base(
    req: &Request<'_>,
    components: &[String],
    serialized: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, SignatureError> {
    let mut base = String::new();
    for c in components {
        base.push_str(&format!("\"{c}\": {}\n", component(c, req, lookup)?));
    }
    base.push_str(&format!("\"@signature-params\": {serialized}"));
    Ok(base)
}

/// A `Content-Digest` value for `body` (SHA-256).
pub fn content_digest(body: &[u8]) -> String {
    format!(
        "sha-256=:{}:",
        STANDARD.encode(digest::digest(&SHA256, body))
    )
}

/// Checks `Content-Digest` against `body`: a SHA-256 or SHA-512 member is needed, and every
/// one of those must match.
pub fn verify_content_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let mut known = false;
    for m in members(header) {
        let (name, value) = m.split_once('=').ok_or(SignatureError::DigestMalformed)?;
        let algorithm = match name.trim().to_ascii_lowercase().as_str() {
            "sha-256" => &SHA256,
            "sha-512" => &SHA512,
            _ => continue,
        };
        known = true;
        let value = value
            .trim()
            .strip_prefix(':')
            .and_then(|v| v.strip_suffix(':'))
            .ok_or(SignatureError::DigestMalformed)?;
        let expected = STANDARD
            .decode(value)
            .map_err(|_| SignatureError::DigestMalformed)?;
        if expected != digest::digest(algorithm, body).as_ref() {
            return Err(SignatureError::BadDigest);
        }
    }
    if known {
        Ok(())
    } else {
        Err(SignatureError::DigestUnsupported)
    }
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Verifies an RFC 9421 signature of a request: algorithm, covered components (method,
/// target, and the digest of a body), `created` within `policy`, `expires`, then RSA.
pub fn verify(
    req: &Request<'_>,
    lookup: &dyn Fn(&str) -> Option<String>,
    params: &Params,
    key: &PublicKey,
    now: SystemTime,
    policy: &VerifyPolicy,
) -> Result<(), SignatureError> {
    if let Some(alg) = &params.alg
        && alg != ALG
    {
        return Err(SignatureError::UnsupportedAlgorithm(
            alg.chars().take(40).collect(),
        ));
    }
    let covers = |c: &str| params.components.iter().any(|x| x == c);
    if !covers("@method") {
        return Err(SignatureError::NotSigned("@method"));
    }
    // Without the target a signature could be replayed to another path or server.
    let targeted = covers("@target-uri")
        || ((covers("@authority") || covers("host"))
            && (covers("@path") || covers("@request-target")));
    if !targeted {
        return Err(SignatureError::NotSigned("@target-uri"));
    }
    let body = req
        .body
        .or_else(|| req.method.eq_ignore_ascii_case("POST").then_some(&[][..]));
    if let Some(body) = body {
        if covers("content-digest") {
            let header = lookup("content-digest").ok_or(SignatureError::DigestMissing)?;
            verify_content_digest(&header, body)?;
        } else if covers("digest") {
            let header = lookup("digest").ok_or(SignatureError::DigestMissing)?;
            super::signatures::verify_digest(&header, body)?;
        } else {
            return Err(SignatureError::NotSigned("content-digest"));
        }
    }
    let now_s = unix(now);
    let created = params
        .created
        .ok_or_else(|| malformed("created is required"))?;
    let secs = |d: std::time::Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    if now_s.saturating_sub(created) > secs(policy.max_past) {
        return Err(SignatureError::DateTooOld);
    }
    if created.saturating_sub(now_s) > secs(policy.max_future) {
        return Err(SignatureError::DateInFuture);
    }
    if params.expires.is_some_and(|e| now_s > e) {
        return Err(SignatureError::Expired);
    }
    let base = signature_base(req, &params.components, &params.serialized, lookup)?;
    key.verify_sha256(base.as_bytes(), &params.signature)
        .map_err(|_| SignatureError::BadSignature)
}

/// What to add to a request signed with RFC 9421.
#[derive(Debug, Clone)]
pub struct Signed {
    pub signature_input: String,
    pub signature: String,
    pub content_digest: Option<String>,
}

/// Signs a request as Fedify does (`@method`, `@target-uri`, `@authority`, `content-digest`
/// for a body; `created`, `keyid`, `alg`), label `sig1`.
pub fn sign(
    req: &Request<'_>,
    key_id: &str,
    key: &PrivateKey,
    now: SystemTime,
) -> Result<Signed, SignatureError> {
    let content_digest = req.body.map(content_digest);
    let mut components = vec![
        "@method".to_owned(),
        "@target-uri".to_owned(),
        "@authority".to_owned(),
    ];
    if content_digest.is_some() {
        components.push("content-digest".to_owned());
    }
    if key_id.contains(['"', '\\']) {
        return Err(SignatureError::Unsignable("a key id with quotes"));
    }
    let list: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
    let serialized = format!(
        "({});created={};keyid=\"{key_id}\";alg=\"{ALG}\"",
        list.join(" "),
        unix(now)
    );
    let cd = content_digest.clone();
    let lookup = move |n: &str| (n == "content-digest").then(|| cd.clone()).flatten();
    let base = signature_base(req, &components, &serialized, &lookup)?;
    let sig = key.sign_sha256(base.as_bytes())?;
    Ok(Signed {
        signature_input: format!("sig1={serialized}"),
        signature: format!("sig1=:{}:", STANDARD.encode(sig)),
        content_digest,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn setup() -> (PrivateKey, Request<'static>) {
        let key = PrivateKey::generate().expect("key");
        let req = Request {
            method: "POST",
            target_uri: "https://b.example/users/bob/inbox",
            body: Some(b"{\"type\":\"Create\"}"),
        };
        (key, req)
    }

    fn headers(s: &Signed) -> impl Fn(&str) -> Option<String> + '_ {
        move |n| match n {
            "content-digest" => s.content_digest.clone(),
            _ => None,
        }
    }

    #[test]
    fn a_signature_we_write_verifies_and_a_forged_or_stale_one_does_not() {
        let (key, req) = setup();
        let now = SystemTime::now();
        let s = sign(&req, "https://a.example/users/al#main-key", &key, now).expect("sign");
        let p = parse(&s.signature_input, &s.signature).expect("parse");
        assert_eq!(p.key_id, "https://a.example/users/al#main-key");
        let policy = VerifyPolicy::default();
        let public = key.public_key();
        verify(&req, &headers(&s), &p, &public, now, &policy).expect("verifies");

        let tampered = Request {
            body: Some(b"{\"type\":\"Delete\"}"),
            ..req
        };
        assert_eq!(
            verify(&tampered, &headers(&s), &p, &public, now, &policy),
            Err(SignatureError::BadDigest)
        );
        let elsewhere = Request {
            target_uri: "https://c.example/users/bob/inbox",
            ..req
        };
        assert_eq!(
            verify(&elsewhere, &headers(&s), &p, &public, now, &policy),
            Err(SignatureError::BadSignature)
        );
        let later = now + Duration::from_secs(3600 * 24);
        assert_eq!(
            verify(&req, &headers(&s), &p, &public, later, &policy),
            Err(SignatureError::DateTooOld)
        );
        let other = PrivateKey::generate().expect("key").public_key();
        assert_eq!(
            verify(&req, &headers(&s), &p, &other, now, &policy),
            Err(SignatureError::BadSignature)
        );
    }

    #[test]
    fn fedifys_header_shapes_parse_and_what_must_be_covered_is_required() {
        let p = parse(
            r#"sig1=("@method" "@target-uri" "@authority" "host" "date" "content-digest");alg="rsa-v1_5-sha256";keyid="https://f.example/users/fedi#main-key";created=1733300000"#,
            "sig1=:AAAA:",
        )
        .expect("parse");
        assert_eq!(p.components.len(), 6);
        assert_eq!(p.created, Some(1733300000));
        assert_eq!(p.alg.as_deref(), Some(ALG));
        assert!(p.serialized.starts_with("(\"@method\""));
        assert!(parse("sig1=(\"@method\");created=1", "sig2=:AAAA:").is_err());
        assert!(
            parse("sig1=(\"@method\");created=1", "sig1=:AAAA:").is_err(),
            "no keyid"
        );
        let (key, req) = setup();
        let only_method = parse(
            "sig1=(\"@method\" \"content-digest\");created=1;keyid=\"k\"",
            "sig1=:AAAA:",
        )
        .expect("parse");
        assert_eq!(
            verify(
                &req,
                &|_| None,
                &only_method,
                &key.public_key(),
                SystemTime::now(),
                &VerifyPolicy::default()
            ),
            Err(SignatureError::NotSigned("@target-uri"))
        );
    }

    #[test]
    fn content_digest_is_checked() {
        let body = b"hello";
        verify_content_digest(&content_digest(body), body).expect("matches");
        assert_eq!(
            verify_content_digest(&content_digest(b"other"), body),
            Err(SignatureError::BadDigest)
        );
        assert_eq!(
            verify_content_digest("md5=:AAAA:", body),
            Err(SignatureError::DigestUnsupported)
        );
    }
}
