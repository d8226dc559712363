//! The action plan to take away: a printable page to hand to management, and a CSV export.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, web};

use super::views::{PrintPage, astrings, day, views};
use crate::http::auth::WebSession;
use crate::http::web::communities::community;
use crate::http::web::{Layout, WebResult, html};
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

/// A cell as a spreadsheet will read it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return) gets a leading `'`, so that an item titled `=HYPERLINK(…)`
/// stays text on the management's computer (OWASP "CSV injection").
fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// The plan as CSV for a spreadsheet. French Excel expects `;` between fields (the comma is
/// its decimal separator) and reads a file as UTF-8 only when it starts with a BOM; without
/// both, accents and columns come out wrong. LibreOffice and the `csv` crate read it as well.
#[get("/communities/{handle}/plan.csv")]
pub async fn csv(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let a = astrings(&state);
    let items = views(&state, &session.0, &c).await?;
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let internal = |e: ::csv::Error| crate::domain::DomainError::Internal(e.to_string());
    w.write_record([
        a.title,
        a.status,
        a.owner,
        a.due_on,
        a.escalated_on,
        a.escalate_to,
        a.description,
    ])
    .map_err(internal)?;
    for i in &items {
        w.write_record([
            cell(&i.title),
            cell(i.status_label),
            cell(&i.owner),
            cell(&i.due),
            cell(&i.escalated_on),
            cell(&i.escalated_to),
            cell(&i.source),
        ])
        .map_err(internal)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| crate::domain::DomainError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"plan-action-{}.csv\"", c.slug),
        ))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_stay_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("Badges"), "Badges");
        assert_eq!(day("2027-01-31", "fr"), "31/01/2027");
    }
}
