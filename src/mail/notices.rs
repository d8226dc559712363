//! Notification mail: the [`Messenger`] the domain tells (`domain::notifications::send`, after
//! the agent's preferences chose now or the end of the quiet hours). Writes the message in the
//! node's language, with an absolute link to where the agent acts and a one-click unsubscribe
//! link for that kind only, and queues it due when the domain said.

use std::sync::Arc;

use super::messages::{Parts, write};
use super::outbox::{Mailer, queue_at};
use crate::domain::notification_delivery::pref_key;
use crate::domain::notifications::kind;
use crate::domain::ports::{Messenger, Notice, PortFuture};
use crate::domain::{Ctx, DomainError, DomainResult, events, unsubscribe};
use crate::http::web::i18n::notify::strings;

/// Queues notification mail in the outbox and wakes the node's mail worker.
pub struct MailMessenger {
    mailer: Arc<Mailer>,
}

impl MailMessenger {
    pub fn new(mailer: Arc<Mailer>) -> Self {
        MailMessenger { mailer }
    }
}

impl Messenger for MailMessenger {
    fn notify<'a>(&'a self, ctx: &'a Ctx, notice: Notice) -> PortFuture<'a, ()> {
        Box::pin(async move { queue_notice(ctx, &self.mailer, &notice).await })
    }
}

/// The page where the agent acts on a notice, relative to the node.
pub(super) async fn target_path(ctx: &Ctx, notice: &Notice) -> DomainResult<String> {
    let store = &ctx.store;
    let community = match notice.community_id {
        Some(id) => store.community_by_id(id).await?,
        None => None,
    };
    let in_community = |suffix: &str| {
        community
            .as_ref()
            .map(|c| format!("/communities/{}{suffix}", c.handle()))
    };
    let found = match (notice.kind.as_str(), notice.object.as_deref()) {
        (kind::ACTION_OWNER, Some(ap)) => store
            .action_item_by_ap_id(ap)
            .await?
            .map(|i| format!("/plan/items/{}", i.id)),
        (k, Some(ap)) if k.starts_with("event_") => store
            .event_by_ap_id(ap)
            .await?
            .map(|e| format!("/sessions/{}", e.id)),
        (kind::MENTION | kind::REPLY, Some(ap)) => store
            .post_by_ap_id(ap)
            .await?
            .map(|p| format!("/discussions/{}", p.id)),
        (kind::REQUEST, _) => in_community("/members"),
        (kind::INVITED | kind::ACCEPTED | kind::REJECTED | kind::RESOURCE_REFUSED, _) => {
            in_community("")
        }
        (kind::PEER_REQUEST, _) => Some("/admin/federation".to_owned()),
        _ => None,
    };
    Ok(found.unwrap_or_else(|| "/notifications".to_owned()))
}

async fn queue_notice(ctx: &Ctx, mailer: &Mailer, notice: &Notice) -> DomainResult<()> {
    // Without a relay nothing is queued: a notice would leave, stale, the day one is set (the
    // demo keeps its mail to show it).
    if !mailer.sends() && !ctx.config.mail.demo {
        return Ok(());
    }
    let store = &ctx.store;
    let Some(account) = store.account_by_id(notice.account_id).await? else {
        return Ok(());
    };
    // An address the account holds but that is not one (old data): no mail, nothing to retry.
    let Some(to) = super::message::recipient(&account.display_name, &account.email) else {
        return Ok(());
    };
    // Her language, not the node's nor the sender's.
    let lang = crate::domain::languages::for_agent(ctx, account.id).await;
    let n = strings(lang);
    let who = match store.actor_by_ap_id(&notice.from).await? {
        Some(a) if !a.display_name.is_empty() => a.display_name,
        Some(a) => a.username,
        None => String::new(),
    };
    let subject_kind = match notice.kind.as_str() {
        events::kind::CANCELLED | events::kind::CHANGED | events::kind::SEAT => kind::REPLY,
        k => k,
    };
    let subject = n.subject(subject_kind).replace("{who}", &who);
    let base = ctx.urls.base().trim_end_matches('/').to_owned();
    let link = format!("{base}{}", target_path(ctx, notice).await?);
    let token = unsubscribe::issue(ctx, account.id, pref_key(&notice.kind)).await?;
    let unsubscribe_url = format!("{base}/unsubscribe/{token}");
    let mut before = vec![format!("{subject}.")];
    if let Some(id) = notice.community_id
        && let Some(c) = store.community_by_id(id).await?
    {
        before.push(format!("{} : {}", n.mail_in, c.name));
    }
    let after = vec![
        n.mail_why.to_owned(),
        format!("{} : {unsubscribe_url}", n.mail_unsubscribe),
        format!("{} : {base}/profile/notifications", n.unsub_manage),
    ];
    let mail = write(
        ctx,
        Parts {
            kind: "notification",
            lang,
            to,
            subject: &subject,
            before,
            action: n.mail_action,
            link: &link,
            after,
        },
    )
    .map_err(|e| DomainError::Internal(e.to_string()))?;
    queue_at(ctx, mailer, mail, notice.due_at, Some(&unsubscribe_url)).await?;
    Ok(())
}
