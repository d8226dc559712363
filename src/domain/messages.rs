//! Private messages between persons across approved nodes: written here and sent only to
//! their recipients' nodes, received from an approved peer when addressed to one of our
//! agents, grouped in conversations by their participants, deletable by their author, never
//! indexed for search, and refused when the recipient accepts only their institution's.

use sha2::{Digest, Sha256};

use super::accounts::{Account, actor_of};
use super::changes::{Change, MessageChange};
use super::error::{DomainError, DomainResult, OrNotFound};
use super::notifications::{self, kind};
use super::{Ctx, Rule, names};
use crate::db::{ActorRow, ConversationRow, MessageRow, NewMessage, now_ms};

/// Longest message, in characters.
pub const MAX_CHARS: usize = 5000;
/// Most participants in one conversation: a message is a conversation, not a mailing list.
pub const MAX_PARTICIPANTS: usize = 20;

/// A conversation as its reader sees it.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub key: String,
    /// The other participants (their actor ids).
    pub others: Vec<String>,
    pub last_at: i64,
    pub count: i64,
}

/// The key of the conversation between these persons, and their sorted list (one id a line):
/// the same on every node, so that each groups the same messages without a protocol field.
pub fn conversation_of(participants: &[String]) -> (String, String) {
    let mut sorted: Vec<&str> = participants.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let joined = sorted.join("\n");
    let digest = Sha256::digest(joined.as_bytes());
    let key = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    (key, joined)
}

fn others_of(participants: &str, me: &str) -> Vec<String> {
    participants
        .lines()
        .filter(|p| *p != me)
        .map(str::to_owned)
        .collect()
}

fn validated_text(text: &str) -> DomainResult<String> {
    let text = names::text("content", text, MAX_CHARS)?;
    if text.is_empty() {
        return Err(DomainError::invalid(
            "content",
            Rule::Length {
                min: 1,
                max: MAX_CHARS,
            },
        ));
    }
    Ok(text)
}

/// Writes to the persons `to` names (`user@authority` or actor URLs, separated by commas or
/// spaces): agents of this node or of approved peers.
pub async fn send(ctx: &Ctx, account: &Account, to: &str, text: &str) -> DomainResult<MessageRow> {
    let text = validated_text(text)?;
    let me = actor_of(ctx, account).await?;
    let mut recipients: Vec<ActorRow> = Vec::new();
    for handle in to
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|h| !h.is_empty())
    {
        let handle = handle.trim_start_matches('@');
        // A bare name is an agent of this node, as the directory shows them.
        let them = if handle.contains('@') || handle.contains("://") {
            ctx.remote.resolve(ctx, handle).await?
        } else {
            let full = format!("{handle}@{}", ctx.config.authority);
            ctx.remote.resolve(ctx, &full).await?
        };
        if them.kind != "Person" {
            return Err(DomainError::invalid("to", Rule::Choice));
        }
        if them.id != me.id && !recipients.iter().any(|r| r.id == them.id) {
            recipients.push(them);
        }
    }
    if recipients.is_empty() {
        return Err(DomainError::invalid(
            "to",
            Rule::Length {
                min: 1,
                max: MAX_PARTICIPANTS,
            },
        ));
    }
    write(ctx, &me, recipients, &text, None).await
}

/// Answers in a conversation the agent takes part in.
pub async fn reply(
    ctx: &Ctx,
    account: &Account,
    conversation: &str,
    text: &str,
) -> DomainResult<MessageRow> {
    let text = validated_text(text)?;
    let me = actor_of(ctx, account).await?;
    let last = ctx
        .store
        .conversation_messages(conversation, &me.ap_id)
        .await?
        .pop()
        .or_not_found("conversation")?;
    let mut recipients = Vec::new();
    for id in others_of(&last.participants, &me.ap_id) {
        recipients.push(ctx.remote.actor(ctx, &id).await?);
    }
    write(ctx, &me, recipients, &text, Some(&last.ap_id)).await
}

