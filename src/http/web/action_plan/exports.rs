//! The action plan to take away: a printable page to hand to management, and a CSV export.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::views::{PrintPage, astrings, day, views};
use crate::http::auth::WebSession;
use crate::http::web::communities::community;
use crate::http::web::{Layout, WebResult, excel_csv, html};
use crate::state::AppState;

/// A page to print and hand to management: no navigation, every item with its status,
/// owner, due date and escalation.
#[get("/communities/{handle}/plan/print")]
pub async fn print(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let items = views(&state, &session.0, &c).await?;
    let lang = Layout::strings(&state).lang;
    let today = jiff::Zoned::now().date().to_string();
    html(
        StatusCode::OK,
        PrintPage {
            a: astrings(&state),
            lang,
            community: c.name.clone(),
            institution: state.config.institution_name.clone(),
            date: day(&today, lang),
            items,
        },
    )
}

/// The plan as CSV for a spreadsheet, with French Excel's conventions (`excel_csv`).
#[get("/communities/{handle}/plan.csv")]
pub async fn csv(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let a = astrings(&state);
    let items = views(&state, &session.0, &c).await?;
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.title.clone(),
                i.status_label.to_owned(),
                i.owner.clone(),
                i.due.clone(),
                i.escalated_on.clone(),
                i.escalated_to.clone(),
                i.source.clone(),
            ]
        })
        .collect();
    excel_csv::download(
        &format!("plan-action-{}.csv", c.slug),
        &[
            a.title,
            a.status,
            a.owner,
            a.due_on,
            a.escalated_on,
            a.escalate_to,
            a.description,
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_the_french_way() {
        assert_eq!(day("2027-01-31", "fr"), "31/01/2027");
    }
}
