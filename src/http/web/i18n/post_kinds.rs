//! The texts of thread kinds (veille, mobilité) and their pages, in French (first) and English.

#[derive(Debug)]
pub struct KStrings {
    pub veille_title: &'static str,
    pub veille_intro: &'static str,
    pub mobilite_title: &'static str,
    pub mobilite_intro: &'static str,
    pub none: &'static str,
    pub category: &'static str,
    pub discussion: &'static str,
    pub veille: &'static str,
    pub mobilite: &'static str,
    pub tags: &'static str,
    pub tags_hint: &'static str,
    pub deadline: &'static str,
    pub deadline_hint: &'static str,
    pub tag_filter: &'static str,
    pub all_tags: &'static str,
}

pub static FR: KStrings = KStrings {
    veille_title: "Veille",
    veille_intro: "Textes, circulaires, articles et outils repérés par les membres.",
    mobilite_title: "Mobilité",
    mobilite_intro: "Postes ouverts dans les institutions du réseau.",
    none: "Rien pour le moment.",
    category: "Type de fil",
    discussion: "Discussion",
    veille: "Veille",
    mobilite: "Offre de mobilité",
    tags: "Mots-clés",
    tags_hint: "Séparés par des espaces ou des virgules : rh, paie. Facultatif.",
    deadline: "Date limite de candidature",
    deadline_hint: "Pour une offre de mobilité. Facultatif.",
    tag_filter: "Mot-clé",
    all_tags: "tous les fils",
};

pub static EN: KStrings = KStrings {
    veille_title: "Watch",
    veille_intro: "Texts, circulars, articles and tools that members spotted.",
    mobilite_title: "Mobility",
    mobilite_intro: "Open positions in the network's institutions.",
    none: "Nothing yet.",
    category: "Kind of thread",
    discussion: "Discussion",
    veille: "Watch",
    mobilite: "Mobility offer",
    tags: "Tags",
    tags_hint: "Separated by spaces or commas: hr, payroll. Optional.",
    deadline: "Application deadline",
    deadline_hint: "For a mobility offer. Optional.",
    tag_filter: "Tag",
    all_tags: "all threads",
};

pub fn strings(locale: &str) -> &'static KStrings {
    if locale == "en" { &EN } else { &FR }
}