async fn write(
    ctx: &Ctx,
    me: &ActorRow,
    recipients: Vec<ActorRow>,
    text: &str,
    in_reply_to: Option<&str>,
) -> DomainResult<MessageRow> {
    if recipients.len() + 1 > MAX_PARTICIPANTS {
        return Err(DomainError::invalid(
            "to",
            Rule::Length {
                min: 1,
                max: MAX_PARTICIPANTS - 1,
            },
        ));
    }
    for r in recipients.iter().filter(|r| r.is_local == 0) {
        if !ctx.remote.approved(ctx, &r.authority).await? {
            return Err(DomainError::Forbidden(
                "messages go only to agents of an approved peer",
            ));
        }
    }
    let mut participants: Vec<String> = recipients.iter().map(|r| r.ap_id.clone()).collect();
    participants.push(me.ap_id.clone());
    let (key, joined) = conversation_of(&participants);
    let readers: Vec<String> = joined.lines().map(str::to_owned).collect();
    let ap_id = format!("{}/messages/{}", me.ap_id, uuid::Uuid::now_v7());
    let html = format!(
        "<p>{}</p>",
        super::markdown::escape_text(text).replace('\n', "<br>")
    );
    ctx.store
        .insert_message(&NewMessage {
            ap_id: &ap_id,
            conversation: &key,
            participants: &joined,
            author: &me.ap_id,
            authority: &me.authority,
            content_html: &html,
            in_reply_to,
            published_at: now_ms(),
            readers: &readers,
        })
        .await?;
    let message = ctx
        .store
        .message_for(&ap_id, &me.ap_id)
        .await
        .or_not_found("message")?;
    for r in recipients.iter().filter(|r| r.is_local == 1) {
        notifications::send(ctx, r.id, kind::MESSAGE, &me.ap_id, None, Some(&ap_id)).await;
    }
    let change = MessageChange::Sent {
        message: message.clone(),
        author: me.clone(),
        recipients,
    };
    ctx.publisher.publish(ctx, Change::Message(change)).await?;
    Ok(message)
}

/// The agent's conversations, the most recent first.
pub async fn conversations(ctx: &Ctx, account: &Account) -> DomainResult<Vec<Conversation>> {
    let me = actor_of(ctx, account).await?;
    let rows: Vec<ConversationRow> = ctx.store.conversations_of(&me.ap_id).await?;
    Ok(rows
        .into_iter()
        .map(|c| Conversation {
            others: others_of(&c.participants, &me.ap_id),
            key: c.conversation,
            last_at: c.last_at,
            count: c.count,
        })
        .collect())
}

/// The messages of one of the agent's conversations, oldest first (404 for anyone else).
pub async fn conversation(
    ctx: &Ctx,
    account: &Account,
    key: &str,
) -> DomainResult<(Conversation, Vec<MessageRow>)> {
    let me = actor_of(ctx, account).await?;
    let messages = ctx.store.conversation_messages(key, &me.ap_id).await?;
    let last = messages.last().or_not_found("conversation")?;
    let c = Conversation {
        key: key.to_owned(),
        others: others_of(&last.participants, &me.ap_id),
        last_at: last.published_at,
        count: messages.len() as i64,
    };
    Ok((c, messages))
}

/// Deletes a message the agent wrote, here and on its recipients' nodes.
pub async fn delete(ctx: &Ctx, account: &Account, ap_id: &str) -> DomainResult<MessageRow> {
    let me = actor_of(ctx, account).await?;
    let message = ctx
        .store
        .message_for(ap_id, &me.ap_id)
        .await
        .or_not_found("message")?;
    if message.author != me.ap_id {
        return Err(DomainError::Forbidden(
            "only its author may delete a message",
        ));
    }
    ctx.store.delete_message_of(ap_id, &me.ap_id).await?;
    let mut recipients = Vec::new();
    for id in others_of(&message.participants, &me.ap_id) {
        if let Some(a) = ctx.store.actor_by_ap_id(&id).await? {
            recipients.push(a);
        }
    }
    let change = MessageChange::Deleted {
        message: message.clone(),
        author: me,
        recipients,
    };
    ctx.publisher.publish(ctx, Change::Message(change)).await?;
    Ok(message)
}

