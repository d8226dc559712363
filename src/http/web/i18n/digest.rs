//! The texts of the digest mail (issue 15), in French (first) and English.

#[derive(Debug)]
pub struct DigestStrings {
    pub subject_daily: &'static str,
    pub subject_weekly: &'static str,
    /// `{since}`: the start of the period.
    pub intro: &'static str,
    pub for_you: &'static str,
    pub community: &'static str,
    pub new_threads: &'static str,
    pub replied_threads: &'static str,
    pub resources: &'static str,
    pub sessions: &'static str,
    pub actions: &'static str,
    pub by: &'static str,
    pub one_reply: &'static str,
    /// `{n}` replies.
    pub replies: &'static str,
    pub new_resource: &'static str,
    /// `{n}`: the revision.
    pub revised: &'static str,
    pub starts: &'static str,
    pub one_seat: &'static str,
    /// `{n}` seats.
    pub seats: &'static str,
    pub no_limit: &'static str,
    pub due_on: &'static str,
    pub action: &'static str,
    /// The right to disconnect, said plainly.
    pub disconnect: &'static str,
    pub why_daily: &'static str,
    pub why_weekly: &'static str,
    pub unsubscribe: &'static str,
}

pub static FR: DigestStrings = DigestStrings {
    subject_daily: "Votre résumé du jour",
    subject_weekly: "Votre résumé de la semaine",
    intro: "Voici ce qui s'est passé depuis le {since} dans les communautés dont vous êtes membre, sur tous les nœuds où elles vivent.",
    for_you: "Pour vous",
    community: "Communauté",
    new_threads: "Nouvelles discussions",
    replied_threads: "Nouvelles réponses dans vos discussions",
    resources: "Ressources nouvelles ou modifiées",
    sessions: "Séances à venir avec des places libres",
    actions: "Vos actions à échéance",
    by: "par",
    one_reply: "1 nouvelle réponse",
    replies: "{n} nouvelles réponses",
    new_resource: "nouvelle ressource",
    revised: "version {n}",
    starts: "le",
    one_seat: "1 place libre",
    seats: "{n} places libres",
    no_limit: "places libres",
    due_on: "échéance le",
    action: "Ouvrir mon accueil",
    disconnect: "Droit à la déconnexion : ce résumé part le matin, jamais pendant vos heures de tranquillité. Rien de ce qu'il contient n'attend de réponse en dehors de vos heures de travail.",
    why_daily: "Vous recevez ce résumé chaque jour ouvré parce que vous l'avez choisi dans vos notifications.",
    why_weekly: "Vous recevez ce résumé chaque lundi selon vos choix de notifications (« chaque semaine » est le choix par défaut).",
    unsubscribe: "Ne plus recevoir ce résumé",
};

pub static EN: DigestStrings = DigestStrings {
    subject_daily: "Your daily digest",
    subject_weekly: "Your weekly digest",
    intro: "Here is what happened since {since} in the communities you are a member of, on every node where they live.",
    for_you: "For you",
    community: "Community",
    new_threads: "New discussions",
    replied_threads: "New replies in your discussions",
    resources: "New or revised resources",
    sessions: "Coming sessions with free seats",
    actions: "Your action items due",
    by: "by",
    one_reply: "1 new reply",
    replies: "{n} new replies",
    new_resource: "new resource",
    revised: "revision {n}",
    starts: "on",
    one_seat: "1 free seat",
    seats: "{n} free seats",
    no_limit: "free seats",
    due_on: "due on",
    action: "Open my home page",
    disconnect: "Right to disconnect: this digest leaves in the morning, never during your quiet hours. Nothing in it expects an answer outside your working hours.",
    why_daily: "You receive this digest every working day because you chose it in your notifications.",
    why_weekly: "You receive this digest every Monday as your notification settings say (weekly is the default).",
    unsubscribe: "Stop this digest",
};

pub fn strings(locale: &str) -> &'static DigestStrings {
    if locale == "en" { &EN } else { &FR }
}
