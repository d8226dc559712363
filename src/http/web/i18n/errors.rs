//! What an agent reads when something goes wrong: what happened and what to do, in French
//! (first) and English; the English and protocol text of the cause goes to the logs only.

#[derive(Debug)]
pub struct EStrings {
    pub not_found: &'static str,
    pub forbidden: &'static str,
    pub not_federated: &'static str,
    pub conflict: &'static str,
    pub rate_limited: &'static str,
    pub unreachable: &'static str,
    pub invalid: &'static str,
    pub bad_form: &'static str,
    pub disabled: &'static str,
}

pub static FR: EStrings = EStrings {
    not_found: "Cette page n'existe pas, ou plus. Vérifiez l'adresse tapée, ou repartez du menu \
        ci-dessus.",
    forbidden: "Cette page ou cette action est réservée à d'autres personnes (membres de la \
        communauté, animateurs ou administrateurs). Si vous pensez y avoir droit, demandez-le à \
        l'animateur de la communauté ou à votre administrateur.",
    not_federated: "Cette institution n'est pas (encore) reliée à la vôtre : demandez à votre \
        administrateur de lui proposer de vous relier, puis réessayez.",
    conflict: "Cette action n'est plus possible : la page a changé entre-temps. Rechargez-la et \
        réessayez.",
    rate_limited: "Trop de tentatives en peu de temps : patientez quelques minutes, puis \
        réessayez.",
    unreachable: "L'institution concernée ne répond pas pour le moment : réessayez dans quelques \
        minutes.",
    invalid: "Une valeur envoyée n'est pas acceptée : revenez à la page précédente, corrigez-la \
        et renvoyez le formulaire.",
    bad_form: "Le formulaire envoyé est incomplet : revenez à la page précédente, vérifiez les \
        champs et renvoyez-le.",
    disabled: "Ce compte est désactivé : contactez l'administrateur de votre institution.",
};

pub static EN: EStrings = EStrings {
    not_found: "This page does not exist, or no longer. Check the address you typed, or start \
        again from the menu above.",
    forbidden: "This page or action is reserved to other people (community members, \
        facilitators or administrators). If you think you should have access, ask the \
        community's facilitator or your administrator.",
    not_federated: "This institution is not connected to yours (yet): ask your administrator \
        to propose it, then try again.",
    conflict: "This action is no longer possible: the page changed meanwhile. Reload it and try \
        again.",
    rate_limited: "Too many attempts in a short time: wait a few minutes, then try again.",
    unreachable: "The other institution does not answer right now: try again in a few minutes.",
    invalid: "A value sent is not accepted: go back, correct it and send the form again.",
    bad_form: "The form sent is incomplete: go back, check the fields and send it again.",
    disabled: "This account is disabled: contact your institution's administrator.",
};

pub fn strings(locale: &str) -> &'static EStrings {
    if locale == "en" { &EN } else { &FR }
}
