//! The texts of the pickers by name (communities, invitations, action owners), in French
//! (first) and English.

/// Texts of the pickers by name.
#[derive(Debug)]
pub struct PStrings {
    pub find_community_label: &'static str,
    pub find_community_hint: &'static str,
    pub invite_label: &'static str,
    pub invite_hint: &'static str,
    pub results_title: &'static str,
    pub no_community: &'static str,
    pub no_person: &'static str,
    pub unknown_address: &'static str,
    pub several_people: &'static str,
    pub address: &'static str,
    pub copy_address: &'static str,
    pub see_community: &'static str,
    pub invite_this: &'static str,
    pub here: &'static str,
    pub community_one: &'static str,
    pub community_many: &'static str,
    pub person_one: &'static str,
    pub person_many: &'static str,
    pub directory_entry: &'static str,
}

pub static FR: PStrings = PStrings {
    find_community_label: "Son nom, un mot de son thème ou son adresse",
    find_community_hint: "Par exemple « accueil » ou « ressources humaines » : les communautés \
        de votre institution et des institutions partenaires sont proposées.",
    invite_label: "Son nom, son métier ou son institution",
    invite_hint: "Par exemple « Alice Martin » ou « assistante » : les agents de votre \
        institution et des institutions partenaires sont proposés.",
    results_title: "Résultats",
    no_community: "Aucune communauté ne correspond à ce que vous avez tapé. Essayez un autre mot \
        de son nom ou de son thème, ou demandez son adresse à son animateur ou à son animatrice.",
    no_person: "Personne ne correspond à ce que vous avez tapé. Essayez son nom, son métier ou \
        son institution ; si son institution n'est pas encore reliée à la vôtre, demandez à votre \
        administrateur de le faire.",
    unknown_address: "Aucune communauté n'a été trouvée à cette adresse. Vérifiez-la, ou cherchez \
        la communauté par son nom ; si son institution n'est pas encore reliée à la vôtre, \
        demandez à votre administrateur de le faire.",
    several_people: "Plusieurs personnes correspondent : choisissez la bonne ci-dessous.",
    address: "Adresse",
    copy_address: "Copier l'adresse",
    see_community: "Voir la communauté",
    invite_this: "Inviter",
    here: "votre institution",
    community_one: "communauté trouvée",
    community_many: "communautés trouvées",
    person_one: "personne trouvée",
    person_many: "personnes trouvées",
    directory_entry: "Sa fiche dans l'annuaire",
};

pub static EN: PStrings = PStrings {
    find_community_label: "Its name, a word of its theme or its address",
    find_community_hint: "For example \"reception\" or \"human resources\": communities of your \
        institution and of partner institutions are offered.",
    invite_label: "Their name, job or institution",
    invite_hint: "For example \"Alice Martin\" or \"assistant\": agents of your institution and \
        of partner institutions are offered.",
    results_title: "Results",
    no_community: "No community matches what you typed. Try another word of its name or theme, \
        or ask its facilitator for its address.",
    no_person: "Nobody matches what you typed. Try their name, job or institution; if their \
        institution is not connected to yours yet, ask your administrator.",
    unknown_address: "No community was found at this address. Check it, or search the community \
        by its name; if its institution is not connected to yours yet, ask your administrator.",
    several_people: "Several people match: choose the right one below.",
    address: "Address",
    copy_address: "Copy the address",
    see_community: "See the community",
    invite_this: "Invite",
    here: "your institution",
    community_one: "community found",
    community_many: "communities found",
    person_one: "person found",
    person_many: "people found",
    directory_entry: "Their directory entry",
};

pub fn strings(locale: &str) -> &'static PStrings {
    if locale == "en" { &EN } else { &FR }
}

impl PStrings {
    /// "3 communautés trouvées", "1 personne trouvée": the count and its words agree.
    pub fn count(&self, n: usize, communities: bool) -> String {
        let words = match (communities, n) {
            (true, 0 | 1) => self.community_one,
            (true, _) => self.community_many,
            (false, 0 | 1) => self.person_one,
            (false, _) => self.person_many,
        };
        format!("{n} {words}")
    }
}
