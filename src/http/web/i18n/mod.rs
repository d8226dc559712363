//! Every text of the web interface, in French (first) and English: one place to translate.

pub mod actions;
pub mod admin;
pub mod communities;
pub mod directory;
pub mod errors;
pub mod events;
pub mod federation;
pub mod first_hour;
pub mod mail;
pub mod notify;
pub mod oidc;
pub mod pickers;
pub mod post_kinds;
pub mod resources;
// Issue 17: notifications as sentences, the audit log in words.
pub mod ui;
// Issue 18: polls.
pub mod polls;
// Issue 14.
pub mod messages;
pub mod search;
// Issue 18: attendance and attestations.
pub mod attendance;
// Issue 15: Web Push and the installable app.
pub mod push;
// Issue 13: faults of the node itself (storage full or read-only).
pub mod faults;
// Issue 15: the digest.
pub mod digest;
// Issue 19: reactions.
pub mod reactions;
// Issue 19: photos in posts.
pub mod images;
// Issue 15: session reminders.
pub mod reminders;
// Issue 19: the agent's language.
pub mod language;
pub mod pages;
// Issue 19: unread markers.
pub mod unread;

use crate::domain::Rule;
use admin::AdminStrings;
use directory::DStrings;
use federation::FederationStrings;

/// The interface texts of one language.
#[derive(Debug)]
pub struct Strings {
    pub lang: &'static str,
    pub skip_to_content: &'static str,
    /// Names a table's scroll region, which the keyboard can reach (axe: scrollable-region-focusable).
    pub table_region: &'static str,
    pub main_nav: &'static str,
    pub nav_home: &'static str,
    pub nav_profile: &'static str,
    pub nav_communities: &'static str,
    pub nav_notifications: &'static str,
    pub nav_sessions: &'static str,
    pub nav_admin: &'static str,
    pub logout: &'static str,
    pub login: &'static str,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login_failed: &'static str,
    pub login_disabled: &'static str,
    pub login_rate_limited: &'static str,
    pub home_title: &'static str,
    pub home_welcome: &'static str,
    pub home_empty: &'static str,
    pub profile_title: &'static str,
    pub profile_edit: &'static str,
    pub leave_title: &'static str,
    pub leave_intro: &'static str,
    pub leave_posts: &'static str,
    pub leave_posts_delete: &'static str,
    pub leave_posts_anonymise: &'static str,
    pub leave_password: &'static str,
    pub leave_submit: &'static str,
    pub leave_wrong_password: &'static str,
    pub leave_last_admin: &'static str,
    pub display_name: &'static str,
    pub job_title: &'static str,
    pub job_title_hint: &'static str,
    pub summary: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub role_admin: &'static str,
    pub role_agent: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub handle: &'static str,
    pub institution: &'static str,
    pub tokens_title: &'static str,
    pub tokens_intro: &'static str,
    pub token_name: &'static str,
    pub token_create: &'static str,
    pub token_created: &'static str,
    pub token_revoke: &'static str,
    pub token_revoked: &'static str,
    pub tokens_none: &'static str,
    pub token_last_used: &'static str,
    pub never: &'static str,
    pub error_title: &'static str,
    pub error_not_found: &'static str,
    pub error_forbidden: &'static str,
    pub error_csrf: &'static str,
    pub error_bad_form: &'static str,
    pub error_internal: &'static str,
    pub back_home: &'static str,
    pub form_has_errors: &'static str,
    pub footer_text: &'static str,
    /// The administration pages.
    pub admin: &'static AdminStrings,
    /// The admin home, federation and audit log pages.
    pub federation: &'static FederationStrings,
    /// The directory and search pages.
    pub directory: &'static DStrings,
    /// OpenID Connect (ProConnect) sign-in.
    pub oidc: &'static oidc::OidcStrings,
    /// A new agent's first hour: welcome checklist, peer mentor.
    pub first_hour: &'static first_hour::FirstHourStrings,
}

