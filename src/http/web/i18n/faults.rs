//! Texts about faults of the node itself (issue 13), in French first.

/// The database cannot write (disk full or read-only): what the agent can do.
pub const STORAGE_UNAVAILABLE_FR: &str = "Le serveur ne peut rien enregistrer pour le moment \
    (son disque est plein ou en lecture seule) : rien n'a été enregistré. Réessayez dans \
    quelques minutes ; si cela dure, prévenez l'administrateur.";
