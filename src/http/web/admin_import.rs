//! `/admin/accounts/import`: upload a CSV file, see the plan line by line, confirm. The file
//! waits in `data_dir/imports/` between the preview and the confirmation, under a random name.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Layout, WebError, WebResult, html};
use crate::domain::account_import::{self, Action, MAX_BYTES, Outcome, Plan};
use crate::domain::sessions::random_token;
use crate::http::auth::{AdminSession, SessionForm, check_upload_form, session_before_upload};
use crate::http::upload::read_upload;
use crate::state::AppState;

const TITLE: &str = "Importer des agents";

#[derive(Template)]
#[template(path = "admin_import.html")]
struct ImportPage {
    layout: Layout,
    error: Option<String>,
    plan: Option<PlanView>,
    outcome: Option<Outcome>,
}

struct PlanView {
    token: String,
    created: usize,
    updated: usize,
    unchanged: usize,
    refused: usize,
    /// (line, email, what, detail)
    rows: Vec<(u64, String, &'static str, String)>,
}

impl PlanView {
    fn of(plan: &Plan, token: String) -> Self {
        let rows = plan
            .lines
            .iter()
            .filter(|l| !matches!(l.action, Action::Unchanged { .. }))
            .map(|l| {
                let (what, detail) = match &l.action {
                    Action::Create { username } => ("création", username.clone()),
                    Action::Update { username, changes } => (
                        "mise à jour",
                        format!("{username} : {}", changes.join(", ")),
                    ),
                    Action::Unchanged { username } => ("inchangé", username.clone()),
                    Action::Refused { reason } => ("refusée", reason.clone()),
                };
                (l.line, l.email.clone(), what, detail)
            })
            .collect();
        PlanView {
            token,
            created: plan.created(),
            updated: plan.updated(),
            unchanged: plan.unchanged(),
            refused: plan.refused(),
            rows,
        }
    }
}

fn page(
    state: &AppState,
    admin: &crate::domain::sessions::Session,
    status: StatusCode,
    error: Option<String>,
    plan: Option<PlanView>,
    outcome: Option<Outcome>,
) -> WebResult<HttpResponse> {
    html(
        status,
        ImportPage {
            layout: Layout::new(state, Some(admin), TITLE, "admin"),
            error,
            plan,
            outcome,
        },
    )
}

fn folder(state: &AppState) -> std::path::PathBuf {
    state.config.data_dir.join("imports")
}

/// A waiting file's path, only for names this module minted (no path from the form).
fn waiting(state: &AppState, token: &str) -> Option<std::path::PathBuf> {
    let ok = !token.is_empty()
        && token.len() <= 64
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| folder(state).join(format!("{token}.csv")))
}

#[get("/admin/accounts/import")]
pub async fn show(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    page(&state, &admin.0, StatusCode::OK, None, None, None)
}

#[post("/admin/accounts/import")]
pub async fn preview(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: Multipart,
) -> WebResult<HttpResponse> {
    // Who asks is known before the body is read: an agent who is not an administrator, or
    // a request without a session, gets its answer without a byte of the file read.
    let session = session_before_upload(&req).await?;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let up = read_upload(form, MAX_BYTES)
        .await
        .ok_or(WebError::BadForm)?;
    check_upload_form(&req, &session, &up.csrf)?;
    let Some(bytes) = up.bytes else {
        let message = format!(
            "Le fichier dépasse {} Mo : découpez-le en plusieurs fichiers.",
            MAX_BYTES / (1024 * 1024)
        );
        return page(
            &state,
            &session,
            StatusCode::PAYLOAD_TOO_LARGE,
            Some(message),
            None,
            None,
        );
    };
    let plan = match account_import::plan(&state, &bytes).await? {
        Ok(p) => p,
        Err(reason) => {
            let message = format!("Fichier refusé : {reason}.");
            return page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
                None,
                None,
            );
        }
    };
    let token = random_token();
    let path = waiting(&state, &token).ok_or(WebError::BadForm)?;
    std::fs::create_dir_all(folder(&state))
        .and_then(|()| std::fs::write(&path, &bytes))
        .map_err(|e| crate::domain::DomainError::Internal(format!("import file: {e}")))?;
    page(
        &state,
        &session,
        StatusCode::OK,
        None,
        Some(PlanView::of(&plan, token)),
        None,
    )
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    token: String,
    #[serde(default)]
    invite: Option<String>,
}

#[post("/admin/accounts/import-confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    form: SessionForm<ConfirmForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let path = waiting(&state, &data.token).ok_or(WebError::NotFound)?;
    let Ok(bytes) = std::fs::read(&path) else {
        let message = "Ce fichier a déjà été importé ou n'existe plus : téléversez-le à nouveau.";
        return page(
            &state,
            &session,
            StatusCode::GONE,
            Some(message.into()),
            None,
            None,
        );
    };
    // Removed first: a second click imports nothing twice (and the import is idempotent anyway).
    let _ = std::fs::remove_file(&path);
    // The plan is made again: the node may have changed since the preview.
    let plan = match account_import::plan(&state, &bytes).await? {
        Ok(p) => p,
        Err(reason) => {
            let message = format!("Fichier refusé : {reason}.");
            return page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
                None,
                None,
            );
        }
    };
    let out = account_import::apply(
        &state,
        &session.account.username,
        &plan,
        data.invite.is_some(),
        &|_| {},
    )
    .await?;
    page(&state, &session, StatusCode::OK, None, None, Some(out))
}
