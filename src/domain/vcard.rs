//! A vCard 4.0 (RFC 6350) writer for directory entries: only the fields the viewer may see,
//! text values escaped (§3.4), lines folded at 75 octets (§3.2), CRLF line ends.

use super::directory::Entry;

/// Escapes a text value: backslash, comma, semicolon and newlines.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line: at most 75 octets per physical line, never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The vCard of an entry as the viewer sees it.
pub fn vcard(e: &Entry) -> String {
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:4.0".to_owned(),
        format!("FN:{}", escape(&e.name)),
        format!("UID:{}", escape(&e.actor)),
    ];
    if !e.institution.is_empty() || !e.service.is_empty() {
        lines.push(format!(
            "ORG:{};{}",
            escape(&e.institution),
            escape(&e.service)
        ));
    }
    if !e.job_title.is_empty() {
        lines.push(format!("TITLE:{}", escape(&e.job_title)));
    }
    if let Some(phone) = &e.phone {
        lines.push(format!("TEL;VALUE=text;TYPE=work:{}", escape(phone)));
    }
    if let Some(email) = &e.email {
        lines.push(format!("EMAIL;TYPE=work:{}", escape(email)));
    }
    if !e.skills.is_empty() {
        let list: Vec<String> = e.skills.iter().map(|s| escape(s)).collect();
        lines.push(format!("CATEGORIES:{}", list.join(",")));
    }
    lines.push(format!("NOTE:{}", escape(&format!("@{}", e.handle))));
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_long_lines_folded_on_character_boundaries() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        fold(&"é".repeat(60), &mut out);
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), "é".repeat(60));
    }
}
