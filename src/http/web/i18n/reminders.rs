//! The texts of the session reminder mail (issue 15), in French (first) and English.

#[derive(Debug)]
pub struct ReminderStrings {
    /// `{title}`: the session's title, `{when}`: its day and hours.
    pub subject: &'static str,
    pub intro: &'static str,
    pub when: &'static str,
    pub place: &'static str,
    pub online: &'static str,
    pub community: &'static str,
    pub attached: &'static str,
    pub cannot_come: &'static str,
    pub action: &'static str,
}

pub static FR: ReminderStrings = ReminderStrings {
    subject: "Rappel : « {title} », {when}",
    intro: "Vous êtes inscrit·e à cette séance.",
    when: "Quand",
    place: "Lieu",
    online: "Visio",
    community: "Communauté",
    attached: "Le fichier joint (seance.ics) l'ajoute à votre agenda : ouvrez-le avec Outlook, Thunderbird ou votre téléphone.",
    cannot_come: "Vous ne pouvez plus venir ? Désinscrivez-vous sur la page de la séance : votre place ira à la première personne de la liste d'attente.",
    action: "Voir la séance",
};

pub static EN: ReminderStrings = ReminderStrings {
    subject: "Reminder: “{title}”, {when}",
    intro: "You are registered for this session.",
    when: "When",
    place: "Where",
    online: "Video call",
    community: "Community",
    attached: "The attached file (seance.ics) adds it to your calendar: open it with Outlook, Thunderbird or your phone.",
    cannot_come: "Cannot come any more? Unregister on the session's page: your seat goes to the first person on the waiting list.",
    action: "See the session",
};

pub fn strings(locale: &str) -> &'static ReminderStrings {
    if locale == "en" { &EN } else { &FR }
}
