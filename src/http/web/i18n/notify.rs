//! The texts of notifications outside the app: « Mes notifications », the unsubscribe page and
//! the notification mails, in French (first) and English.

#[derive(Debug)]
pub struct NotifyStrings {
    pub lang: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub no_relay: &'static str,
    pub link_from_profile: &'static str,
    pub kinds_legend: &'static str,
    pub mode_now: &'static str,
    pub mode_digest: &'static str,
    pub mode_off: &'static str,
    pub digest_label: &'static str,
    pub digest_daily: &'static str,
    pub digest_weekly: &'static str,
    pub digest_never: &'static str,
    pub quiet_legend: &'static str,
    pub quiet_hint: &'static str,
    pub quiet_start: &'static str,
    pub quiet_end: &'static str,
    pub quiet_weekends: &'static str,
    pub mute_legend: &'static str,
    pub mute_hint: &'static str,
    pub mute_none: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub bad_time: &'static str,
    pub bad_choice: &'static str,
    pub not_member: &'static str,
    /// The label of each preference key (`notification_delivery::PREF_KINDS`).
    pub kind_labels: [(&'static str, &'static str); 9],
    // The unsubscribe page.
    pub unsub_title: &'static str,
    pub unsub_confirm: &'static str,
    pub unsub_button: &'static str,
    pub unsub_done: &'static str,
    pub unsub_spent: &'static str,
    pub unsub_unknown: &'static str,
    pub unsub_manage: &'static str,
    pub unsub_digest: &'static str,
    // The mails.
    pub mail_action: &'static str,
    pub mail_in: &'static str,
    pub mail_why: &'static str,
    pub mail_unsubscribe: &'static str,
    /// Subject of each notification kind, `{who}` the one who acted.
    pub subjects: [(&'static str, &'static str); 9],
}

impl NotifyStrings {
    pub fn kind_label(&self, key: &str) -> &'static str {
        self.kind_labels
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, l)| l)
    }

    pub fn subject(&self, kind: &str) -> &'static str {
        self.subjects
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.subjects[0].1, |(_, s)| s)
    }
}

pub static FR: NotifyStrings = NotifyStrings {
    lang: "fr",
    title: "Mes notifications",
    intro: "Choisissez ce que vous recevez par courriel, et quand. Les notifications restent toujours visibles dans l'application.",
    no_relay: "Ce nœud n'envoie pas de courriel (aucun relais configuré) : vos choix seront appliqués dès qu'il en enverra.",
    link_from_profile: "Choisir mes notifications par courriel",
    kinds_legend: "Pour chaque type de notification",
    mode_now: "Tout de suite",
    mode_digest: "Dans le résumé",
    mode_off: "Jamais",
    digest_label: "Résumé de l'activité de mes communautés",
    digest_daily: "Chaque jour",
    digest_weekly: "Chaque semaine",
    digest_never: "Jamais",
    quiet_legend: "Heures de tranquillité",
    quiet_hint: "Droit à la déconnexion : pendant ces heures, aucun courriel ne part ; il attend la fin de la période. Deux heures identiques : pas de période.",
    quiet_start: "À partir de",
    quiet_end: "Jusqu'à",
    quiet_weekends: "Aussi tout le week-end (samedi et dimanche)",
    mute_legend: "Communautés mises en sourdine",
    mute_hint: "Rien ne vous est envoyé par courriel sur ces communautés.",
    mute_none: "Vous n'êtes membre d'aucune communauté.",
    save: "Enregistrer mes choix",
    saved: "Vos choix sont enregistrés.",
    bad_time: "Indiquez une heure comme 19:00 (de 00:00 à 23:59).",
    bad_choice: "Choisissez une des options proposées.",
    not_member: "Vous ne pouvez mettre en sourdine qu'une communauté dont vous êtes membre.",
    kind_labels: [
        ("mention", "On me mentionne"),
        ("reply", "Réponse à une discussion où j'ai écrit"),
        ("membership_decided", "Décision sur ma demande d'adhésion"),
        (
            "membership_request",
            "Nouvelle demande d'adhésion à traiter (animateurs)",
        ),
        ("invited", "Invitation à une communauté"),
        ("action_owner", "Action qui m'est confiée"),
        ("resource_refused", "Modification de ressource refusée"),
        (
            "peer_request",
            "Demande de fédération en attente (administrateurs)",
        ),
        (
            "session_reminder",
            "Rappel d'une séance où je suis inscrit·e (la veille, et une semaine avant)",
        ),
    ],
    unsub_title: "Se désabonner",
    unsub_confirm: "Confirmez pour ne plus recevoir ces courriels :",
    unsub_button: "Me désabonner",
    unsub_done: "C'est fait : vous ne recevrez plus ces courriels. Vos autres choix n'ont pas changé.",
    unsub_spent: "Ce lien de désabonnement a déjà servi : rien n'a été changé. Vos choix actuels sont sur la page « Mes notifications ».",
    unsub_unknown: "Ce lien de désabonnement n'est pas valide : rien n'a été changé. Vérifiez que vous avez copié le lien en entier, ou changez vos choix sur la page « Mes notifications ».",
    unsub_manage: "Gérer toutes mes notifications",
    unsub_digest: "Le résumé de l'activité de mes communautés",
    mail_action: "Voir sur le site",
    mail_in: "Communauté",
    mail_why: "Vous recevez ce courriel selon vos choix de notifications.",
    mail_unsubscribe: "Ne plus recevoir ce type de courriel",
    subjects: [
        ("mention", "{who} vous a mentionné"),
        ("reply", "{who} a répondu dans une discussion"),
        (
            "membership_accepted",
            "Votre demande d'adhésion est acceptée",
        ),
        (
            "membership_rejected",
            "Votre demande d'adhésion n'est pas acceptée",
        ),
        ("membership_request", "Nouvelle demande d'adhésion de {who}"),
        ("invited", "{who} vous invite dans une communauté"),
        ("action_owner", "{who} vous confie une action"),
        (
            "resource_refused",
            "Votre modification d'une ressource est refusée",
        ),
        ("peer_request", "Une institution demande à se fédérer"),
    ],
};

