//! Texts of issue 17's interface pass (notifications as sentences, the audit log in words), in
//! French (first) and English.

/// Notification sentences: `{who}` is a person's name, `{what}` the thing (a community, a
/// discussion, an action item, a session), each replaced when rendered.
#[derive(Debug)]
pub struct UiStrings {
    pub unread_count_one: &'static str,
    pub unread_count_many: &'static str,
    pub someone: &'static str,
    pub a_community: &'static str,
    pub n_reply: &'static str,
    pub n_mention: &'static str,
    pub n_accepted: &'static str,
    pub n_rejected: &'static str,
    pub n_request: &'static str,
    pub n_invited: &'static str,
    pub n_report: &'static str,
    pub n_resource_refused: &'static str,
    pub n_action_owner: &'static str,
    pub n_event_cancelled: &'static str,
    pub n_event_seat: &'static str,
    pub n_event_changed: &'static str,
    pub n_other: &'static str,
    pub go_reply: &'static str,
    pub go_community: &'static str,
    pub go_find: &'static str,
    pub go_requests: &'static str,
    pub go_invitation: &'static str,
    pub go_moderation: &'static str,
    pub go_item: &'static str,
    pub go_session: &'static str,
    pub go_resources: &'static str,
    pub all_read: &'static str,
    pub audit_allow: &'static str,
    pub audit_deny: &'static str,
    pub audit_request: &'static str,
    pub audit_approve: &'static str,
    pub audit_refuse: &'static str,
    pub audit_revoke: &'static str,
    pub audit_request_received: &'static str,
    pub audit_both_asked: &'static str,
    pub audit_approved_by_peer: &'static str,
    pub audit_refused_by_peer: &'static str,
    pub audit_revoked_by_peer: &'static str,
    pub audit_purged: &'static str,
    pub unnamed_institution: &'static str,
    pub session_full: &'static str,
    pub session_registered: &'static str,
    pub reply_published: &'static str,
    pub session_left: &'static str,
    pub session_conflict: &'static str,
}

pub static FR: UiStrings = UiStrings {
    unread_count_one: "notification non lue",
    unread_count_many: "notifications non lues",
    someone: "Quelqu'un",
    a_community: "une communauté",
    n_reply: "{who} a répondu dans la discussion « {what} », à laquelle vous participez.",
    n_mention: "{who} vous a mentionné·e dans la discussion « {what} ».",
    n_accepted: "Votre demande pour rejoindre « {what} » a été acceptée : vous en êtes membre.",
    n_rejected: "Votre demande pour rejoindre « {what} » n'a pas été acceptée.",
    n_request: "{who} demande à rejoindre « {what} » : acceptez ou refusez sa demande.",
    // The group invites (its animateur is not carried by the federated Invite): no {who}.
    n_invited: "Vous êtes invité·e à rejoindre la communauté « {what} ».",
    n_report: "{who} a signalé un message dans « {what} » : regardez-le et décidez de la suite.",
    n_resource_refused: "Votre modification de « {what} » n'a pas été enregistrée : quelqu'un \
        l'avait modifiée en même temps. Reprenez-la sur la dernière version.",
    n_action_owner: "Vous êtes désormais responsable d'une action du plan : « {what} », \
        confiée par {who}.",
    n_event_cancelled: "{who} a annulé une séance à laquelle vous étiez inscrit·e : « {what} ».",
    n_event_seat: "Une place s'est libérée : vous êtes inscrit·e à la séance « {what} ».",
    n_event_changed: "{who} a modifié une séance à laquelle vous êtes inscrit·e : « {what} ». \
        Vérifiez sa date et son lieu.",
    n_other: "{who} a fait une action qui vous concerne dans « {what} ».",
    go_reply: "Lire la discussion",
    go_community: "Aller dans la communauté",
    go_find: "Chercher d'autres communautés",
    go_requests: "Répondre à la demande",
    go_invitation: "Voir l'invitation",
    go_moderation: "Voir le signalement",
    go_item: "Voir l'action",
    go_session: "Voir la séance",
    go_resources: "Voir les ressources",
    all_read: "Toutes vos notifications sont marquées comme lues.",
    audit_allow: "Fédération ouverte à la main, dans un seul sens",
    audit_deny: "Fédération fermée à la main",
    audit_request: "Demande de fédération envoyée",
    audit_approve: "Demande de fédération approuvée",
    audit_refuse: "Demande de fédération refusée",
    audit_revoke: "Fédération révoquée",
    audit_request_received: "Demande de fédération reçue",
    audit_both_asked: "Demande reçue et approuvée d'office : les deux institutions l'avaient \
        demandée",
    audit_approved_by_peer: "Notre demande a été approuvée par l'autre institution",
    audit_refused_by_peer: "Notre demande a été refusée par l'autre institution",
    audit_revoked_by_peer: "L'autre institution a mis fin à la fédération",
    audit_purged: "Oubliés : {actors}, {objects}, {follows}.",
    unnamed_institution: "l'institution dont l'adresse suit",
    session_full: "Complet",
    session_registered: "Inscrit·e",
    reply_published: "Votre réponse est publiée.",
    session_left: "Vous n'êtes plus inscrit·e à cette séance. Si c'était une erreur, \
        réinscrivez-vous avec le bouton ci-dessous ; une place libérée entre-temps a pu être \
        donnée à la personne suivante de la liste d'attente.",
    session_conflict: "Ce n'est pas possible pour cette séance : vous y êtes peut-être déjà \
        inscrit·e, ou elle est annulée. La page montre où vous en êtes.",
};

