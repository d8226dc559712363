//! CSV files for French Excel, one function for every export (the action plan, a session's
//! participants): `;` between fields, a UTF-8 BOM, and cells that look like formulas kept as
//! text.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::domain::DomainError;
use crate::http::web::WebResult;

/// A cell as a spreadsheet will read it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return) gets a leading `'`, so that an item titled `=HYPERLINK(…)`
/// stays text on the management's computer (OWASP "CSV injection").
pub fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// A CSV download named `filename`. French Excel expects `;` between fields (the comma is
/// its decimal separator) and reads a file as UTF-8 only when it starts with a BOM; without
/// both, accents and columns come out wrong. LibreOffice and the `csv` crate read it as well.
/// Every cell of `rows` goes through [`cell`].
pub fn download(filename: &str, header: &[&str], rows: &[Vec<String>]) -> WebResult<HttpResponse> {
    let internal = |e: ::csv::Error| DomainError::Internal(e.to_string());
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    w.write_record(header).map_err(internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| cell(c)))
            .map_err(internal)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
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
    }
}
