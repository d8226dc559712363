//! What an agent asks the search: words (never operators: whatever is typed becomes plain
//! words), filters by kind, community, institution and dates, a page; what cannot be used is
//! said (a `Notice` or a refused field), never an error page.

use serde::Deserialize;

use super::accounts::Account;
use super::error::{DomainError, Rule};
use super::search::{Hit, hit, stems};
use super::{Ctx, DomainResult, pickers};
use crate::db::SearchFilter;

/// Results per page, and the last page served (a search is refined before it is paged so far).
pub const PAGE_SIZE: i64 = 20;
pub const MAX_PAGE: i64 = 50;
/// Longest query kept, in characters, and most words matched.
pub const MAX_QUERY: usize = 200;
pub const MAX_WORDS: usize = 8;

/// The kinds an agent filters by, as the form and the API name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Discussion,
    Resource,
    Session,
    Action,
    Directory,
    Veille,
    Mobilite,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Discussion,
        Kind::Veille,
        Kind::Mobilite,
        Kind::Resource,
        Kind::Session,
        Kind::Action,
        Kind::Directory,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Discussion => "discussion",
            Kind::Resource => "resource",
            Kind::Session => "session",
            Kind::Action => "action",
            Kind::Directory => "directory",
            Kind::Veille => "veille",
            Kind::Mobilite => "mobilite",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The kinds the index stores for it (`search::SearchDoc::kind`).
    fn stored(self) -> Vec<&'static str> {
        match self {
            Kind::Discussion => vec!["thread", "reply"],
            Kind::Resource => vec!["resource"],
            Kind::Session => vec!["event"],
            Kind::Action => vec!["action"],
            Kind::Directory => vec!["directory"],
            Kind::Veille | Kind::Mobilite => vec!["thread"],
        }
    }

    /// The thread category it also requires (`posts.category`), if any.
    fn category(self) -> &'static str {
        match self {
            Kind::Veille => "veille",
            Kind::Mobilite => "mobilite",
            _ => "",
        }
    }
}

/// The values as the form or the API query string carry them (all text, all optional).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Asked {
    /// The words to look for (operators and quotes are read as plain words).
    #[serde(default)]
    pub q: String,
    /// `discussion`, `veille`, `mobilite`, `resource`, `session`, `action` or `directory`.
    #[serde(default)]
    pub kind: String,
    /// The id of a community the caller is a member of.
    #[serde(default)]
    pub community: String,
    /// An institution's authority (`host` or `host:port`): what it published.
    #[serde(default)]
    pub institution: String,
    /// Published on or after this day (`2026-12-01` or `01/12/2026`).
    #[serde(default)]
    pub from: String,
    /// Published on or before this day.
    #[serde(default)]
    pub to: String,
    /// The page, from 1.
    #[serde(default)]
    pub page: String,
}

/// What was typed and not used as typed: said to the agent, the search still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Nothing searchable was left (only quotes, operators, punctuation).
    NoWords,
    /// The query was cut at [`MAX_QUERY`] characters or [`MAX_WORDS`] words.
    Shortened,
}

/// The communities and institutions an agent may narrow a search to.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// (id, name) of the communities the agent is an accepted member of.
    pub communities: Vec<(i64, String)>,
    /// (authority, name) of this node and its active peers, by name.
    pub institutions: Vec<(String, String)>,
}

pub async fn choices(state: &Ctx, account: &Account) -> DomainResult<Choices> {
    let communities = state
        .store
        .communities_of(account.actor_id, "accepted")
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut institutions: Vec<(String, String)> = pickers::institution_names(state)
        .await?
        .into_iter()
        .filter(|(_, name)| !name.is_empty())
        .collect();
    institutions.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Choices {
        communities,
        institutions,
    })
}

/// One page of results.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    /// The stems searched (to highlight them).
    pub words: Vec<String>,
    pub page: i64,
    pub has_next: bool,
    pub notices: Vec<Notice>,
}

/// Searches what `account` may read. A filter value that cannot be used (an unknown kind, a
/// community the agent is not in, an unreadable or reversed date, a page out of range) is
/// refused as a field error, nothing searched; words are never refused.
pub async fn run(state: &Ctx, account: &Account, asked: &Asked) -> DomainResult<Found> {
    let choices = choices(state, account).await?;
    let mut filter = narrowing(state, &choices, asked)?;
    let page = page_of(&asked.page)?;
    let mut notices = Vec::new();
    let text: String = asked.q.chars().take(MAX_QUERY).collect();
    if text.chars().count() < asked.q.chars().count() {
        notices.push(Notice::Shortened);
    }
    let mut words: Vec<String> = Vec::new();
    for w in stems(&text) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    if words.len() > MAX_WORDS {
        words.truncate(MAX_WORDS);
        if !notices.contains(&Notice::Shortened) {
            notices.push(Notice::Shortened);
        }
    }
    if words.is_empty() {
        if !asked.q.trim().is_empty() {
            notices.push(Notice::NoWords);
        }
        return Ok(Found {
            page,
            notices,
            ..Found::default()
        });
    }
    filter.limit = PAGE_SIZE + 1;
    filter.offset = (page - 1) * PAGE_SIZE;
    let mut rows = state
        .store
        .search_filtered(&words, account.actor_id, &filter)
        .await?;
    let has_next = rows.len() as i64 > PAGE_SIZE && page < MAX_PAGE;
    rows.truncate(PAGE_SIZE as usize);
    Ok(Found {
        hits: rows.into_iter().map(|r| hit(r, &words)).collect(),
        words,
        page,
        has_next,
        notices,
    })
}

