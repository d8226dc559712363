//! The texts of reactions (« Merci », « +1 », « Bravo »), in French (first) and English.

#[derive(Debug)]
pub struct ReactionStrings {
    pub merci: &'static str,
    pub plus_one: &'static str,
    pub bravo: &'static str,
    /// Before the buttons, for screen readers: what the group of buttons is.
    pub group: &'static str,
    pub who: &'static str,
    /// After a count, for screen readers.
    pub reactions_one: &'static str,
    pub reactions_many: &'static str,
}

pub static FR: ReactionStrings = ReactionStrings {
    merci: "Merci",
    plus_one: "+1",
    bravo: "Bravo",
    group: "Réagir",
    who: "Qui a réagi ?",
    reactions_one: "réaction",
    reactions_many: "réactions",
};

pub static EN: ReactionStrings = ReactionStrings {
    merci: "Thanks",
    plus_one: "+1",
    bravo: "Well done",
    group: "React",
    who: "Who reacted?",
    reactions_one: "reaction",
    reactions_many: "reactions",
};

pub fn strings(locale: &str) -> &'static ReactionStrings {
    if locale == "en" { &EN } else { &FR }
}
