//! Polls: a thread of category `sondage` that asks a question (single or multiple choice,
//! named or anonymous, a closing time, results shown always, once one has voted or once
//! closed; a date poll's options are dates). The community's host counts: one rule for a
//! vote (`cast`, `change`, `withdraw`), used by its own agents' ballots and by the votes its
//! inbox receives; a member's node checks its agent's ballot against the poll it holds and
//! sends it to the host, then shows the totals the group announces.

use jiff::civil::{Date, DateTime};

use super::accounts::{Account, actor_of};
use super::changes::{Change, PollChange};
use super::communities::{require_animateur, require_member};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::events::{self, EventInput};
use super::post_kinds::{Category, PostKind};
use super::{event_time, posts};
use crate::db::{
    CommunityRow, EventRow, NewPoll, PollOptionRow, PollRow, PollVoteRow, PostRow, now_ms,
};
use crate::domain::Ctx;

/// Refusals of a vote, by cause (the web and the API say each in their words).
pub const CLOSED: &str = "the poll is closed";
pub const ALREADY_VOTED: &str = "already voted in this single-choice poll: change the vote";
pub const ALREADY_CHOSEN: &str = "this option is already chosen by this voter";
pub const ONE_CHOICE: &str = "this poll takes one choice only";
pub const NOT_VOTER: &str = "only the community's members vote";
pub const NOT_YOUR_VOTE: &str = "a vote is changed or withdrawn by its author only";
pub const FORGED: &str = "a vote is cast by the actor who sends it";

/// At most this many options, each at most this many characters.
pub const MAX_OPTIONS: usize = 20;
const MAX_OPTION_LEN: usize = 200;

/// Who sees the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Results {
    #[default]
    Always,
    AfterVote,
    AfterClose,
}

impl Results {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        match raw.trim() {
            "" | "always" => Ok(Results::Always),
            "after_vote" => Ok(Results::AfterVote),
            "after_close" => Ok(Results::AfterClose),
            _ => Err(DomainError::invalid("results", Rule::Choice)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Results::Always => "always",
            Results::AfterVote => "after_vote",
            Results::AfterClose => "after_close",
        }
    }
}

/// A poll's question as its author set it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollSpec {
    pub multiple: bool,
    pub anonymous: bool,
    pub results: Results,
    /// A date poll: each option is `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    pub dates: bool,
    /// Closing time, UTC milliseconds.
    pub end_time: i64,
    pub options: Vec<String>,
}

/// A date option as stored: `2027-03-12` or `2027-03-12T14:00` (from `2027-03-12 14:00`).
pub fn date_option(raw: &str) -> Option<String> {
    let raw = raw.trim().replace(' ', "T");
    // jiff reads a date out of a date and time too: the time decides which one it is.
    if raw.contains('T') {
        return raw
            .parse::<DateTime>()
            .ok()
            .map(|dt| dt.strftime("%Y-%m-%dT%H:%M").to_string());
    }
    raw.parse::<Date>().ok().map(|d| d.to_string())
}

impl PollSpec {
    /// What a form or the API sent: 2 to 20 distinct options (dates for a date poll), a
    /// closing time in the node's time zone and in the future.
    pub fn parse(
        options: &[String],
        multiple: bool,
        anonymous: bool,
        results: &str,
        dates: bool,
        end: &str,
        timezone: &str,
    ) -> DomainResult<Self> {
        let mut kept: Vec<String> = Vec::new();
        for raw in options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            let o = if dates {
                date_option(raw).ok_or(DomainError::invalid("options", Rule::DateTime))?
            } else {
                super::names::line("options", raw, 1, MAX_OPTION_LEN)?
            };
            if kept.contains(&o) {
                return Err(DomainError::invalid("options", Rule::Choice));
            }
            kept.push(o);
        }
        if kept.len() < 2 || kept.len() > MAX_OPTIONS {
            return Err(DomainError::invalid(
                "options",
                Rule::Range {
                    min: 2,
                    max: MAX_OPTIONS as i64,
                },
            ));
        }
        let end_time = event_time::parse("end_time", end, timezone)?;
        if end_time <= now_ms() {
            return Err(DomainError::invalid("end_time", Rule::EndBeforeStart));
        }
        Ok(PollSpec {
            multiple,
            anonymous,
            results: Results::parse(results)?,
            dates,
            end_time,
            options: kept,
        })
    }

    /// What a peer sent: options trimmed, cut and deduplicated, at most 20; `None` when
    /// fewer than two remain.
    pub fn lenient(mut self) -> Option<Self> {
        let mut kept: Vec<String> = Vec::new();
        for o in &self.options {
            let o: String = o.trim().chars().take(MAX_OPTION_LEN).collect();
            if !o.is_empty() && !kept.contains(&o) && kept.len() < MAX_OPTIONS {
                kept.push(o);
            }
        }
        self.options = kept;
        (self.options.len() >= 2).then_some(self)
    }
}

