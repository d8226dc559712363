//! Markdown that agents write, rendered to HTML that is safe to store and show, and the
//! `@user@node` mentions it contains.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::notes::sanitize;

/// Markdown to sanitised HTML: raw HTML in the source goes through the same sanitiser as a
/// peer's HTML, so `<script>` typed in a post never runs. Headings move two levels down:
/// a post sits under the page's `h1` and its section's `h2` (a correct outline, RGAA 9.1).
/// A line break typed is a line break shown.
pub fn render(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        // Enter starts a new line, as in a message: agents do not know Markdown's two
        // trailing spaces.
        Event::SoftBreak => Event::HardBreak,
        other => other,
    });
    html::push_html(&mut out, parser);
    sanitize(&out)
}

/// Like [`render`], with each resolved mention (actor id, `@user@node`) made a link to the
/// agent, as Mastodon shows them.
pub fn render_with_mentions(markdown: &str, mentions: &[(String, String)]) -> String {
    let mut text = markdown.to_owned();
    for (href, name) in mentions {
        text = text.replace(name.as_str(), &format!("[{name}](<{href}>)"));
    }
    render(&text)
}

/// Plain text as HTML: the five special characters escaped, line breaks kept.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
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
        assert!(
            html.contains("<h3>Kit</h3>"),
            "headings sit below the page's: {html}"
        );
        assert!(!html.contains("script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn a_line_typed_is_a_line_shown() {
        let html = render("Bonjour,\nla réunion est jeudi.\n- un\n- deux");
        assert!(html.contains("Bonjour,<br"), "{html}");
        assert!(html.contains("<li>deux</li>"), "{html}");
    }

    #[test]
    fn resolved_mentions_become_links() {
        let html = render_with_mentions(
            "Merci @alice@a.example !",
            &[(
                "https://a.example/users/alice".into(),
                "@alice@a.example".into(),
            )],
        );
        assert!(
            html.contains(r#"<a href="https://a.example/users/alice""#),
            "{html}"
        );
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
