//! The texts of the search page's filters, pages and answers, in French (first) and English.

/// Texts of the search filters and answers.
#[derive(Debug)]
pub struct SStrings {
    pub filters: &'static str,
    pub kind: &'static str,
    pub any_kind: &'static str,
    pub kind_discussion: &'static str,
    pub kind_resource: &'static str,
    pub kind_session: &'static str,
    pub kind_action: &'static str,
    pub kind_directory: &'static str,
    pub kind_veille: &'static str,
    pub kind_mobilite: &'static str,
    pub community: &'static str,
    pub any_community: &'static str,
    pub institution: &'static str,
    pub any_institution: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub dates_hint: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub pages: &'static str,
    pub no_words: &'static str,
    pub shortened: &'static str,
    pub bad_kind: &'static str,
    pub bad_community: &'static str,
    pub bad_institution: &'static str,
    pub bad_from: &'static str,
    pub bad_to: &'static str,
    pub reversed: &'static str,
    pub bad_page: &'static str,
    pub clear_filters: &'static str,
}

pub static FR: SStrings = SStrings {
    filters: "Affiner la recherche",
    kind: "Type",
    any_kind: "Tous les types",
    kind_discussion: "Discussions et réponses",
    kind_resource: "Ressources",
    kind_session: "Séances",
    kind_action: "Plan d'action",
    kind_directory: "Annuaire",
    kind_veille: "Veille",
    kind_mobilite: "Mobilité",
    community: "Communauté",
    any_community: "Toutes mes communautés",
    institution: "Institution d'origine",
    any_institution: "Toutes les institutions",
    from: "Publié depuis le",
    to: "Publié jusqu'au",
    dates_hint: "Par exemple 01/12/2026. Laissez vide pour ne pas limiter.",
    previous: "Page précédente",
    next: "Page suivante",
    page: "Page",
    pages: "Pages de résultats",
    no_words: "Votre recherche ne contient aucun mot à chercher : tapez un ou plusieurs mots, \
        sans guillemets ni signes (les opérateurs comme OR, * ou - ne sont pas nécessaires).",
    shortened: "Votre recherche était longue : seuls ses 8 premiers mots (200 caractères au plus) \
        ont été cherchés. Gardez les mots les plus parlants.",
    bad_kind: "Ce type n'existe pas : choisissez-en un dans la liste.",
    bad_community: "Vous n'êtes pas membre de cette communauté : choisissez une de vos \
        communautés dans la liste.",
    bad_institution: "Cette institution n'est pas reliée à la vôtre : choisissez-en une dans la \
        liste.",
    bad_from: "La date « depuis le » n'est pas lisible : écrivez-la comme 01/12/2026 ou \
        choisissez-la dans le calendrier.",
    bad_to: "La date « jusqu'au » n'est pas lisible : écrivez-la comme 31/12/2026 ou \
        choisissez-la dans le calendrier.",
    reversed: "La date « jusqu'au » est avant la date « depuis le » : inversez-les.",
    bad_page: "Cette page de résultats n'existe pas : revenez à la première page.",
    clear_filters: "Effacer les filtres",
};

pub static EN: SStrings = SStrings {
    filters: "Refine the search",
    kind: "Kind",
    any_kind: "All kinds",
    kind_discussion: "Discussions and replies",
    kind_resource: "Resources",
    kind_session: "Sessions",
    kind_action: "Action plan",
    kind_directory: "Directory",
    kind_veille: "Watch",
    kind_mobilite: "Mobility",
    community: "Community",
    any_community: "All my communities",
    institution: "Institution of origin",
    any_institution: "All institutions",
    from: "Published since",
    to: "Published until",
    dates_hint: "For example 2026-12-01. Leave empty not to limit.",
    previous: "Previous page",
    next: "Next page",
    page: "Page",
    pages: "Result pages",
    no_words: "Your search has no word to look for: type one or more words, without quotes or \
        signs (operators such as OR, * or - are not needed).",
    shortened: "Your search was long: only its first 8 words (200 characters at most) were \
        searched. Keep the most telling words.",
    bad_kind: "This kind does not exist: choose one in the list.",
    bad_community: "You are not a member of this community: choose one of your communities in \
        the list.",
    bad_institution: "This institution is not connected to yours: choose one in the list.",
    bad_from: "The \"since\" date cannot be read: write it as 2026-12-01 or pick it in the \
        calendar.",
    bad_to: "The \"until\" date cannot be read: write it as 2026-12-31 or pick it in the \
        calendar.",
    reversed: "The \"until\" date is before the \"since\" date: swap them.",
    bad_page: "This page of results does not exist: go back to the first page.",
    clear_filters: "Clear the filters",
};

pub fn strings(locale: &str) -> &'static SStrings {
    if locale == "en" { &EN } else { &FR }
}