/// A poll as this node holds it.
#[derive(Debug, Clone)]
pub struct Poll {
    pub post: PostRow,
    pub row: PollRow,
    pub options: Vec<PollOptionRow>,
}

impl Poll {
    pub fn is_open(&self) -> bool {
        now_ms() < self.row.end_time
    }

    pub fn results(&self) -> Results {
        match self.row.results.as_str() {
            "after_vote" => Results::AfterVote,
            "after_close" => Results::AfterClose,
            _ => Results::Always,
        }
    }

    /// Whether the totals are shown to someone who has (or has not) voted.
    pub fn results_visible(&self, has_voted: bool) -> bool {
        match self.results() {
            Results::Always => true,
            Results::AfterVote => has_voted || !self.is_open(),
            Results::AfterClose => !self.is_open(),
        }
    }

    /// The winning option (most votes, the first listed on a tie), once someone voted.
    pub fn leader(&self) -> Option<&PollOptionRow> {
        let top = self.options.iter().map(|o| o.total).max()?;
        (top > 0)
            .then(|| self.options.iter().find(|o| o.total == top))
            .flatten()
    }

    fn has_option(&self, name: &str) -> bool {
        self.options.iter().any(|o| o.name == name)
    }
}

/// The poll of a thread, if it is one.
pub async fn of_post(state: &Ctx, post: &PostRow) -> DomainResult<Option<Poll>> {
    let Some(row) = state.store.poll(post.id).await? else {
        return Ok(None);
    };
    let options = state.store.poll_options(post.id).await?;
    Ok(Some(Poll {
        post: post.clone(),
        row,
        options,
    }))
}

/// The poll whose thread is `ap_id`, in community `c`.
pub async fn by_ap_id(state: &Ctx, c: &CommunityRow, ap_id: &str) -> DomainResult<Poll> {
    let post = state
        .store
        .post_by_ap_id(ap_id)
        .await?
        .filter(|p| p.community_id == c.id)
        .or_not_found("poll")?;
    of_post(state, &post).await?.or_not_found("poll")
}

/// Opens a poll thread in a community the agent is a member of; it federates as a
/// `Question` (the post's path, with its question stored by `post_store` on every node).
pub async fn create(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
    spec: PollSpec,
) -> DomainResult<PostRow> {
    // The details are optional: the question is then the thread's text.
    let text = if text.trim().is_empty() { title } else { text };
    let kind = PostKind {
        category: Category::Sondage,
        tags: Vec::new(),
        deadline: String::new(),
        poll: Some(spec),
    };
    posts::create_thread_of_kind(state, account, c, title, text, &kind).await
}

/// Stores the question of thread `post` (any origin), called once the thread is stored.
pub async fn store_question(state: &Ctx, post: &PostRow, spec: &PollSpec) -> DomainResult<()> {
    state
        .store
        .insert_poll(&NewPoll {
            post_id: post.id,
            multiple: spec.multiple,
            anonymous: spec.anonymous,
            results: spec.results.as_str(),
            dates: spec.dates,
            end_time: spec.end_time,
            options: &spec.options,
        })
        .await?;
    Ok(())
}

/// The voter must be an accepted member of the poll's community, as this node knows it.
async fn require_voter(state: &Ctx, c: &CommunityRow, voter: &str) -> DomainResult<()> {
    let actor = state
        .store
        .actor_by_ap_id(voter)
        .await?
        .ok_or(DomainError::Forbidden(NOT_VOTER))?;
    let accepted = state
        .store
        .membership(c.id, actor.id)
        .await?
        .is_some_and(|m| m.state == "accepted");
    if accepted {
        Ok(())
    } else {
        Err(DomainError::Forbidden(NOT_VOTER))
    }
}

/// What every vote checks, whatever its path: a member, an open poll, an option it lists.
async fn check_vote(
    state: &Ctx,
    c: &CommunityRow,
    poll: &Poll,
    voter: &str,
    option: &str,
) -> DomainResult<()> {
    require_voter(state, c, voter).await?;
    if !poll.is_open() {
        return Err(DomainError::Conflict(CLOSED.into()));
    }
    if !poll.has_option(option) {
        return Err(DomainError::invalid("choice", Rule::Choice));
    }
    Ok(())
}

