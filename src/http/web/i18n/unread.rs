//! Unread markers (issue 19), in French first.

#[derive(Debug)]
pub struct UnreadStrings {
    /// The badge of a post that arrived since the last visit; read by screen readers too.
    pub badge: &'static str,
    pub filter_label: &'static str,
    pub filter_all: &'static str,
    pub filter_unread: &'static str,
    pub filter_submit: &'static str,
    pub new_one: &'static str,
    /// `{n}` is the count.
    pub new_many: &'static str,
    pub none_unread: &'static str,
}

pub static FR: UnreadStrings = UnreadStrings {
    badge: "nouveau",
    filter_label: "Afficher",
    filter_all: "Tout",
    filter_unread: "Non lus",
    filter_submit: "Filtrer",
    new_one: "1 nouvelle réponse",
    new_many: "{n} nouvelles réponses",
    none_unread: "Rien de non lu sur cette page : vous avez tout vu.",
};

pub static EN: UnreadStrings = UnreadStrings {
    badge: "new",
    filter_label: "Show",
    filter_all: "All",
    filter_unread: "Unread",
    filter_submit: "Filter",
    new_one: "1 new reply",
    new_many: "{n} new replies",
    none_unread: "Nothing unread on this page: you have seen it all.",
};

pub fn strings(locale: &str) -> &'static UnreadStrings {
    if locale == "en" { &EN } else { &FR }
}

/// « 3 nouvelles réponses », or nothing when there is none.
pub fn new_replies(u: &UnreadStrings, n: i64) -> Option<String> {
    match n {
        0 => None,
        1 => Some(u.new_one.to_owned()),
        n => Some(u.new_many.replace("{n}", &n.to_string())),
    }
}
