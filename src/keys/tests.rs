#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]
use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}

const PEER_KEY: &str = fixture!("peer-rsa2048.key.pem");
const PEER_SPKI: &str = fixture!("peer-rsa2048.pub.pem");
const PEER_PKCS1: &str = fixture!("peer-rsa2048.pkcs1.pub.pem");

#[test]
fn a_generated_key_signs_and_its_public_key_verifies() {
    let key = PrivateKey::generate().unwrap();
    let public = key.public_key();
    assert_eq!(public.bits(), 2048);
    let signature = key.sign_sha256(b"hello").unwrap();
    assert_eq!(signature.len(), 256);
    public.verify_sha256(b"hello", &signature).unwrap();
}

#[test]
fn a_tampered_message_fails_verification() {
    let key = PrivateKey::from_pkcs8_pem(PEER_KEY).unwrap();
    let signature = key.sign_sha256(b"Follow alice").unwrap();
    let public = key.public_key();
    assert_eq!(
        public.verify_sha256(b"Follow alicf", &signature),
        Err(KeyError::BadSignature)
    );
    let mut flipped = signature.clone();
    flipped[10] ^= 1;
    assert_eq!(
        public.verify_sha256(b"Follow alice", &flipped),
        Err(KeyError::BadSignature)
    );
    assert_eq!(
        public.verify_sha256(b"Follow alice", &[]),
        Err(KeyError::BadSignature)
    );
}

#[test]
fn a_private_key_survives_a_pkcs8_pem_roundtrip() {
    let key = PrivateKey::from_pkcs8_pem(PEER_KEY).unwrap();
    let pem = key.to_pkcs8_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let again = PrivateKey::from_pkcs8_pem(&pem).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    // PKCS#1 v1.5 is deterministic: same key, same signature.
    assert_eq!(
        again.sign_sha256(b"m").unwrap(),
        key.sign_sha256(b"m").unwrap()
    );
}

#[test]
fn a_public_key_survives_an_spki_pem_roundtrip_byte_for_byte() {
    let public = PublicKey::from_pem(PEER_SPKI).unwrap();
    // Our encoder writes exactly what OpenSSL writes.
    assert_eq!(public.to_spki_pem(), PEER_SPKI);
    assert_eq!(PublicKey::from_pem(&public.to_spki_pem()).unwrap(), public);
    let private = PrivateKey::from_pkcs8_pem(PEER_KEY).unwrap();
    assert_eq!(private.public_key(), public);
}

#[test]
fn a_pkcs1_public_key_parses_to_the_same_key() {
    let pkcs1 = PublicKey::from_pem(PEER_PKCS1).unwrap();
    assert_eq!(pkcs1, PublicKey::from_pem(PEER_SPKI).unwrap());
    assert_eq!(pkcs1.to_spki_pem(), PEER_SPKI);
}

#[test]
fn surrounding_whitespace_crlf_and_unwrapped_base64_are_tolerated() {
    let crlf = format!("\n  {}  \n", PEER_SPKI.replace('\n', "\r\n"));
    assert!(PublicKey::from_pem(&crlf).is_ok());
    let lines: Vec<&str> = PEER_SPKI.lines().collect();
    let one_line = format!(
        "{}\n{}\n{}",
        lines[0],
        lines[1..lines.len() - 1].concat(),
        lines[lines.len() - 1]
    );
    assert!(PublicKey::from_pem(&one_line).is_ok());
}

#[test]
fn a_1024_bit_key_is_refused_as_too_weak() {
    let err = PublicKey::from_pem(fixture!("weak-rsa1024.pub.pem")).unwrap_err();
    assert_eq!(err, KeyError::TooWeak { bits: 1024 });
}

#[test]
fn keys_up_to_8192_bits_are_accepted_and_larger_ones_refused() {
    // A fake modulus is enough: sizes are checked before any arithmetic.
    let fake = |bytes: usize| {
        let n = vec![0xff; bytes];
        pem_encode("PUBLIC KEY", &encode_spki(&n, &[1, 0, 1]).unwrap())
    };
    assert_eq!(PublicKey::from_pem(&fake(1024)).unwrap().bits(), 8192);
    assert_eq!(
        PublicKey::from_pem(&fake(1025)).unwrap_err(),
        KeyError::TooLarge { bits: 8200 }
    );
}

#[test]
fn malformed_or_oversized_pem_is_refused() {
    let cases = [
        "".to_owned(),
        "not a key".to_owned(),
        PEER_SPKI.replace("PUBLIC KEY", "CERTIFICATE"),
        PEER_SPKI.replace("-----END PUBLIC KEY-----", ""),
        PEER_SPKI.replace("MII", "MI!"),
        PEER_KEY.to_owned(), // a private key where a public one is expected
        format!("{}{}", " ".repeat(MAX_PEM_LEN), PEER_SPKI),
    ];
    for case in &cases {
        assert!(
            matches!(PublicKey::from_pem(case), Err(KeyError::Malformed(_))),
            "{case:.40}"
        );
    }
    assert!(matches!(
        PrivateKey::from_pkcs8_pem(PEER_SPKI),
        Err(KeyError::Malformed(_))
    ));
}

#[test]
fn a_signature_made_by_openssl_verifies() {
    let message = fixture!("openssl-message.txt");
    let signature = STANDARD
        .decode(fixture!("openssl-message.sig.b64").trim())
        .unwrap();
    let public = PublicKey::from_pem(PEER_SPKI).unwrap();
    public
        .verify_sha256(message.as_bytes(), &signature)
        .unwrap();
    // And we produce the very same bytes as OpenSSL from its key.
    let ours = PrivateKey::from_pkcs8_pem(PEER_KEY)
        .unwrap()
        .sign_sha256(message.as_bytes())
        .unwrap();
    assert_eq!(ours, signature);
}

#[test]
fn debug_output_never_shows_key_material() {
    let key = PrivateKey::from_pkcs8_pem(PEER_KEY).unwrap();
    assert_eq!(format!("{key:?}"), "PrivateKey(<redacted>)");
    assert_eq!(
        format!("{:?}", key.public_key()),
        "PublicKey { bits: 2048, .. }"
    );
}