/// A vote for `option` (the host's rule): one vote in a single-choice poll, each option once
/// in a multiple-choice one.
pub async fn cast(
    state: &Ctx,
    c: &CommunityRow,
    poll: &Poll,
    voter: &str,
    vote_id: &str,
    option: &str,
) -> DomainResult<()> {
    check_vote(state, c, poll, voter, option).await?;
    let mine = state.store.poll_votes_of(poll.post.id, voter).await?;
    if poll.row.multiple == 0 && !mine.is_empty() {
        return Err(DomainError::Conflict(ALREADY_VOTED.into()));
    }
    if mine.iter().any(|v| v.option_name == option)
        || !state
            .store
            .insert_poll_vote(poll.post.id, vote_id, voter, option)
            .await?
    {
        return Err(DomainError::Conflict(ALREADY_CHOSEN.into()));
    }
    Ok(())
}

/// A vote `vote_id` moved to `option` by its author, before closing.
pub async fn change(
    state: &Ctx,
    c: &CommunityRow,
    poll: &Poll,
    voter: &str,
    vote_id: &str,
    option: &str,
) -> DomainResult<()> {
    check_vote(state, c, poll, voter, option).await?;
    let vote = own_vote(state, poll, voter, vote_id).await?;
    if vote.option_name == option {
        return Ok(());
    }
    let mine = state.store.poll_votes_of(poll.post.id, voter).await?;
    if mine.iter().any(|v| v.option_name == option) {
        return Err(DomainError::Conflict(ALREADY_CHOSEN.into()));
    }
    state.store.change_poll_vote(vote_id, option).await?;
    Ok(())
}

/// A vote withdrawn by its author, before closing.
pub async fn withdraw(state: &Ctx, poll: &Poll, voter: &str, vote_id: &str) -> DomainResult<()> {
    if !poll.is_open() {
        return Err(DomainError::Conflict(CLOSED.into()));
    }
    own_vote(state, poll, voter, vote_id).await?;
    state.store.delete_poll_vote(vote_id).await?;
    Ok(())
}

async fn own_vote(
    state: &Ctx,
    poll: &Poll,
    voter: &str,
    vote_id: &str,
) -> DomainResult<PollVoteRow> {
    match state.store.poll_vote_by_ap_id(vote_id).await? {
        Some((post_id, v)) if post_id == poll.post.id && v.voter == voter => Ok(v),
        Some(_) => Err(DomainError::Forbidden(NOT_YOUR_VOTE)),
        None => Err(DomainError::NotFound("vote")),
    }
}

/// On the host, after votes changed: the totals counted again, and the group's Update of
/// the question announced to members' nodes.
async fn counted(state: &Ctx, c: &CommunityRow, poll: &Poll) -> DomainResult<()> {
    state.store.recount_poll(poll.post.id).await?;
    let change = PollChange::Counted {
        post: poll.post.clone(),
        community: c.clone(),
    };
    state.publisher.publish(state, Change::Poll(change)).await
}

/// A vote as it arrives at the host's inbox.
#[derive(Debug, Clone)]
pub struct IncomingVote {
    /// `Create` (a vote), `Update` (a vote moved) or `Delete` (withdrawn).
    pub verb: String,
    pub id: String,
    pub attributed_to: String,
    /// The poll's thread (`inReplyTo`); empty for a `Delete`.
    pub poll: String,
    /// The option (`name`); empty for a `Delete`.
    pub option: String,
}

/// A vote received by the host from `signer`'s node: its author must be the signer, then
/// the same rule as this node's agents' ballots.
pub async fn receive_vote(
    state: &Ctx,
    c: &CommunityRow,
    signer: &str,
    v: &IncomingVote,
) -> DomainResult<()> {
    if v.attributed_to != signer {
        return Err(DomainError::Forbidden(FORGED));
    }
    let poll_ap_id = if v.verb == "Delete" {
        let (post_id, _) = state
            .store
            .poll_vote_by_ap_id(&v.id)
            .await?
            .or_not_found("vote")?;
        state
            .store
            .post_by_id(post_id)
            .await?
            .or_not_found("poll")?
            .ap_id
    } else {
        v.poll.clone()
    };
    let poll = by_ap_id(state, c, &poll_ap_id).await?;
    match v.verb.as_str() {
        "Create" => cast(state, c, &poll, signer, &v.id, &v.option).await?,
        "Update" => change(state, c, &poll, signer, &v.id, &v.option).await?,
        "Delete" => withdraw(state, &poll, signer, &v.id).await?,
        _ => return Ok(()),
    }
    counted(state, c, &poll).await
}

