//! A `Signature` header and `Digest` from any peer: parsing never panics, and what parses
//! carries a key id and a signature, as verification will need.
#![no_main]

use entrepairs::federation::signatures::{parse_signature_header, verify_digest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(params) = parse_signature_header(text) {
        assert!(!params.key_id.is_empty(), "a parsed signature without keyId");
        assert!(!params.signature.is_empty(), "a parsed signature without signature");
    }
    // The digest check must refuse, not panic, whatever the header says.
    let _ = verify_digest(text, data);
});
