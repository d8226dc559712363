//! The texts of co-animation from any node (issue 18): what an animateur of another node
//! reads when her node sends her decisions to the community's host, in French and English.

#[derive(Debug)]
pub struct CoStrings {
    /// Under the form, and after saving: the host applies it.
    pub sent_to_host: &'static str,
    /// Above the requests listed from the host.
    pub requests_from_host: &'static str,
    /// The host did not answer the list of requests.
    pub host_silent: &'static str,
}

static FR: CoStrings = CoStrings {
    sent_to_host: "Cette communauté est hébergée par une autre institution : votre demande lui \
        est envoyée, et la séance apparaît ici dès qu'elle l'a enregistrée (en général en \
        quelques secondes).",
    requests_from_host: "Demandes en attente, lues chez l'institution qui héberge la \
        communauté : votre décision lui est envoyée.",
    host_silent: "L'institution qui héberge la communauté ne répond pas pour l'instant : \
        réessayez dans quelques minutes.",
};

static EN: CoStrings = CoStrings {
    sent_to_host: "This community is hosted by another institution: your request is sent to \
        it, and the session shows here as soon as it has recorded it (usually within seconds).",
    requests_from_host: "Pending requests, read from the institution that hosts the \
        community: your decision is sent to it.",
    host_silent: "The institution that hosts the community does not answer right now: try \
        again in a few minutes.",
};

pub fn strings(locale: &str) -> &'static CoStrings {
    if locale == "en" { &EN } else { &FR }
}
