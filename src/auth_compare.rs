//! Comparing secrets (CSRF tokens, token hashes) in constant time.

use subtle::ConstantTimeEq;

/// Equal in constant time, so a token cannot be guessed byte by byte.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}
