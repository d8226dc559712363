//! « Mes notifications » (`/profile/notifications`): the agent's choices of what reaches them
//! by mail, and when; the same domain function as `PUT /api/v1/me/notifications` saves them.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use super::i18n::notify::{NotifyStrings, strings};
use super::{FieldErrors, Layout, WebResult, html};
use crate::domain::DomainError;
use crate::domain::notification_delivery::{Digest, Mode, PREF_KINDS};
use crate::domain::notification_prefs::{self, NotificationPrefs, QuietHours};
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notification_prefs.html")]
struct Page {
    layout: Layout,
    n: &'static NotifyStrings,
    sends: bool,
    kinds: Vec<KindRow>,
    digest: &'static str,
    quiet_start: String,
    quiet_end: String,
    quiet_weekends: bool,
    communities: Vec<CommunityRow>,
    saved: bool,
    errors: FieldErrors,
}

struct KindRow {
    key: &'static str,
    label: &'static str,
    mode: &'static str,
}

struct CommunityRow {
    handle: String,
    name: String,
    muted: bool,
}

async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    prefs: NotificationPrefs,
    saved: bool,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let n = strings(crate::http::web::language::current(&state.config.locale));
    let communities = state
        .store
        .communities_of(session.account.actor_id, "accepted")
        .await
        .map_err(DomainError::from)?
        .into_iter()
        .map(|c| CommunityRow {
            muted: prefs.muted_communities.contains(&c.handle()),
            handle: c.handle(),
            name: c.name,
        })
        .collect();
    html(
        status,
        Page {
            layout: Layout::new(state, Some(session), n.title, "profile"),
            n,
            sends: state.mail.sends() || state.config.mail.demo,
            kinds: PREF_KINDS
                .iter()
                .map(|k| KindRow {
                    key: k,
                    label: n.kind_label(k),
                    mode: prefs.kinds.get(*k).copied().unwrap_or(Mode::Now).as_str(),
                })
                .collect(),
            digest: prefs.digest.as_str(),
            quiet_start: prefs.quiet_hours.start,
            quiet_end: prefs.quiet_hours.end,
            quiet_weekends: prefs.quiet_hours.weekends,
            communities,
            saved,
            errors,
        },
    )
}

#[get("/profile/notifications")]
pub async fn page(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let prefs = notification_prefs::show(&state, &session.0.account).await?;
    render(
        &state,
        &session.0,
        StatusCode::OK,
        prefs,
        false,
        FieldErrors::default(),
    )
    .await
}

/// The form's fields (`kind.<key>`, `digest`, `quiet_start`, `quiet_end`, `quiet_weekends`,
/// `mute.<community>`) as the domain's input; an unknown mode or rhythm is refused there.
fn input_of(form: &HashMap<String, String>) -> Result<NotificationPrefs, &'static str> {
    let mut kinds = BTreeMap::new();
    for (field, value) in form {
        if let Some(key) = field.strip_prefix("kind.") {
            kinds.insert(key.to_owned(), Mode::parse(value).ok_or("kinds")?);
        }
    }
    let digest = Digest::parse(form.get("digest").map_or("", String::as_str)).ok_or("digest")?;
    let mut muted: Vec<String> = form
        .keys()
        .filter_map(|f| f.strip_prefix("mute."))
        .map(str::to_owned)
        .collect();
    muted.sort();
    Ok(NotificationPrefs {
        kinds,
        digest,
        quiet_hours: QuietHours {
            start: form.get("quiet_start").cloned().unwrap_or_default(),
            end: form.get("quiet_end").cloned().unwrap_or_default(),
            weekends: form.contains_key("quiet_weekends"),
        },
        muted_communities: muted,
    })
}

#[post("/profile/notifications")]
pub async fn save(
    state: web::Data<AppState>,
    form: SessionForm<HashMap<String, String>>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let n = strings(crate::http::web::language::current(&state.config.locale));
    let account = &session.account;
    let refused = |field: &'static str, message: &str| FieldErrors::single(field, message);
    let outcome = match input_of(&data) {
        Err(field) => Err(refused(field, n.bad_choice)),
        Ok(input) => match notification_prefs::save(&state, account, &input).await {
            Ok(saved) => Ok(saved),
            Err(DomainError::Invalid { field, .. }) => {
                let message = match field {
                    "quiet_hours.start" | "quiet_hours.end" => n.bad_time,
                    "muted_communities" => n.not_member,
                    _ => n.bad_choice,
                };
                Err(refused(field, message))
            }
            Err(e) => return Err(e.into()),
        },
    };
    match outcome {
        Ok(prefs) => {
            render(
                &state,
                &session,
                StatusCode::OK,
                prefs,
                true,
                FieldErrors::default(),
            )
            .await
        }
        Err(errors) => {
            // Shown as stored: nothing of the refused form was written.
            let prefs = notification_prefs::show(&state, account).await?;
            render(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                prefs,
                false,
                errors,
            )
            .await
        }
    }
}
