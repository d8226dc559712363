//! Texts about faults of the node itself (issue 13), in French first.

/// The database cannot write (disk full or read-only): what the agent can do.
pub const STORAGE_UNAVAILABLE_FR: &str = "Le serveur ne peut rien enregistrer pour le moment \
    (son disque est plein ou en lecture seule) : rien n'a été enregistré. Réessayez dans \
    quelques minutes ; si cela dure, prévenez l'administrateur.";

/// The same, in English.
pub const STORAGE_UNAVAILABLE_EN: &str = "The server cannot save anything right now (its disk \
    is full or read-only): nothing was saved. Try again in a few minutes; if it lasts, tell \
    the administrator.";

/// The storage fault in `lang`.
pub fn storage_unavailable(lang: &str) -> &'static str {
    if lang == "en" {
        STORAGE_UNAVAILABLE_EN
    } else {
        STORAGE_UNAVAILABLE_FR
    }
}