pub static EN: UiStrings = UiStrings {
    unread_count_one: "unread notification",
    unread_count_many: "unread notifications",
    someone: "Someone",
    a_community: "a community",
    n_reply: "{who} replied in the discussion \"{what}\", which you take part in.",
    n_mention: "{who} mentioned you in the discussion \"{what}\".",
    n_accepted: "Your request to join \"{what}\" was accepted: you are a member.",
    n_rejected: "Your request to join \"{what}\" was not accepted.",
    n_request: "{who} asks to join \"{what}\": accept or refuse their request.",
    n_invited: "You are invited to join the community \"{what}\".",
    n_report: "{who} reported a message in \"{what}\": look at it and decide what to do.",
    n_resource_refused: "Your edit of \"{what}\" was not saved: someone edited it at the same \
        time. Redo it on the latest version.",
    n_action_owner: "You are now responsible for an action of the plan: \"{what}\", given \
        by {who}.",
    n_event_cancelled: "{who} cancelled a session you had registered for: \"{what}\".",
    n_event_seat: "A seat was freed: you are registered for the session \"{what}\".",
    n_event_changed: "{who} changed a session you registered for: \"{what}\". Check its date \
        and place.",
    n_other: "{who} did something that concerns you in \"{what}\".",
    go_reply: "Read the discussion",
    go_community: "Go to the community",
    go_find: "Look for other communities",
    go_requests: "Answer the request",
    go_invitation: "See the invitation",
    go_moderation: "See the report",
    go_item: "See the action",
    go_session: "See the session",
    go_resources: "See the resources",
    all_read: "All your notifications are marked as read.",
    audit_allow: "Federation opened by hand, one way",
    audit_deny: "Federation closed by hand",
    audit_request: "Federation request sent",
    audit_approve: "Federation request approved",
    audit_refuse: "Federation request refused",
    audit_revoke: "Federation revoked",
    audit_request_received: "Federation request received",
    audit_both_asked: "Request received and approved at once: both institutions had asked",
    audit_approved_by_peer: "Our request was approved by the other institution",
    audit_refused_by_peer: "Our request was refused by the other institution",
    audit_revoked_by_peer: "The other institution ended the federation",
    audit_purged: "Forgotten: {actors}, {objects}, {follows}.",
    unnamed_institution: "the institution whose address follows",
    session_full: "Full",
    session_registered: "Registered",
    reply_published: "Your reply is published.",
    session_left: "You are no longer registered for this session. If this was a mistake, \
        register again with the button below; a seat freed meanwhile may have gone to the next \
        person on the waiting list.",
    session_conflict: "This is not possible for this session: you may already be registered, \
        or it is cancelled. The page shows where you stand.",
};

pub fn strings(locale: &str) -> &'static UiStrings {
    if locale.starts_with("en") { &EN } else { &FR }
}

/// "1 personne", "2 personnes": French plurals start at 2, English ones at anything but 1.
pub fn count(lang: &str, n: i64, one: &str, many: &str) -> String {
    let single = if lang == "fr" { n < 2 } else { n == 1 };
    format!("{n} {}", if single { one } else { many })
}

/// The audit log's action code (English, stable, also read by the CLI) in words.
pub fn audit_action(u: &UiStrings, code: &str) -> String {
    match code {
        "allow (manual, one-sided)" => u.audit_allow,
        "deny" => u.audit_deny,
        "request" => u.audit_request,
        "approve" => u.audit_approve,
        "refuse" => u.audit_refuse,
        "revoke" => u.audit_revoke,
        "request received" => u.audit_request_received,
        "request received, approved (both asked)" => u.audit_both_asked,
        "approved by peer" => u.audit_approved_by_peer,
        "refused by peer" => u.audit_refused_by_peer,
        "revoked by peer" => u.audit_revoked_by_peer,
        other => other,
    }
    .to_owned()
}

/// The audit log's detail: a revocation's count of what was forgotten is put in words; any
/// other detail (a request's message, written by an admin) is shown as written.
pub fn audit_detail(u: &UiStrings, lang: &str, detail: &str) -> String {
    let counts = detail.rsplit("; ").next().unwrap_or(detail);
    let Some(rest) = counts.strip_prefix("purged ") else {
        return detail.to_owned();
    };
    let numbers: Vec<i64> = rest
        .split(", ")
        .filter_map(|part| part.split(' ').next()?.parse().ok())
        .collect();
    let [actors, objects, follows] = numbers[..] else {
        return detail.to_owned();
    };
    let fr = lang == "fr";
    let (a, o, f) = if fr {
        (
            ("personne", "personnes"),
            ("contenu", "contenus"),
            ("abonnement", "abonnements"),
        )
    } else {
        (
            ("person", "people"),
            ("item", "items"),
            ("follow", "follows"),
        )
    };
    u.audit_purged
        .replace("{actors}", &count(lang, actors, a.0, a.1))
        .replace("{objects}", &count(lang, objects, o.0, o.1))
        .replace("{follows}", &count(lang, follows, f.0, f.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_detail_reads_as_words_with_french_plurals() {
        let d = audit_detail(&FR, "fr", "Undo; purged 1 actors, 0 objects, 12 follows");
        assert_eq!(d, "Oubliés : 1 personne, 0 contenu, 12 abonnements.");
        assert_eq!(audit_detail(&FR, "fr", "Bonjour"), "Bonjour");
        assert_eq!(
            audit_action(&FR, "approve"),
            "Demande de fédération approuvée"
        );
    }
}