fn narrowing(state: &Ctx, choices: &Choices, asked: &Asked) -> DomainResult<SearchFilter> {
    let mut filter = SearchFilter::default();
    let kind = asked.kind.trim();
    if !kind.is_empty() {
        let k = Kind::parse(kind).ok_or_else(|| DomainError::invalid("kind", Rule::Choice))?;
        filter.kinds = k.stored();
        filter.category = k.category();
    }
    let community = asked.community.trim();
    if !community.is_empty() {
        let id: i64 = community
            .parse()
            .map_err(|_| DomainError::invalid("community", Rule::Choice))?;
        if !choices.communities.iter().any(|(c, _)| *c == id) {
            return Err(DomainError::invalid("community", Rule::NotMember));
        }
        filter.community_id = Some(id);
    }
    let institution = asked.institution.trim();
    if !institution.is_empty() {
        if !choices.institutions.iter().any(|(a, _)| a == institution) {
            return Err(DomainError::invalid("institution", Rule::Choice));
        }
        let scheme = state.urls.base().split("://").next().unwrap_or("https");
        filter.id_prefix = format!("{scheme}://{institution}/");
    }
    let tz = &state.config.timezone;
    filter.from = day_start("from", &asked.from, tz, 0)?;
    filter.until = day_start("to", &asked.to, tz, 1)?;
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && until <= from
    {
        return Err(DomainError::invalid("to", Rule::EndBeforeStart));
    }
    Ok(filter)
}

fn page_of(raw: &str) -> DomainResult<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(1);
    }
    match raw.parse::<i64>() {
        Ok(p) if (1..=MAX_PAGE).contains(&p) => Ok(p),
        _ => Err(DomainError::invalid(
            "page",
            Rule::Range {
                min: 1,
                max: MAX_PAGE,
            },
        )),
    }
}

/// The first millisecond of the day `raw` (`2026-12-01`, as a date field sends it, or
/// `01/12/2026`, as an agent writes it) plus `days`, in the node's time zone.
fn day_start(
    field: &'static str,
    raw: &str,
    timezone: &str,
    days: i64,
) -> DomainResult<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || DomainError::invalid(field, Rule::Date);
    if raw.len() > 10 {
        return Err(bad());
    }
    let date: jiff::civil::Date = match raw.split('/').collect::<Vec<_>>()[..] {
        [d, m, y] => {
            let (d, m, y) = (
                d.parse::<i8>().map_err(|_| bad())?,
                m.parse::<i8>().map_err(|_| bad())?,
                y.parse::<i16>().map_err(|_| bad())?,
            );
            jiff::civil::Date::new(y, m, d).map_err(|_| bad())?
        }
        _ => raw.parse().map_err(|_| bad())?,
    };
    let date = date
        .checked_add(jiff::Span::new().days(days))
        .map_err(|_| bad())?;
    let tz = jiff::tz::TimeZone::get(timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let zoned = date.to_zoned(tz).map_err(|_| bad())?;
    Ok(Some(zoned.timestamp().as_millisecond()))
}

/// `snippet` cut into runs of text, each marked when its words are among `words` (stems):
/// the page shows the marked runs highlighted, the text itself escaped as usual.
pub fn highlighted(snippet: &str, words: &[String]) -> Vec<(String, bool)> {
    let mut parts: Vec<(String, bool)> = Vec::new();
    for token in snippet.split(' ') {
        let hit = stems(token).iter().any(|s| words.contains(s));
        match parts.last_mut() {
            Some((text, marked)) if *marked == hit => {
                text.push(' ');
                text.push_str(token);
            }
            Some((text, _)) if hit => {
                text.push(' ');
                parts.push((token.to_owned(), true));
            }
            Some(_) => parts.push((format!(" {token}"), false)),
            None => parts.push((token.to_owned(), hit)),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_both_forms_and_refused_otherwise() {
        let a = day_start("from", "2026-12-01", "Europe/Paris", 0).expect("iso");
        let b = day_start("from", "01/12/2026", "Europe/Paris", 0).expect("fr");
        assert_eq!(a, b);
        assert_eq!(a, Some(1_796_079_600_000));
        let next = day_start("to", "2026-12-01", "Europe/Paris", 1).expect("to");
        assert_eq!(next, Some(1_796_079_600_000 + 86_400_000));
        for bad in [
            "32/12/2026",
            "2026-13-01",
            "demain",
            "1' OR 1=1 --",
            "2026-12-01T00:00",
        ] {
            assert!(day_start("from", bad, "Europe/Paris", 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_are_bounded() {
        assert_eq!(page_of("").expect("default"), 1);
        assert_eq!(page_of("3").expect("3"), 3);
        for bad in ["0", "-1", "51", "deux", "99999999999999999999"] {
            assert!(page_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn matched_words_are_marked_and_the_rest_kept() {
        let words = stems("usagers");
        let parts = highlighted("Accueil des usagères au guichet", &words);
        assert_eq!(
            parts,
            [
                ("Accueil des ".to_owned(), false),
                ("usagères".to_owned(), true),
                (" au guichet".to_owned(), false),
            ]
        );
    }
}
