//! A configuration file as an admin may get it wrong: reading and checking it never panics,
//! and a refusal always names at least one setting with a message.
#![no_main]

use entrepairs::config::RawConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(raw) = RawConfig::from_toml(text) else {
        return;
    };
    if let Err(e) = raw.validate() {
        assert!(!e.to_string().is_empty(), "a refusal without a message");
    }
});
