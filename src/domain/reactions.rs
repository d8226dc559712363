//! Reactions on threads, replies and resources: « Merci », « +1 », « Bravo ». Members only,
//! once per agent, object and kind. The community's host keeps every member's reaction and
//! its group announces each one, so every member's node shows the same counts; members'
//! nodes store what the group announced.

use std::collections::HashMap;

use super::accounts::{Account, actor_of};
use super::changes::{Change, ReactionChange};
use super::communities::require_member;
use super::{Ctx, DomainError, DomainResult};
use crate::db::{CommunityRow, NewReaction, ReactionRow, now_ms};

/// The three reactions, in the order pages show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reaction {
    /// A `Like`: what Mastodon's favourite and Lemmy's upvote send.
    Merci,
    /// An `EmojiReact` with 👍.
    PlusOne,
    /// An `EmojiReact` with 👏.
    Bravo,
}

pub const ALL: [Reaction; 3] = [Reaction::Merci, Reaction::PlusOne, Reaction::Bravo];

pub const ALREADY: &str = "this agent already reacted so to this object";
pub const NOT_REACTED: &str = "this agent had not reacted so to this object";

impl Reaction {
    /// What is stored and what forms send.
    pub fn as_str(self) -> &'static str {
        match self {
            Reaction::Merci => "merci",
            Reaction::PlusOne => "plus1",
            Reaction::Bravo => "bravo",
        }
    }

    pub fn parse(raw: &str) -> Option<Reaction> {
        ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The emoji an `EmojiReact` carries (`None`: a `Like`).
    pub fn emoji(self) -> Option<&'static str> {
        match self {
            Reaction::Merci => None,
            Reaction::PlusOne => Some("👍"),
            Reaction::Bravo => Some("👏"),
        }
    }

    /// The reaction an incoming activity means: a `Like`, or an `EmojiReact` whose content
    /// is one of ours (with or without the variation selector); others are not counted.
    pub fn from_activity(kind: &str, content: Option<&str>) -> Option<Reaction> {
        match kind {
            "Like" => Some(Reaction::Merci),
            "EmojiReact" => match content.map(|c| c.trim().trim_end_matches('\u{fe0f}')) {
                Some("👍" | "+1") => Some(Reaction::PlusOne),
                Some("👏") => Some(Reaction::Bravo),
                Some("🙏") => Some(Reaction::Merci),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The community an object (a post or a resource) belongs to.
async fn community_of_object(ctx: &Ctx, object: &str) -> DomainResult<CommunityRow> {
    let community_id = match ctx.store.post_by_ap_id(object).await? {
        Some(p) => p.community_id,
        None => match ctx.store.resource_by_ap_id(object).await? {
            Some(r) => r.community_id,
            None => return Err(DomainError::NotFound("post or resource")),
        },
    };
    ctx.store
        .community_by_id(community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))
}

/// One of our agents reacts to `object`: a member of its community, once per kind.
pub async fn react(ctx: &Ctx, account: &Account, object: &str, kind: Reaction) -> DomainResult<()> {
    let community = community_of_object(ctx, object).await?;
    require_member(ctx, &community, account).await?;
    let actor = actor_of(ctx, account).await?;
    let ap_id = ctx.urls.new_activity();
    let stored = ctx
        .store
        .insert_reaction(&NewReaction {
            community_id: community.id,
            object,
            actor: &actor.ap_id,
            kind: kind.as_str(),
            ap_id: &ap_id,
            at: now_ms(),
        })
        .await?;
    if !stored {
        return Err(DomainError::Conflict(ALREADY.into()));
    }
    let change = ReactionChange::Added {
        community,
        actor,
        object: object.to_owned(),
        kind,
        ap_id,
    };
    ctx.publisher.publish(ctx, Change::Reaction(change)).await
}

/// One of our agents takes back their reaction `kind` to `object`.
pub async fn unreact(
    ctx: &Ctx,
    account: &Account,
    object: &str,
    kind: Reaction,
) -> DomainResult<()> {
    let community = community_of_object(ctx, object).await?;
    require_member(ctx, &community, account).await?;
    let actor = actor_of(ctx, account).await?;
    let ap_id = ctx
        .store
        .reaction_of(object, &actor.ap_id, kind.as_str())
        .await?
        .ok_or_else(|| DomainError::Conflict(NOT_REACTED.into()))?;
    ctx.store.delete_reaction(&ap_id, &actor.ap_id).await?;
    let change = ReactionChange::Removed {
        community,
        actor,
        object: object.to_owned(),
        kind,
        ap_id,
    };
    ctx.publisher.publish(ctx, Change::Reaction(change)).await
}

/// A reaction that arrived for community `c` (on the host, from a member whose membership
/// the inbox checked; on a member's node, announced by the group): the object must be of
/// that community. True when it was new (the host then announces it); a second reaction of
/// the same kind by the same agent is refused.
pub async fn receive(
    ctx: &Ctx,
    c: &CommunityRow,
    actor: &str,
    object: &str,
    kind: Reaction,
    ap_id: &str,
) -> DomainResult<bool> {
    let community = community_of_object(ctx, object).await?;
    if community.id != c.id {
        return Err(DomainError::Forbidden(
            "the object is not of this community",
        ));
    }
    let stored = ctx
        .store
        .insert_reaction(&NewReaction {
            community_id: c.id,
            object,
            actor,
            kind: kind.as_str(),
            ap_id,
            at: now_ms(),
        })
        .await?;
    if !stored && c.is_local == 1 {
        // The same activity delivered twice is acknowledged; another one is a double.
        let known = ctx.store.reaction_of(object, actor, kind.as_str()).await?;
        if known.as_deref() != Some(ap_id) {
            return Err(DomainError::Conflict(ALREADY.into()));
        }
    }
    Ok(stored)
}

/// An `Undo` of reaction `ap_id` by `actor`: true when one was removed.
pub async fn receive_undo(ctx: &Ctx, actor: &str, ap_id: &str) -> DomainResult<bool> {
    Ok(ctx.store.delete_reaction(ap_id, actor).await?.is_some())
}

/// The reactions of one kind on one object, as pages show them.
#[derive(Debug, Clone)]
pub struct Count {
    pub kind: Reaction,
    pub count: usize,
    pub mine: bool,
    pub names: Vec<String>,
}

/// For each object of community `c` that has reactions: the three counts, whether `me`
/// (an actor id) is among them, and who reacted.
pub async fn counts(
    ctx: &Ctx,
    c: &CommunityRow,
    me: &str,
) -> DomainResult<HashMap<String, Vec<Count>>> {
    let rows: Vec<ReactionRow> = ctx.store.community_reactions(c.id).await?;
    let mut out: HashMap<String, Vec<Count>> = HashMap::new();
    for r in rows {
        let Some(kind) = Reaction::parse(&r.kind) else {
            continue;
        };
        let counts = out.entry(r.object_ap_id.clone()).or_insert_with(|| {
            ALL.iter()
                .map(|&kind| Count {
                    kind,
                    count: 0,
                    mine: false,
                    names: Vec::new(),
                })
                .collect()
        });
        if let Some(slot) = counts.iter_mut().find(|x| x.kind == kind) {
            slot.count += 1;
            slot.mine |= r.actor_ap_id == me;
            slot.names.push(if r.name.is_empty() {
                // An agent this node never met: their username, never an address.
                r.actor_ap_id
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                r.name.clone()
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::Reaction;

    #[test]
    fn likes_and_our_emoji_count_and_other_emoji_do_not() {
        assert_eq!(Reaction::from_activity("Like", None), Some(Reaction::Merci));
        assert_eq!(
            Reaction::from_activity("EmojiReact", Some("👍\u{fe0f}")),
            Some(Reaction::PlusOne)
        );
        assert_eq!(
            Reaction::from_activity("EmojiReact", Some("👏")),
            Some(Reaction::Bravo)
        );
        assert_eq!(Reaction::from_activity("EmojiReact", Some("🎉")), None);
        assert_eq!(Reaction::from_activity("Dislike", None), None);
        assert_eq!(Reaction::parse("plus1"), Some(Reaction::PlusOne));
        assert_eq!(Reaction::parse("PLUS1"), None);
    }
}