pub static EN: NotifyStrings = NotifyStrings {
    lang: "en",
    title: "My notifications",
    intro: "Choose what you receive by email, and when. Notifications always stay visible in the app.",
    no_relay: "This node sends no email (no relay configured): your choices apply as soon as it does.",
    link_from_profile: "Choose my email notifications",
    kinds_legend: "For each kind of notification",
    mode_now: "At once",
    mode_digest: "In the digest",
    mode_off: "Never",
    digest_label: "Digest of my communities' activity",
    digest_daily: "Every day",
    digest_weekly: "Every week",
    digest_never: "Never",
    quiet_legend: "Quiet hours",
    quiet_hint: "Right to disconnect: during these hours no email leaves; it waits until they end. Two equal times: none.",
    quiet_start: "From",
    quiet_end: "Until",
    quiet_weekends: "Also all weekend (Saturday and Sunday)",
    mute_legend: "Muted communities",
    mute_hint: "Nothing about these communities is emailed to you.",
    mute_none: "You are not a member of any community.",
    save: "Save my choices",
    saved: "Your choices are saved.",
    bad_time: "Give a time like 19:00 (00:00 to 23:59).",
    bad_choice: "Choose one of the options offered.",
    not_member: "You can only mute a community you are a member of.",
    kind_labels: [
        ("mention", "I am mentioned"),
        ("reply", "A reply in a thread I wrote in"),
        ("membership_decided", "A decision on my membership request"),
        (
            "membership_request",
            "A new membership request to decide (animateurs)",
        ),
        ("invited", "An invitation to a community"),
        ("action_owner", "An action item given to me"),
        ("resource_refused", "A resource edit refused"),
        ("peer_request", "A federation request waiting (admins)"),
        (
            "session_reminder",
            "A reminder of a session I registered for (the day before, and a week before)",
        ),
    ],
    unsub_title: "Unsubscribe",
    unsub_confirm: "Confirm to stop receiving these emails:",
    unsub_button: "Unsubscribe me",
    unsub_done: "Done: you will no longer receive these emails. Your other choices did not change.",
    unsub_spent: "This unsubscribe link was already used: nothing changed. Your current choices are on the “My notifications” page.",
    unsub_unknown: "This unsubscribe link is not valid: nothing changed. Check that you copied the whole link, or change your choices on the “My notifications” page.",
    unsub_manage: "Manage all my notifications",
    unsub_digest: "The digest of my communities' activity",
    mail_action: "See it on the site",
    mail_in: "Community",
    mail_why: "You receive this email according to your notification choices.",
    mail_unsubscribe: "Stop receiving this kind of email",
    subjects: [
        ("mention", "{who} mentioned you"),
        ("reply", "{who} replied in a thread"),
        ("membership_accepted", "Your membership request is accepted"),
        (
            "membership_rejected",
            "Your membership request is not accepted",
        ),
        ("membership_request", "New membership request from {who}"),
        ("invited", "{who} invites you to a community"),
        ("action_owner", "{who} gives you an action item"),
        ("resource_refused", "Your edit of a resource is refused"),
        ("peer_request", "An institution asks to federate"),
    ],
};

pub fn strings(locale: &str) -> &'static NotifyStrings {
    if locale == "en" { &EN } else { &FR }
}
