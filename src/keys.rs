//! RSA key pairs of our actors and public keys of remote ones.
//!
//! Two crates share the work, each where it is strongest:
//!
//! - **aws-lc-rs** does every cryptographic operation: key generation,
//!   signing and verification. Its private-key operations are constant-time,
//!   whereas the `rsa` crate carries RUSTSEC-2023-0071 (Marvin, a timing leak
//!   of private-key operations, no fixed release); it is also about ten times
//!   faster (about 4,000 signatures and 55,000 verifications per second and
//!   core for RSA-2048). aws-lc-rs is in the tree anyway through rustls.
//! - **rsa** (its re-exported `pkcs1`, `pkcs8` and `der` crates) only reads and
//!   writes key *formats*: the SPKI (`BEGIN PUBLIC KEY`, what Mastodon and
//!   Fedify publish) and PKCS#1 (`BEGIN RSA PUBLIC KEY`) public keys of peers,
//!   and the SPKI form of ours. We decode the DER structures ourselves instead
//!   of building an `rsa::RsaPublicKey`, because that type refuses moduli over
//!   4096 bits and we accept peers' keys up to 8192.
//!
//! The PEM armour is parsed by hand so that we tolerate what peers really
//! send: surrounding whitespace, `\r\n`, and base64 wrapped at any width.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair,
    RsaPublicKeyComponents,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::der::asn1::{BitStringRef, UintRef};
use rsa::pkcs1::der::{Decode as _, Encode as _};
use rsa::pkcs8::SubjectPublicKeyInfoRef;

/// Largest PEM text we parse; an 8192-bit PKCS#8 private key is about 6.5 KiB.
pub const MAX_PEM_LEN: usize = 16 * 1024;
/// Smallest RSA modulus we accept, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus we accept, in bits (verification cost grows with it).
pub const MAX_RSA_BITS: usize = 8192;

/// What can go wrong with keys, signatures made with them, or their formats.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The system could not generate a key pair.
    #[error("could not generate an RSA key pair")]
    Generate,
    /// The input is not a key in a format we read.
    #[error("malformed key: {0}")]
    Malformed(String),
    /// The key is too short to be trusted.
    #[error("RSA key of {bits} bits refused: at least 2048 bits are required")]
    TooWeak {
        /// Size of the refused modulus.
        bits: usize,
    },
    /// The key is larger than we are willing to spend time verifying with.
    #[error("RSA key of {bits} bits refused: at most 8192 bits are accepted")]
    TooLarge {
        /// Size of the refused modulus.
        bits: usize,
    },
    /// The signature does not match the message and key.
    #[error("the signature does not match")]
    BadSignature,
    /// The private-key operation failed.
    #[error("could not sign with the private key")]
    Sign,
    /// A key could not be serialized.
    #[error("could not encode the key")]
    Encode,
}

/// The RSA key pair of one of our actors.
///
/// `Debug` never shows key material, so the type is safe to log by accident.
pub struct PrivateKey {
    pair: RsaKeyPair,
    // Derived once so that `public_key()` cannot fail.
    public: PublicKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// Generates a fresh RSA-2048 key pair.
    ///
    /// CPU-bound (tens of milliseconds, longer on a busy machine): async
    /// callers run it in `tokio::task::spawn_blocking`.
    pub fn generate() -> Result<Self, KeyError> {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Generate)?;
        Self::from_pair(pair)
    }

    /// Reads a private key as stored in the database: PKCS#8 PEM
    /// (`BEGIN PRIVATE KEY`). PKCS#1 (`BEGIN RSA PRIVATE KEY`, what older
    /// OpenSSL writes) is accepted too, for keys imported by an admin.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, der) = pem_decode(pem, &["PRIVATE KEY", "RSA PRIVATE KEY"])?;
        let parsed = if label == "PRIVATE KEY" {
            RsaKeyPair::from_pkcs8(&der)
        } else {
            RsaKeyPair::from_der(&der)
        };
        // aws-lc-rs refuses keys outside 2048..=8192 bits here.
        let pair = parsed.map_err(|e| KeyError::Malformed(format!("private key refused: {e}")))?;
        Self::from_pair(pair)
    }

    /// Writes the key as PKCS#8 PEM (`BEGIN PRIVATE KEY`) for storage.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let der = self.pair.as_der().map_err(|_| KeyError::Encode)?;
        Ok(pem_encode("PRIVATE KEY", der.as_ref()))
    }

    /// The public half, to publish in the actor document.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 and SHA-256 (`rsa-sha256`).
    pub fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        // aws-lc-rs ignores the RNG for RSA (PKCS#1 v1.5 is deterministic and
        // its blinding uses an internal source); the parameter is for ring's API.
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| KeyError::Sign)?;
        Ok(signature)
    }

    fn from_pair(pair: RsaKeyPair) -> Result<Self, KeyError> {
        // `public_key().as_ref()` is the PKCS#1 `RSAPublicKey` DER.
        let public =
            PublicKey::from_pkcs1_der(aws_lc_rs::signature::KeyPair::public_key(&pair).as_ref())?;
        Ok(Self { pair, public })
    }
}

/// An RSA public key (a peer's, or ours), parsed once for fast verification.
#[derive(Clone)]
pub struct PublicKey {
    verifier: ParsedPublicKey,
    // Canonical SPKI DER, re-encoded by us: also what `PartialEq` compares.
    spki_der: Vec<u8>,
    bits: usize,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki_der == other.spki_der
    }
}

