//! Values checked once at the edge: usernames, emails, display names and free text.

use super::error::{DomainError, Rule};

/// A local username: 1–30 of `a-z 0-9 _ . -`, starting with a letter or digit.
/// It appears in actor URLs and `acct:` handles, so it must stay URL-safe and stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim().to_ascii_lowercase();
        let field = "username";
        if s.is_empty() || s.len() > 30 {
            return Err(DomainError::invalid(
                field,
                Rule::Length { min: 1, max: 30 },
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
        {
            return Err(DomainError::invalid(field, Rule::UsernameCharacters));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(DomainError::invalid(field, Rule::UsernameStart));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A professional email address, loosely checked: the mail server is the real judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        let ok = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(DomainError::invalid("email", Rule::Email));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A one-line text (display name, job title): trimmed, no control characters, bounded.
pub fn line(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let s = raw.trim();
    let n = s.chars().count();
    if n < min || n > max {
        return Err(DomainError::invalid(field, Rule::Length { min, max }));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, Rule::SingleLine));
    }
    Ok(s.to_owned())
}

/// A multi-line plain text (a profile summary): bounded, no control characters but newlines.
pub fn text(field: &'static str, raw: &str, max: usize) -> Result<String, DomainError> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(DomainError::invalid(field, Rule::MaxLength { max }));
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(DomainError::invalid(field, Rule::ControlCharacters));
    }
    Ok(s.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_url_safe() {
        assert_eq!(
            Username::parse(" Alice ").map(|u| u.0).ok(),
            Some("alice".into())
        );
        assert!(Username::parse("jean.dupont-2").is_ok());
        for bad in ["", "a b", "élodie", "-x", "x/y", &"a".repeat(31)] {
            assert!(Username::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        assert!(Email::parse("alice@castelsarrasin.gouv.fr").is_ok());
        for bad in ["", "alice", "@x.fr", "a@b", "a b@c.fr"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn one_line_texts_are_bounded_and_single_line() {
        assert_eq!(line("name", "  Alice  ", 1, 10).ok(), Some("Alice".into()));
        assert!(line("name", "", 1, 10).is_err());
        assert!(line("name", "a\nb", 1, 10).is_err());
        assert!(line("name", &"x".repeat(11), 1, 10).is_err());
    }
}
