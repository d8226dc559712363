//! The language choice in « Mon profil » (issue 19), in French first.

#[derive(Debug)]
pub struct LangStrings {
    pub title: &'static str,
    pub intro: &'static str,
    /// No choice: the browser's language decides.
    pub automatic: &'static str,
    pub submit: &'static str,
    pub saved: &'static str,
}

pub static FR: LangStrings = LangStrings {
    title: "Langue",
    intro: "La langue des pages, des courriels et des notifications que vous recevez.",
    automatic: "Celle de mon navigateur",
    submit: "Changer de langue",
    saved: "Langue enregistrée.",
};

pub static EN: LangStrings = LangStrings {
    title: "Language",
    intro: "The language of the pages, mails and notifications you receive.",
    automatic: "My browser's",
    submit: "Change language",
    saved: "Language saved.",
};

pub fn strings(locale: &str) -> &'static LangStrings {
    if locale == "en" { &EN } else { &FR }
}
