//! The texts of « Mes appareils » (Web Push) and of the installable app, French first.

#[derive(Debug)]
pub struct PushStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub profile_link: &'static str,
    pub none: &'static str,
    pub added_on: &'static str,
    pub last_push: &'static str,
    pub never: &'static str,
    pub via: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub added: &'static str,
    pub subscribe: &'static str,
    pub subscribe_hint: &'static str,
    pub no_js: &'static str,
    pub unsupported: &'static str,
    pub denied: &'static str,
    pub failed: &'static str,
    pub device_label: &'static str,
    pub offline_title: &'static str,
    pub offline_body: &'static str,
    pub offline_retry: &'static str,
    pub too_many: &'static str,
}

pub static FR: PushStrings = PushStrings {
    title: "Mes appareils",
    intro: "Les appareils ci-dessous reçoivent une notification quand quelqu’un vous \
            mentionne, vous répond ou attend votre décision. La notification dit seulement ce \
            qui s’est passé et ouvre vos notifications : jamais le texte d’un message.",
    profile_link: "Mes appareils : recevoir les notifications sur votre téléphone ou votre ordinateur",
    none: "Aucun appareil ne reçoit vos notifications pour l’instant.",
    added_on: "Ajouté le",
    last_push: "Dernière notification",
    never: "jamais",
    via: "Service",
    revoke: "Retirer",
    revoked: "L’appareil est retiré : il ne recevra plus de notifications.",
    added: "Cet appareil recevra désormais vos notifications.",
    subscribe: "Recevoir les notifications sur cet appareil",
    subscribe_hint: "Votre navigateur vous demandera l’autorisation. Vous pourrez retirer \
                     l’appareil ici à tout moment.",
    no_js: "Pour recevoir les notifications sur cet appareil, activez JavaScript dans votre \
            navigateur. Tout le reste du site fonctionne sans.",
    unsupported: "Ce navigateur ne sait pas recevoir de notifications. Essayez un navigateur \
                  récent (Firefox, Chrome, Edge ou Safari sur un téléphone où le site est \
                  installé).",
    denied: "Vous avez refusé les notifications pour ce site. Pour les recevoir, autorisez-les \
             dans les réglages du navigateur, puis recommencez.",
    failed: "L’inscription de cet appareil n’a pas abouti. Réessayez dans un moment ; si cela \
             recommence, prévenez l’administrateur de votre institution.",
    device_label: "Nom de l’appareil",
    offline_title: "Vous êtes hors ligne",
    offline_body: "Cette page n’est pas disponible sans connexion. Vérifiez votre connexion \
                   (Wi-Fi ou données mobiles), puis réessayez.",
    offline_retry: "Réessayer",
    too_many: "Vous avez déjà le nombre maximal d’appareils : retirez-en un avant d’en ajouter un autre.",
};

pub static EN: PushStrings = PushStrings {
    title: "My devices",
    intro: "The devices below receive a notification when someone mentions you, replies to \
            you or awaits your decision. It only says what happened and opens your \
            notifications: never the text of a message.",
    profile_link: "My devices: receive notifications on your phone or computer",
    none: "No device receives your notifications yet.",
    added_on: "Added on",
    last_push: "Last notification",
    never: "never",
    via: "Service",
    revoke: "Remove",
    revoked: "The device is removed: it will receive no more notifications.",
    added: "This device will now receive your notifications.",
    subscribe: "Receive notifications on this device",
    subscribe_hint: "Your browser will ask for permission. You can remove the device here at \
                     any time.",
    no_js: "To receive notifications on this device, turn JavaScript on in your browser. \
            Everything else works without it.",
    unsupported: "This browser cannot receive notifications. Try a recent browser.",
    denied: "You refused notifications for this site. Allow them in the browser's settings, \
             then try again.",
    failed: "This device could not be registered. Try again in a moment; if it happens again, \
             tell your institution's administrator.",
    device_label: "Device name",
    offline_title: "You are offline",
    offline_body: "This page is not available without a connection. Check your connection, \
                   then try again.",
    offline_retry: "Try again",
    too_many: "You already have the most devices allowed: remove one before adding another.",
};

pub fn strings(locale: &str) -> &'static PushStrings {
    if locale == "en" { &EN } else { &FR }
}