/// A local agent's ballot, checked as a whole before anything is written: a member, an
/// open poll, at least one choice, options it lists, one only in a single-choice poll.
fn check_ballot(poll: &Poll, choices: &[String]) -> DomainResult<()> {
    if !poll.is_open() {
        return Err(DomainError::Conflict(CLOSED.into()));
    }
    if choices.is_empty() || choices.iter().any(|o| !poll.has_option(o)) {
        return Err(DomainError::invalid("choice", Rule::Choice));
    }
    if poll.row.multiple == 0 && choices.len() > 1 {
        return Err(DomainError::Conflict(ONE_CHOICE.into()));
    }
    Ok(())
}

/// What a ballot changes to the votes held: new votes (id, option), moved votes (id,
/// option), withdrawn votes (id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BallotDiff {
    pub cast: Vec<(String, String)>,
    pub changed: Vec<(String, String)>,
    pub withdrawn: Vec<String>,
}

fn diff(
    poll: &Poll,
    mine: &[PollVoteRow],
    choices: &[String],
    new_id: impl Fn() -> String,
) -> BallotDiff {
    let mut d = BallotDiff::default();
    if poll.row.multiple == 0 {
        match (mine.first(), choices.first()) {
            (None, Some(n)) => d.cast.push((new_id(), n.clone())),
            (Some(v), Some(n)) if v.option_name != *n => {
                d.changed.push((v.ap_id.clone(), n.clone()))
            }
            _ => {}
        }
        return d;
    }
    for v in mine {
        if !choices.contains(&v.option_name) {
            d.withdrawn.push(v.ap_id.clone());
        }
    }
    for n in choices {
        if !mine.iter().any(|v| v.option_name == *n) && !d.cast.iter().any(|(_, o)| o == n) {
            d.cast.push((new_id(), n.clone()));
        }
    }
    d
}

/// A local agent votes (or changes their vote) in poll `post`: on the host the votes are
/// counted at once; on a member's node the ballot is kept here and sent to the host, whose
/// group announces the new totals.
pub async fn vote(
    state: &Ctx,
    account: &Account,
    post: &PostRow,
    choices: &[String],
) -> DomainResult<Poll> {
    let c = posts::community(state, post).await?;
    require_member(state, &c, account).await?;
    let poll = of_post(state, post).await?.or_not_found("poll")?;
    check_ballot(&poll, choices)?;
    let me = actor_of(state, account).await?;
    let mine = state.store.poll_votes_of(post.id, &me.ap_id).await?;
    let d = diff(&poll, &mine, choices, || {
        format!("{}/votes/{}", me.ap_id, uuid::Uuid::now_v7())
    });
    if d == BallotDiff::default() {
        return Ok(poll);
    }
    if c.is_local == 1 {
        for id in &d.withdrawn {
            withdraw(state, &poll, &me.ap_id, id).await?;
        }
        for (id, o) in &d.changed {
            change(state, &c, &poll, &me.ap_id, id, o).await?;
        }
        for (id, o) in &d.cast {
            cast(state, &c, &poll, &me.ap_id, id, o).await?;
        }
        counted(state, &c, &poll).await?;
    } else {
        // Kept here to show the agent their ballot; the host counts it.
        for id in &d.withdrawn {
            state.store.delete_poll_vote(id).await?;
        }
        for (id, o) in &d.changed {
            state.store.change_poll_vote(id, o).await?;
        }
        for (id, o) in &d.cast {
            state
                .store
                .insert_poll_vote(post.id, id, &me.ap_id, o)
                .await?;
        }
        let change = PollChange::Voted {
            poll: post.clone(),
            community: c.clone(),
            voter: me,
            ballot: d,
        };
        state.publisher.publish(state, Change::Poll(change)).await?;
    }
    of_post(state, post).await?.or_not_found("poll")
}

/// The totals the group announced for one of its polls (on a member's node).
pub async fn receive_totals(
    state: &Ctx,
    c: &CommunityRow,
    post_ap_id: &str,
    totals: &[(String, i64)],
    voters: i64,
    counted_at: i64,
) -> DomainResult<()> {
    if let Some(p) = state
        .store
        .post_by_ap_id(post_ap_id)
        .await?
        .filter(|p| p.community_id == c.id)
    {
        state
            .store
            .set_poll_totals(p.id, totals, voters, counted_at)
            .await?;
    }
    Ok(())
}

/// The options a voter chose in a poll, as this node holds them.
pub async fn choices_of(state: &Ctx, poll: &Poll, voter: &str) -> DomainResult<Vec<String>> {
    Ok(state
        .store
        .poll_votes_of(poll.post.id, voter)
        .await?
        .into_iter()
        .map(|v| v.option_name)
        .collect())
}

