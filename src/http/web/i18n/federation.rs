//! Texts of the admin home, the federation pages and the audit log, FR and EN.

#[derive(Debug)]
pub struct FederationStrings {
    pub admin_title: &'static str,
    pub admin_intro: &'static str,
    pub federation_title: &'static str,
    pub federation_link_hint: &'static str,
    pub audit_title: &'static str,
    pub audit_link_hint: &'static str,
    pub federation_intro: &'static str,
    pub request_title: &'static str,
    pub request_intro: &'static str,
    pub authority: &'static str,
    pub authority_hint: &'static str,
    pub message: &'static str,
    pub message_hint: &'static str,
    pub request_send: &'static str,
    pub group_pending: &'static str,
    pub group_requested: &'static str,
    pub group_approved: &'static str,
    pub group_manual: &'static str,
    pub group_refused: &'static str,
    pub group_revoked: &'static str,
    pub group_denied: &'static str,
    pub none: &'static str,
    pub pending_short: &'static str,
    pub pending_short_one: &'static str,
    pub state: &'static str,
    pub says: &'static str,
    pub verified: &'static str,
    pub verified_hint: &'static str,
    pub institution: &'static str,
    pub kind: &'static str,
    pub branch: &'static str,
    pub contact: &'static str,
    pub their_message: &'static str,
    pub our_message: &'static str,
    pub received_at: &'static str,
    pub decided: &'static str,
    pub by: &'static str,
    pub approve: &'static str,
    pub refuse: &'static str,
    pub revoke: &'static str,
    pub withdraw: &'static str,
    pub confirm_title: &'static str,
    pub confirm_approve: &'static str,
    pub confirm_refuse: &'static str,
    pub confirm_revoke: &'static str,
    pub confirm_check: &'static str,
    pub confirm_required: &'static str,
    pub cancel: &'static str,
    pub done_request: &'static str,
    pub done_approve: &'static str,
    pub done_refuse: &'static str,
    pub done_revoke: &'static str,
    pub error_conflict: &'static str,
    pub audit_intro: &'static str,
    pub audit_at: &'static str,
    pub audit_by: &'static str,
    pub audit_action: &'static str,
    pub audit_detail: &'static str,
    pub audit_empty: &'static str,
    pub by_peer: &'static str,
}

pub static FR: FederationStrings = FederationStrings {
    admin_title: "Administration",
    admin_intro: "Gérez ce nœud de votre institution.",
    federation_title: "Fédération",
    federation_link_hint: "Les institutions voisines avec lesquelles ce nœud échange : demandes, approbations, révocations.",
    audit_title: "Journal des décisions",
    audit_link_hint: "Qui a décidé quoi, et quand, au sujet de la fédération.",
    federation_intro: "Ce nœud n'échange qu'avec les institutions que vous avez approuvées et qui vous ont approuvé. Chaque décision est inscrite au journal.",
    request_title: "Demander à fédérer avec une institution",
    request_intro: "L'administrateur de l'autre nœud verra votre demande, avec le nom de votre institution, son type, sa fonction publique, votre adresse de contact et votre message.",
    authority: "Adresse du nœud",
    authority_hint: "Par exemple : entrepairs.mairie-castelsarrasin.fr (ou hôte:port).",
    message: "Message à l'administrateur (facultatif)",
    message_hint: "2 000 caractères au plus.",
    request_send: "Envoyer la demande",
    group_pending: "Demandes reçues, en attente de votre décision",
    group_requested: "Demandes envoyées, en attente de leur réponse",
    group_approved: "Institutions fédérées",
    group_manual: "Autorisations manuelles (à sens unique, sans demande)",
    group_refused: "Demandes refusées",
    group_revoked: "Fédérations révoquées",
    group_denied: "Institutions bloquées manuellement",
    none: "Aucune.",
    pending_short: "demandes en attente",
    pending_short_one: "demande en attente",
    state: "État",
    says: "Ce que l'institution déclare",
    verified: "Ce que ce nœud a vérifié",
    verified_hint: "Demande signée par la clé de l'acteur d'instance du nœud, dont le document (récupéré à son adresse) indique :",
    institution: "Institution",
    kind: "Type",
    branch: "Fonction publique",
    contact: "Contact",
    their_message: "Message",
    our_message: "Notre message",
    received_at: "Reçue le",
    decided: "Dernière décision",
    by: "par",
    approve: "Approuver",
    refuse: "Refuser",
    revoke: "Révoquer",
    withdraw: "Retirer la demande",
    confirm_title: "Confirmer la décision",
    confirm_approve: "Approuver la fédération avec {}. Ses agents pourront suivre les vôtres, rejoindre vos communautés et échanger avec eux.",
    confirm_refuse: "Refuser la demande de {}. Rien ne sera échangé ; une nouvelle demande de sa part vous sera de nouveau présentée.",
    confirm_revoke: "Révoquer la fédération avec {}. Plus rien ne sera échangé dans un sens comme dans l'autre, et les contenus reçus de ce nœud seront effacés. Ce qu'ont écrit vos agents est conservé.",
    confirm_check: "Je confirme cette décision",
    confirm_required: "Cochez la case pour confirmer.",
    cancel: "Annuler",
    done_request: "Demande envoyée.",
    done_approve: "Fédération approuvée.",
    done_refuse: "Demande refusée.",
    done_revoke: "Fédération révoquée ; les contenus de ce nœud ont été effacés.",
    error_conflict: "Cette décision n'est plus possible : cette institution est déjà fédérée \
        avec la vôtre, sa demande a déjà été traitée, ou c'est votre propre adresse. Regardez où \
        en est la fédération dans la liste de la page Fédération.",
    audit_intro: "Toutes les décisions de fédération, les plus récentes d'abord : les vôtres et celles des autres nœuds.",
    audit_at: "Date",
    audit_by: "Par",
    audit_action: "Décision",
    audit_detail: "Détail",
    audit_empty: "Aucune décision pour l'instant.",
    by_peer: "l'autre nœud",
};

