//! What an agent types, rendered to the HTML every member's browser will show: whatever the
//! input, the output holds no script, no event handler and no `javascript:` link.
#![no_main]

use entrepairs::domain::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(&markdown::render(text));
    let mentions = [(
        "https://mairie.example/users/alice".to_owned(),
        "@alice@mairie.example".to_owned(),
    )];
    check(&markdown::render_with_mentions(text, &mentions));
});

/// Every `<` in sanitised output opens a tag (text has `&lt;`, and the serialiser always
/// double-quotes values, escaping `"` inside them), so tags and attributes read with a scan.
fn check(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        assert!(
            !matches!(
                name.trim_start_matches('/'),
                "script" | "style" | "iframe" | "object" | "embed" | "form" | "svg" | "math"
            ),
            "dangerous tag <{name}> in {html:?}"
        );
        for (attr, value) in attributes(&tag[name.len()..]) {
            assert!(!attr.starts_with("on"), "event handler {attr} in {html:?}");
            if attr == "href" || attr == "src" {
                let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{scheme} link in {html:?}");
                }
            }
        }
    }
}

/// `name="value"` pairs of a serialised tag (a name alone gets an empty value).
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..end];
        rest = &rest[end..];
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            if let Some(quoted) = after.strip_prefix('"') {
                let close = quoted.find('"').unwrap_or(quoted.len());
                value = &quoted[..close];
                rest = quoted.get(close + 1..).unwrap_or_default();
            } else {
                let close = after.find(char::is_whitespace).unwrap_or(after.len());
                value = &after[..close];
                rest = &after[close..];
            }
        }
        out.push((name, value));
    }
}
