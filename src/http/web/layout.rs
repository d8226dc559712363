//! What every page shares: language, institution name and colour, the logged-in user, CSRF.

use super::i18n::{self, Strings};
use crate::domain::sessions::Session;
use crate::state::AppState;

/// The frame of every page.
pub struct Layout {
    pub t: &'static Strings,
    pub title: String,
    pub institution: String,
    pub accent: String,
    /// Black or white, whichever reads better on the accent colour.
    pub accent_text: &'static str,
    pub user: Option<NavUser>,
    pub csrf_token: String,
    /// Which navigation entry is the current page.
    pub current: &'static str,
}

pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// Unread notifications, shown beside « Notifications ».
    pub unread: i64,
    /// "3 notifications non lues", for screen readers.
    pub unread_label: String,
}

impl Layout {
    pub fn new(
        state: &AppState,
        session: Option<&Session>,
        title: &str,
        current: &'static str,
    ) -> Self {
        let config = &state.config;
        let lang = super::language::current(&config.locale);
        Layout {
            t: i18n::strings(lang),
            title: title.to_owned(),
            institution: config.institution_name.clone(),
            accent: config.accent_color.clone(),
            accent_text: readable_text_on(&config.accent_color),
            user: session.map(|s| NavUser {
                username: s.account.username.clone(),
                display_name: s.account.display_name.clone(),
                is_admin: s.account.is_admin(),
                unread: s.unread,
                unread_label: {
                    let u = i18n::ui::strings(lang);
                    i18n::ui::count(lang, s.unread, u.unread_count_one, u.unread_count_many)
                },
            }),
            csrf_token: session.map(|s| s.csrf_token.clone()).unwrap_or_default(),
            current,
        }
    }

    pub fn strings(state: &AppState) -> &'static Strings {
        i18n::strings(crate::http::web::language::current(&state.config.locale))
    }
}

/// WCAG relative luminance decides between black and white text on a `#rrggbb` background.
pub fn readable_text_on(hex: &str) -> &'static str {
    let channel = |i: usize| {
        let v = u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast with white is 1.05 / (l + 0.05); with black (l + 0.05) / 0.05.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 {
        "#ffffff"
    } else {
        "#161616"
    }
}

#[cfg(test)]
mod tests {
    use super::readable_text_on;

    #[test]
    fn text_on_the_accent_colour_is_readable() {
        assert_eq!(readable_text_on("#000091"), "#ffffff");
        assert_eq!(readable_text_on("#ffe552"), "#161616");
    }
}
