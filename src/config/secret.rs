//! A string that never shows in Debug output or logs (database URLs carry passwords).

use std::fmt;

/// A configuration value that may hold a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String, Shape);

/// What the value is, to know what of it may be shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A URL whose password alone is hidden.
    Url,
    /// A credential through and through (an OpenID Connect client secret): nothing shows.
    Opaque,
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into(), Shape::Url)
    }

    /// A value never shown at all, whatever it looks like.
    pub fn opaque(value: impl Into<String>) -> Self {
        Self(value.into(), Shape::Opaque)
    }

    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value with any password replaced, fit for logs and `admin check`.
    pub fn redacted(&self) -> String {
        if self.1 == Shape::Opaque {
            return "***".to_owned();
        }
        match url::Url::parse(&self.0) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            Ok(url) => url.to_string(),
            Err(_) => "<unparsable>".to_owned(),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_database_password() {
        let s = Secret::new("postgres://app:hunter2@db.example/entrepairs");
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("app:***@db.example"), "{shown}");
    }

    #[test]
    fn an_opaque_secret_never_shows_even_when_it_looks_like_a_url() {
        let s = Secret::opaque("abc:hunter2");
        assert_eq!(s.redacted(), "***");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
