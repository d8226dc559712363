//! Markdown that agents write, rendered to HTML that is safe to store and show, and the
//! `@user@node` mentions it contains.

use pulldown_cmark::{Options, Parser, html};

use super::notes::sanitize;

/// Markdown to sanitised HTML: raw HTML in the source goes through the same sanitiser as a
/// peer's HTML, so `<script>` typed in a post never runs.
pub fn render(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    html::push_html(&mut out, parser);
    sanitize(&out)
}

/// The `@user@authority` handles in a text, at most 20, without duplicates.
pub fn mentions(text: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
        let Some(handle) = word.strip_prefix('@') else {
            continue;
        };
        let handle = handle.trim_end_matches(['.', ':', '!', '?']);
        let Some((user, authority)) = handle.split_once('@') else {
            continue;
        };
        let ok = |s: &str, extra: &[char]| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || extra.contains(&c)
                })
        };
        if ok(user, &[]) && ok(authority, &[':']) {
            let pair = (user.to_ascii_lowercase(), authority.to_ascii_lowercase());
            if !found.contains(&pair) && found.len() < 20 {
                found.push(pair);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_script_is_removed() {
        let html =
            render("# Kit\n\n**Bienvenue** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>Bienvenue</strong>"));
        assert!(!html.contains("script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn mentions_are_handles_with_a_node() {
        assert_eq!(
            mentions("Merci @alice@a.example:8081, et @bob. Voir @x@y.fr!"),
            vec![
                ("alice".into(), "a.example:8081".into()),
                ("x".into(), "y.fr".into())
            ]
        );
    }
}
