//! Texts that were written in French in templates (issue 19: every page in the agent's
//! language): the « write to » button, the forgotten password link, a join link, a
//! community's public page. Templates read them with `pages::strings(layout.t.lang)`.

#[derive(Debug)]
pub struct PagesStrings {
    /// Followed by the person's name.
    pub write_to: &'static str,
    pub forgot_password: &'static str,
    pub join_title: &'static str,
    /// After why the link no longer works.
    pub join_ask_new_link: &'static str,
    /// Followed by the community's name.
    pub join_invited: &'static str,
    pub join_submit: &'static str,
    /// Followed by the host institution's name.
    pub public_hosted_by: &'static str,
    pub public_jobs: &'static str,
    pub public_charter: &'static str,
    pub public_sessions: &'static str,
    pub public_no_sessions: &'static str,
    pub public_join_title: &'static str,
    /// Around the community's name, between « ».
    pub public_join_before: &'static str,
    pub public_join_after: &'static str,
    pub public_address: &'static str,
}

pub static FR: PagesStrings = PagesStrings {
    write_to: "Écrire à",
    forgot_password: "Mot de passe oublié ?",
    join_title: "Rejoindre une communauté",
    join_ask_new_link: "Demandez un nouveau lien aux animateurs de la communauté.",
    join_invited: "Vous êtes invité·e à rejoindre",
    join_submit: "Rejoindre",
    public_hosted_by: "Communauté de pratique hébergée par",
    public_jobs: "Métiers :",
    public_charter: "Charte",
    public_sessions: "Prochaines séances",
    public_no_sessions: "Aucune séance annoncée pour l'instant.",
    public_join_title: "Comment nous rejoindre",
    public_join_before: "Connectez-vous à entrepairs avec le compte de votre institution, cherchez \
        la communauté par son nom, « ",
    public_join_after: " », et demandez à la rejoindre. Si votre institution n'utilise pas encore \
        entrepairs, demandez à votre service informatique d'écrire aux animateurs.",
    public_address: "Son adresse, si on vous la demande :",
};

pub static EN: PagesStrings = PagesStrings {
    write_to: "Write to",
    forgot_password: "Forgot your password?",
    join_title: "Join a community",
    join_ask_new_link: "Ask the community's facilitators for a new link.",
    join_invited: "You are invited to join",
    join_submit: "Join",
    public_hosted_by: "Community of practice hosted by",
    public_jobs: "Jobs:",
    public_charter: "Charter",
    public_sessions: "Upcoming sessions",
    public_no_sessions: "No session announced yet.",
    public_join_title: "How to join us",
    public_join_before: "Sign in to entrepairs with your institution's account, look for the \
        community by its name, “",
    public_join_after: "”, and ask to join it. If your institution does not use entrepairs yet, \
        ask your IT department to write to the facilitators.",
    public_address: "Its address, if you are asked:",
};

pub fn strings(locale: &str) -> &'static PagesStrings {
    if locale == "en" { &EN } else { &FR }
}