impl Eq for PublicKey {}

impl PublicKey {
    /// Reads a public key in SPKI (`BEGIN PUBLIC KEY`) or PKCS#1
    /// (`BEGIN RSA PUBLIC KEY`) PEM, as found in an actor's `publicKeyPem`.
    ///
    /// Refuses input over [`MAX_PEM_LEN`], keys other than RSA, and moduli
    /// outside [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`].
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, der) = pem_decode(pem, &["PUBLIC KEY", "RSA PUBLIC KEY"])?;
        if label == "RSA PUBLIC KEY" {
            return Self::from_pkcs1_der(&der);
        }
        let spki = SubjectPublicKeyInfoRef::from_der(&der)
            .map_err(|e| KeyError::Malformed(format!("SubjectPublicKeyInfo: {e}")))?;
        if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(KeyError::Malformed(format!(
                "not an RSA key (algorithm {})",
                spki.algorithm.oid
            )));
        }
        let pkcs1 = spki.subject_public_key.as_bytes().ok_or_else(|| {
            KeyError::Malformed("public key bit string is not whole bytes".into())
        })?;
        Self::from_pkcs1_der(pkcs1)
    }

    /// Writes the key as SPKI PEM (`BEGIN PUBLIC KEY`), the form every
    /// ActivityPub implementation reads.
    pub fn to_spki_pem(&self) -> String {
        pem_encode("PUBLIC KEY", &self.spki_der)
    }

    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Checks an RSASSA-PKCS1-v1_5 / SHA-256 `signature` of `message`.
    pub fn verify_sha256(&self, message: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        self.verifier
            .verify_sig(message, signature)
            .map_err(|_| KeyError::BadSignature)
    }

    /// Builds the key from a PKCS#1 `RSAPublicKey` DER structure.
    fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = rsa::pkcs1::RsaPublicKey::from_der(der)
            .map_err(|e| KeyError::Malformed(format!("RSAPublicKey: {e}")))?;
        // `UintRef` strips leading zeros, as aws-lc-rs requires.
        let n = key.modulus.as_bytes();
        let e = key.public_exponent.as_bytes();
        let bits = bit_length(n);
        if bits < MIN_RSA_BITS {
            return Err(KeyError::TooWeak { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(KeyError::TooLarge { bits });
        }
        let verifier = RsaPublicKeyComponents { n, e }
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .map_err(|e| KeyError::Malformed(format!("RSA public key refused: {e}")))?;
        let spki_der = encode_spki(n, e)?;
        Ok(Self {
            verifier,
            spki_der,
            bits,
        })
    }
}

/// Number of significant bits of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> usize {
    let digits = match bytes.iter().position(|&b| b != 0) {
        Some(first) => &bytes[first..],
        None => return 0,
    };
    (digits.len() - 1) * 8 + (8 - digits[0].leading_zeros() as usize)
}

/// Encodes `(n, e)` as an X.509 SubjectPublicKeyInfo with rsaEncryption.
fn encode_spki(n: &[u8], e: &[u8]) -> Result<Vec<u8>, KeyError> {
    let pkcs1 = rsa::pkcs1::RsaPublicKey {
        modulus: UintRef::new(n).map_err(|_| KeyError::Encode)?,
        public_exponent: UintRef::new(e).map_err(|_| KeyError::Encode)?,
    }
    .to_der()
    .map_err(|_| KeyError::Encode)?;
    SubjectPublicKeyInfoRef {
        algorithm: rsa::pkcs1::ALGORITHM_ID,
        subject_public_key: BitStringRef::from_bytes(&pkcs1).map_err(|_| KeyError::Encode)?,
    }
    .to_der()
    .map_err(|_| KeyError::Encode)
}

/// Decodes one PEM block whose label is one of `labels`; returns the label.
fn pem_decode<'l>(input: &str, labels: &[&'l str]) -> Result<(&'l str, Vec<u8>), KeyError> {
    if input.len() > MAX_PEM_LEN {
        return Err(KeyError::Malformed(format!(
            "PEM input over {MAX_PEM_LEN} bytes"
        )));
    }
    let text = input.trim();
    let rest = text
        .strip_prefix("-----BEGIN ")
        .ok_or_else(|| KeyError::Malformed("no PEM BEGIN line".into()))?;
    let (found, rest) = rest
        .split_once("-----")
        .ok_or_else(|| KeyError::Malformed("unterminated PEM BEGIN line".into()))?;
    let label = labels.iter().find(|l| **l == found).ok_or_else(|| {
        KeyError::Malformed(format!("expected PEM of type {}", labels.join(" or ")))
    })?;
    let body = rest
        .strip_suffix(&format!("-----END {label}-----"))
        .ok_or_else(|| KeyError::Malformed(format!("no matching END {label} line")))?;
    // Peers wrap base64 at 64 or 76 columns, or not at all, with \n or \r\n.
    let compact: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let der = STANDARD
        .decode(compact)
        .map_err(|e| KeyError::Malformed(format!("PEM base64: {e}")))?;
    Ok((label, der))
}

/// PEM as OpenSSL writes it: base64 wrapped at 64 columns, LF line ends.
fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so each chunk is valid UTF-8.
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests;