pub static FR: Strings = Strings {
    lang: "fr",
    skip_to_content: "Aller au contenu",
    table_region: "Tableau (défilement horizontal au clavier ou au doigt)",
    main_nav: "Navigation principale",
    nav_home: "Accueil",
    nav_profile: "Mon profil",
    nav_communities: "Communautés",
    nav_notifications: "Notifications",
    nav_sessions: "Mes séances",
    nav_admin: "Administration",
    logout: "Se déconnecter",
    login: "Se connecter",
    login_title: "Connexion",
    login_intro: "Connectez-vous avec l'identifiant fourni par votre institution.",
    username: "Identifiant",
    password: "Mot de passe",
    login_failed: "Identifiant ou mot de passe incorrect.",
    login_disabled: "Ce compte est désactivé. Contactez l'administrateur de votre institution.",
    login_rate_limited: "Trop de tentatives. Réessayez dans quelques minutes.",
    home_title: "Accueil",
    home_welcome: "Bienvenue",
    home_empty: "Rien de nouveau pour l'instant. Les discussions de vos communautés apparaîtront ici.",
    profile_title: "Mon profil",
    profile_edit: "Modifier mon profil",
    leave_title: "Supprimer mon compte",
    leave_intro: "Votre compte, votre profil et vos adhésions seront supprimés sur ce nœud et chez les institutions partenaires. C'est définitif.",
    leave_posts: "Vos messages dans les communautés",
    leave_posts_delete: "Les supprimer partout",
    leave_posts_anonymise: "Les garder, signés « Ancien agent » (votre nom n'apparaîtra plus nulle part)",
    leave_password: "Votre mot de passe, pour confirmer",
    leave_submit: "Supprimer définitivement mon compte",
    leave_wrong_password: "Mot de passe incorrect : rien n'a été supprimé.",
    leave_last_admin: "Vous êtes le dernier administrateur de ce nœud : nommez-en un autre avant de supprimer votre compte.",
    display_name: "Nom affiché",
    job_title: "Métier",
    job_title_hint: "Par exemple : agente d'accueil, assistant de direction, comptable.",
    summary: "Présentation",
    email: "Courriel professionnel",
    role: "Rôle",
    role_admin: "Administrateur",
    role_agent: "Agent",
    save: "Enregistrer",
    saved: "Modifications enregistrées.",
    handle: "Adresse fédérée",
    institution: "Institution",
    tokens_title: "Jetons d'accès à l'API",
    tokens_intro: "Un jeton permet à un script d'utiliser l'API en votre nom. Il n'est affiché qu'une fois.",
    token_name: "Nom du jeton",
    token_create: "Créer un jeton",
    token_created: "Jeton créé. Copiez-le maintenant : il ne sera plus affiché.",
    token_revoke: "Révoquer",
    token_revoked: "révoqué",
    tokens_none: "Aucun jeton.",
    token_last_used: "Dernière utilisation",
    never: "jamais",
    error_title: "Erreur",
    error_not_found: "Cette page n'existe pas.",
    error_forbidden: "Vous n'avez pas accès à cette page.",
    error_csrf: "Le formulaire a expiré. Rechargez la page et réessayez.",
    error_bad_form: "Le formulaire envoyé est invalide.",
    error_internal: "Une erreur interne est survenue. L'administrateur en trouvera le détail dans les journaux.",
    back_home: "Retour à l'accueil",
    form_has_errors: "Le formulaire contient des erreurs.",
    footer_text: "entrepairs — communautés de pairs entre institutions publiques",
    admin: &admin::FR,
    federation: &federation::FR,
    directory: &directory::FR,
    oidc: &oidc::FR,
    first_hour: &first_hour::FR,
};