/// Whether the agent accepts messages only from agents of this node (their institution).
pub async fn institution_only(ctx: &Ctx, account: &Account) -> DomainResult<bool> {
    Ok(ctx.store.messages_institution_only(account.id).await?)
}

pub async fn set_institution_only(ctx: &Ctx, account: &Account, only: bool) -> DomainResult<()> {
    Ok(ctx
        .store
        .set_messages_institution_only(account.id, only)
        .await?)
}

/// A message written on another node, its HTML not yet sanitised.
#[derive(Debug, Clone)]
pub struct RemoteMessage {
    pub id: String,
    pub content_html: String,
    pub in_reply_to: Option<String>,
    pub published_at: Option<i64>,
    /// Everyone it is addressed to (`to`, `cc`, mentions).
    pub addressees: Vec<String>,
}

/// Stores a message `author` (a person of an approved peer, checked by the caller) wrote to
/// persons among whom are agents of this node; false when none of them is ours. Refused when
/// every agent of ours it names accepts only their institution's messages.
pub async fn receive(ctx: &Ctx, author: &ActorRow, m: &RemoteMessage) -> DomainResult<bool> {
    let mut participants: Vec<String> = m.addressees.clone();
    participants.push(author.ap_id.clone());
    let (key, joined) = conversation_of(&participants);
    if joined.lines().count() > MAX_PARTICIPANTS {
        return Err(DomainError::Forbidden(
            "too many participants for a private message",
        ));
    }
    let mut readers = Vec::new();
    let mut notified = Vec::new();
    let mut refused = 0;
    for p in joined.lines() {
        match ctx.store.actor_by_ap_id(p).await? {
            Some(a) if a.is_local == 1 && a.kind == "Person" => {
                let outside = author.authority != ctx.config.authority;
                if outside && ctx.store.actor_refuses_outside_messages(a.id).await? {
                    refused += 1;
                    continue;
                }
                notified.push(a.id);
                readers.push(p.to_owned());
            }
            Some(a) if a.is_local == 1 => {}
            _ => readers.push(p.to_owned()),
        }
    }
    if notified.is_empty() {
        if refused > 0 {
            return Err(DomainError::Forbidden(
                "this agent accepts private messages only from their institution",
            ));
        }
        return Ok(false);
    }
    let fresh = ctx
        .store
        .insert_message(&NewMessage {
            ap_id: &m.id,
            conversation: &key,
            participants: &joined,
            author: &author.ap_id,
            authority: &author.authority,
            content_html: &super::notes::sanitize(&m.content_html),
            in_reply_to: m.in_reply_to.as_deref(),
            published_at: m.published_at.unwrap_or_else(now_ms),
            readers: &readers,
        })
        .await?;
    if fresh {
        for id in notified {
            notifications::send(ctx, id, kind::MESSAGE, &author.ap_id, None, Some(&m.id)).await;
        }
    }
    Ok(true)
}

/// `actor` deleted message `id`: removed when it is theirs; false otherwise (a message of
/// another is never touched, and the sender is not told which).
pub async fn receive_delete(ctx: &Ctx, actor: &str, id: &str) -> DomainResult<bool> {
    Ok(ctx.store.delete_message_of(id, actor).await?)
}

#[cfg(test)]
mod tests {
    use super::conversation_of;

    #[test]
    fn the_conversation_key_ignores_order_and_repeats() {
        let a = conversation_of(&["https://b/u/x".into(), "https://a/u/y".into()]);
        let b = conversation_of(&[
            "https://a/u/y".into(),
            "https://b/u/x".into(),
            "https://a/u/y".into(),
        ]);
        assert_eq!(a, b);
        assert_eq!(a.1, "https://a/u/y\nhttps://b/u/x");
        assert_ne!(a.0, conversation_of(&["https://a/u/y".into()]).0);
    }
}
