//! The texts of OpenID Connect (ProConnect) sign-in, in French (first) and English.

/// Texts of the sign-in button, its notice and the refusal pages.
#[derive(Debug)]
pub struct OidcStrings {
    pub or_password: &'static str,
    pub notice: &'static str,
    pub password_off: &'static str,
    pub refused_title: &'static str,
    pub retry: &'static str,
    pub state_invalid: &'static str,
    pub token_invalid: &'static str,
    pub email_unverified: &'static str,
    pub siret_refused: &'static str,
    pub provider_error: &'static str,
    pub provider_unreachable: &'static str,
    pub email_ambiguous: &'static str,
    pub disabled: &'static str,
    pub missing_claims: &'static str,
}

pub static FR: OidcStrings = OidcStrings {
    or_password: "ou avec un identifiant et un mot de passe",
    notice: "ProConnect vous identifie avec votre compte professionnel : à la première connexion, votre compte est créé (ou relié au compte qui porte la même adresse).",
    password_off: "La connexion par mot de passe est désactivée sur ce nœud : identifiez-vous avec le bouton ci-dessus.",
    refused_title: "Connexion refusée",
    retry: "Recommencer la connexion",
    state_invalid: "Cette demande de connexion est inconnue, expirée ou déjà utilisée. Recommencez depuis la page de connexion.",
    token_invalid: "La réponse du fournisseur d'identité n'a pas pu être vérifiée (signature, émetteur, destinataire, date ou nonce). Aucun compte n'a été créé ni modifié.",
    email_unverified: "Votre fournisseur d'identité n'a pas vérifié votre adresse électronique : la connexion est refusée. Aucun compte n'a été créé ni modifié.",
    siret_refused: "Votre employeur (SIRET {siret}) ne fait pas partie des établissements autorisés sur ce nœud. Connectez-vous sur le nœud de votre propre institution. Aucun compte n'a été créé.",
    provider_error: "Le fournisseur d'identité a refusé ou interrompu la connexion.",
    provider_unreachable: "Le fournisseur d'identité ne répond pas. Réessayez dans quelques minutes.",
    email_ambiguous: "Plusieurs comptes de ce nœud portent votre adresse : un administrateur doit d'abord les distinguer. Aucun compte n'a été modifié.",
    disabled: "Ce compte est désactivé. Contactez l'administrateur de votre institution.",
    missing_claims: "Le fournisseur d'identité n'a pas transmis votre adresse électronique et votre nom : la connexion est refusée.",
};

pub static EN: OidcStrings = OidcStrings {
    or_password: "or with a username and password",
    notice: "ProConnect identifies you with your work account: on your first sign-in your account is created (or linked to the account with the same address).",
    password_off: "Password login is turned off on this node: sign in with the button above.",
    refused_title: "Sign-in refused",
    retry: "Start signing in again",
    state_invalid: "This sign-in request is unknown, expired or already used. Start again from the login page.",
    token_invalid: "The identity provider's answer could not be verified (signature, issuer, audience, date or nonce). No account was created or changed.",
    email_unverified: "Your identity provider has not verified your email address: sign-in refused. No account was created or changed.",
    siret_refused: "Your employer (SIRET {siret}) is not among the establishments allowed on this node. Sign in on your own institution's node. No account was created.",
    provider_error: "The identity provider refused or interrupted the sign-in.",
    provider_unreachable: "The identity provider does not answer. Try again in a few minutes.",
    email_ambiguous: "Several accounts of this node have your address: an administrator must tell them apart first. No account was changed.",
    disabled: "This account is disabled. Contact your institution's administrator.",
    missing_claims: "The identity provider did not send your email address and name: sign-in refused.",
};