pub static EN: FederationStrings = FederationStrings {
    admin_title: "Administration",
    admin_intro: "Manage your institution's node.",
    federation_title: "Federation",
    federation_link_hint: "The neighbouring institutions this node talks to: requests, approvals, revocations.",
    audit_title: "Decision log",
    audit_link_hint: "Who decided what about federation, and when.",
    federation_intro: "This node talks only to institutions you approved and that approved you. Every decision is logged.",
    request_title: "Ask an institution to federate",
    request_intro: "The other node's admin will see your request with your institution's name, kind, civil service branch, your contact address and your message.",
    authority: "Node address",
    authority_hint: "For example: entrepairs.town-hall.example (or host:port).",
    message: "Message to the admin (optional)",
    message_hint: "At most 2,000 characters.",
    request_send: "Send the request",
    group_pending: "Requests received, awaiting your decision",
    group_requested: "Requests sent, awaiting their answer",
    group_approved: "Federated institutions",
    group_manual: "Manual allows (one-sided, no request)",
    group_refused: "Refused requests",
    group_revoked: "Revoked federations",
    group_denied: "Manually blocked institutions",
    none: "None.",
    pending_short: "pending requests",
    pending_short_one: "pending request",
    state: "State",
    says: "What the institution says",
    verified: "What this node verified",
    verified_hint: "Request signed by the key of the node's instance actor, whose document (fetched from its address) says:",
    institution: "Institution",
    kind: "Kind",
    branch: "Civil service branch",
    contact: "Contact",
    their_message: "Message",
    our_message: "Our message",
    received_at: "Received",
    decided: "Last decision",
    by: "by",
    approve: "Approve",
    refuse: "Refuse",
    revoke: "Revoke",
    withdraw: "Withdraw the request",
    confirm_title: "Confirm the decision",
    confirm_approve: "Approve federation with {}. Its agents will be able to follow yours, join your communities and talk with them.",
    confirm_refuse: "Refuse the request of {}. Nothing will be exchanged; a new request from it will be shown to you again.",
    confirm_revoke: "Revoke federation with {}. Nothing more will be exchanged either way, and content received from that node will be deleted. What your agents wrote is kept.",
    confirm_check: "I confirm this decision",
    confirm_required: "Tick the box to confirm.",
    cancel: "Cancel",
    done_request: "Request sent.",
    done_approve: "Federation approved.",
    done_refuse: "Request refused.",
    done_revoke: "Federation revoked; that node's content was deleted.",
    error_conflict: "This decision is no longer possible: this institution already federates \
        with yours, its request was already handled, or it is your own address. See where the \
        federation stands in the list on the Federation page.",
    audit_intro: "Every federation decision, newest first: yours and the other nodes'.",
    audit_at: "Date",
    audit_by: "By",
    audit_action: "Decision",
    audit_detail: "Detail",
    audit_empty: "No decision yet.",
    by_peer: "the other node",
};

/// An institution kind as people say it; an unknown code (a peer may send anything) as is.
pub fn kind_label(lang: &str, code: &str) -> String {
    let fr = lang == "fr";
    match code {
        "prefecture" => {
            if fr {
                "Préfecture ou sous-préfecture"
            } else {
                "Prefecture"
            }
        }
        "mairie" => {
            if fr {
                "Mairie"
            } else {
                "Town hall"
            }
        }
        "chu" => {
            if fr {
                "Centre hospitalier"
            } else {
                "Hospital"
            }
        }
        "cdg" => {
            if fr {
                "Centre de gestion"
            } else {
                "Management centre (CDG)"
            }
        }
        "other" => {
            if fr {
                "Autre"
            } else {
                "Other"
            }
        }
        other => other,
    }
    .to_owned()
}

/// A civil service branch in words; an unknown code as is.
pub fn branch_label(lang: &str, code: &str) -> String {
    let fr = lang == "fr";
    match code {
        "fpe" => {
            if fr {
                "Fonction publique d'État"
            } else {
                "State civil service"
            }
        }
        "fpt" => {
            if fr {
                "Fonction publique territoriale"
            } else {
                "Territorial civil service"
            }
        }
        "fph" => {
            if fr {
                "Fonction publique hospitalière"
            } else {
                "Hospital civil service"
            }
        }
        other => other,
    }
    .to_owned()
}
