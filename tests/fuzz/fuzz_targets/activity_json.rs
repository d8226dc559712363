//! A peer's JSON document: the readers the inbox runs before any database call never panic,
//! and a remote actor that reads has an id on the authority its origin check named.
#![no_main]

use entrepairs::federation::convert::from_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = from_as::kind_of(&doc);
    let _ = from_as::id_of(&doc);
    let _ = from_as::addressees(&doc);
    let _ = from_as::origin(&doc, "object");
    if let Some(content) = from_as::str_field(&doc, "content") {
        let text = from_as::plain_text(content);
        assert!(!text.contains("<script"), "plain text kept a script tag");
    }
    let _ = from_as::remote_actor(&doc);
});