/// Who chose each option, for a named poll (on the host, which holds every vote): option
/// name and voters' actor ids.
pub async fn voters(state: &Ctx, poll: &Poll) -> DomainResult<Vec<(String, Vec<String>)>> {
    if poll.row.anonymous == 1 {
        return Ok(Vec::new());
    }
    let votes = state.store.poll_votes(poll.post.id).await?;
    Ok(poll
        .options
        .iter()
        .map(|o| {
            let who = votes
                .iter()
                .filter(|v| v.option_name == o.name)
                .map(|v| v.voter.clone())
                .collect();
            (o.name.clone(), who)
        })
        .collect())
}

pub const NOT_DATES: &str = "only a date poll becomes a session";
pub const NO_WINNER: &str = "no one voted yet";

/// The session a date option stands for: a time option lasts two hours, a day option is a
/// morning (9:00 to 12:00, the half-day the clubs meet for); titled after the poll.
pub fn session_input(poll: &Poll, option: &str, address: &str) -> DomainResult<EventInput> {
    let bad = || DomainError::invalid("choice", Rule::DateTime);
    let (start, end) = if option.contains('T') {
        let dt: DateTime = option.parse().map_err(|_| bad())?;
        let end = dt
            .checked_add(jiff::Span::new().hours(2))
            .map_err(|_| bad())?;
        (dt, end)
    } else {
        let d: Date = option.parse().map_err(|_| bad())?;
        (d.at(9, 0, 0, 0), d.at(12, 0, 0, 0))
    };
    let fmt = |t: DateTime| t.strftime("%Y-%m-%dT%H:%M").to_string();
    Ok(EventInput {
        title: poll.post.title.clone(),
        description: format!("Date choisie par le sondage « {} ».", poll.post.title),
        kind: "seance".into(),
        start: fmt(start),
        end: fmt(end),
        address: address.into(),
        ..Default::default()
    })
}

/// An animateur turns the leading option of a date poll into a session of its community
/// at `address` (the session rules decide who may: the host's animateurs; a place is
/// required as for any session).
pub async fn schedule(
    state: &Ctx,
    account: &Account,
    post: &PostRow,
    address: &str,
) -> DomainResult<EventRow> {
    let poll = of_post(state, post).await?.or_not_found("poll")?;
    let c = posts::community(state, post).await?;
    require_animateur(state, &c, account).await?;
    if poll.row.dates == 0 {
        return Err(DomainError::Conflict(NOT_DATES.into()));
    }
    let leader = poll
        .leader()
        .ok_or(DomainError::Conflict(NO_WINNER.into()))?;
    let input = session_input(&poll, &leader.name, address)?;
    events::create(state, account, &c, &input)
        .await?
        .into_iter()
        .next()
        .ok_or(DomainError::Internal("no session created".into()))
}

/// The polls of a community, newest first, for its members.
pub async fn list(state: &Ctx, account: &Account, c: &CommunityRow) -> DomainResult<Vec<Poll>> {
    let threads = posts::threads_of_category(state, account, c, "sondage").await?;
    let mut out = Vec::new();
    for t in &threads {
        if let Some(p) = of_post(state, t).await? {
            out.push(p);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_dates_are_checked() {
        let o = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let end = "2099-01-01T12:00";
        let p = PollSpec::parse(
            &o(&["Oui", " Non ", ""]),
            false,
            false,
            "",
            false,
            end,
            "UTC",
        )
        .expect("poll");
        assert_eq!(p.options, ["Oui", "Non"]);
        assert!(PollSpec::parse(&o(&["Oui"]), false, false, "", false, end, "UTC").is_err());
        assert!(PollSpec::parse(&o(&["a", "a"]), false, false, "", false, end, "UTC").is_err());
        assert!(
            PollSpec::parse(
                &o(&["a", "b"]),
                false,
                false,
                "",
                false,
                "2001-01-01T00:00",
                "UTC"
            )
            .is_err()
        );
        assert!(
            PollSpec::parse(
                &o(&["a", "b"]),
                false,
                false,
                "sometimes",
                false,
                end,
                "UTC"
            )
            .is_err()
        );
        let d = PollSpec::parse(
            &o(&["2027-03-12 14:00", "2027-03-19"]),
            true,
            true,
            "after_vote",
            true,
            end,
            "Europe/Paris",
        )
        .expect("date poll");
        assert_eq!(d.options, ["2027-03-12T14:00", "2027-03-19"]);
        assert!(
            PollSpec::parse(
                &o(&["mardi", "2027-03-19"]),
                false,
                false,
                "",
                true,
                end,
                "UTC"
            )
            .is_err()
        );
    }
}