pub static EN: Strings = Strings {
    lang: "en",
    skip_to_content: "Skip to content",
    table_region: "Table (scrolls sideways with the keyboard or a finger)",
    main_nav: "Main navigation",
    nav_home: "Home",
    nav_profile: "My profile",
    nav_communities: "Communities",
    nav_notifications: "Notifications",
    nav_sessions: "My sessions",
    nav_admin: "Administration",
    logout: "Log out",
    login: "Log in",
    login_title: "Log in",
    login_intro: "Log in with the username your institution gave you.",
    username: "Username",
    password: "Password",
    login_failed: "Wrong username or password.",
    login_disabled: "This account is disabled. Contact your institution's administrator.",
    login_rate_limited: "Too many attempts. Try again in a few minutes.",
    home_title: "Home",
    home_welcome: "Welcome",
    home_empty: "Nothing new yet. Your communities' discussions will show here.",
    profile_title: "My profile",
    profile_edit: "Edit my profile",
    leave_title: "Delete my account",
    leave_intro: "Your account, profile and memberships will be deleted on this node and at the partner institutions. This cannot be undone.",
    leave_posts: "Your posts in communities",
    leave_posts_delete: "Delete them everywhere",
    leave_posts_anonymise: "Keep them, signed \"Former agent\" (your name will appear nowhere)",
    leave_password: "Your password, to confirm",
    leave_submit: "Delete my account for good",
    leave_wrong_password: "Wrong password: nothing was deleted.",
    leave_last_admin: "You are this node's last admin: appoint another before deleting your account.",
    display_name: "Display name",
    job_title: "Job",
    job_title_hint: "For example: receptionist, executive assistant, accountant.",
    summary: "About me",
    email: "Work email",
    role: "Role",
    role_admin: "Administrator",
    role_agent: "Agent",
    save: "Save",
    saved: "Changes saved.",
    handle: "Federated address",
    institution: "Institution",
    tokens_title: "API tokens",
    tokens_intro: "A token lets a script use the API on your behalf. It is shown only once.",
    token_name: "Token name",
    token_create: "Create a token",
    token_created: "Token created. Copy it now: it will not be shown again.",
    token_revoke: "Revoke",
    token_revoked: "revoked",
    tokens_none: "No tokens.",
    token_last_used: "Last used",
    never: "never",
    error_title: "Error",
    error_not_found: "This page does not exist.",
    error_forbidden: "You do not have access to this page.",
    error_csrf: "The form expired. Reload the page and try again.",
    error_bad_form: "The form sent is invalid.",
    error_internal: "An internal error occurred. The administrator will find details in the logs.",
    back_home: "Back to home",
    form_has_errors: "The form has errors.",
    footer_text: "entrepairs — peer communities across public institutions",
    admin: &admin::EN,
    federation: &federation::EN,
    directory: &directory::EN,
    oidc: &oidc::EN,
    first_hour: &first_hour::EN,
};

/// The strings of a locale; French when unknown.
pub fn strings(locale: &str) -> &'static Strings {
    if locale == "en" { &EN } else { &FR }
}

/// A validation rule in the interface language.
pub fn rule(t: &Strings, rule: &Rule) -> String {
    if t.lang != "fr" {
        return rule.to_string();
    }
    match rule {
        Rule::Length { min, max } => format!("doit comporter de {min} à {max} caractères"),
        Rule::MaxLength { max } => format!("doit comporter au plus {max} caractères"),
        Rule::SingleLine => "doit tenir sur une seule ligne".into(),
        Rule::ControlCharacters => "contient des caractères de contrôle".into(),
        Rule::Email => "n'est pas une adresse de courriel valide".into(),
        Rule::UsernameCharacters => {
            "seuls les lettres a-z, les chiffres, « _ », « . » et « - » sont permis".into()
        }
        Rule::UsernameStart => "doit commencer par une lettre ou un chiffre".into(),
        Rule::Reserved => "est réservé".into(),
        Rule::TooShort { min } => format!("doit comporter au moins {min} caractères"),
        Rule::TooLong => "est trop long".into(),
        Rule::Authority => "n'est pas une adresse de la forme hôte ou hôte:port".into(),
        Rule::OneOf { options } => format!("doit être l'un de : {options}"),
        Rule::PageCursor => "n'est pas une position de page comme 1700000000000-42".into(),
        Rule::Phone => {
            "n'est pas un numéro de téléphone (chiffres, espaces et + - . ( ) seulement)".into()
        }
        Rule::Choice => "n'est pas un des choix proposés".into(),
        Rule::Date => "n'est pas une date de la forme 2027-01-31".into(),
        Rule::NotMember => "n'est pas membre de cette communauté".into(),
        Rule::DateTime => "n'est pas une date et une heure valides".into(),
        Rule::EndBeforeStart => "doit être après le début".into(),
        Rule::Range { min, max } => format!("doit être un nombre entier de {min} à {max}"),
        Rule::Url => "n'est pas une adresse http(s)".into(),
        Rule::BelowParticipants { count } => {
            format!("doit être d'au moins {count}, les places déjà attribuées")
        }
        Rule::Ambiguous => {
            "correspond à plusieurs personnes : tapez aussi son prénom, son métier ou son \
             institution"
                .into()
        }
        Rule::PushKey => {
            "n'est pas une clé de notification de navigateur : réessayez depuis le navigateur"
                .into()
        }
    }
}
// Issue 18: co-animation from any node.
pub mod coanim;
