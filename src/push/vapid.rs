//! The VAPID header (RFC 8292): a JWT signed with the node's P-256 key (ES256), telling the
//! push service who sends (`sub`), for which service (`aud`) and until when (`exp`).

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::db::PushKeyRow;

/// How long a signature is valid: RFC 8292 allows at most 24 hours.
pub const VALIDITY_SECS: i64 = 12 * 3600;

/// The `Authorization` header value for a push to `endpoint`: `vapid t=<jwt>, k=<key>`.
pub fn authorization(
    key: &PushKeyRow,
    endpoint: &url::Url,
    subject: &str,
    now_secs: i64,
) -> Result<String, String> {
    let der = STANDARD
        .decode(&key.private_key)
        .map_err(|_| "the VAPID key is not base64".to_owned())?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
        .map_err(|_| "the VAPID key is not a P-256 key".to_owned())?;
    let audience = endpoint.origin().ascii_serialization();
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
    let claims = serde_json::json!({
        "aud": audience,
        "exp": now_secs + VALIDITY_SECS,
        "sub": subject,
    });
    let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{claims}");
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let signature = pair
        .sign(&rng, signing_input.as_bytes())
        .map_err(|_| "the VAPID signature failed".to_owned())?;
    Ok(format!(
        "vapid t={signing_input}.{}, k={}",
        URL_SAFE_NO_PAD.encode(signature.as_ref()),
        key.public_key
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED, KeyPair, UnparsedPublicKey};

    #[test]
    fn the_token_names_the_service_and_verifies_with_the_public_key() {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let key = PushKeyRow {
            private_key: STANDARD.encode(pkcs8.as_ref()),
            public_key: URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()),
        };
        let endpoint = url::Url::parse("https://push.example.org:8443/wpush/v2/abc").unwrap();
        let value = authorization(&key, &endpoint, "mailto:admin@example.fr", 1_000).unwrap();
        let (t, k) = value
            .strip_prefix("vapid t=")
            .and_then(|r| r.split_once(", k="))
            .unwrap();
        assert_eq!(k, key.public_key);
        let (signed, sig) = t.rsplit_once('.').unwrap();
        let claims = signed.split_once('.').unwrap().1;
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
        assert_eq!(claims["aud"], "https://push.example.org:8443");
        assert_eq!(claims["exp"], 1_000 + VALIDITY_SECS);
        assert_eq!(claims["sub"], "mailto:admin@example.fr");
        let public = URL_SAFE_NO_PAD.decode(k).unwrap();
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, public)
            .verify(signed.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).unwrap())
            .unwrap();
    }
}
