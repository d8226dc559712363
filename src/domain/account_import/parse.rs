//! Reading an import file: UTF-8 with or without BOM, `;` or `,`, headers matched without
//! case or accents, each line checked on its own so a bad line never hides the others.

use unicode_normalization::UnicodeNormalization;

use crate::domain::names::{self, Email};

/// A line that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    /// The line number in the file (the header is line 1).
    pub line: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: String,
    pub service: String,
    /// Community slugs, lowercased, without duplicates.
    pub communities: Vec<String>,
}

impl ImportLine {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A line refused, with its number and the reason in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: u64,
    /// What could be read of the address, for the report (may be empty).
    pub email: String,
    pub reason: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Email,
    FirstName,
    LastName,
    Job,
    Service,
    Communities,
}

const REQUIRED: [(Column, &str); 5] = [
    (Column::Email, "email"),
    (Column::FirstName, "prénom"),
    (Column::LastName, "nom"),
    (Column::Job, "métier"),
    (Column::Service, "service"),
];

/// Lowercase, accents and spaces removed: "Prénom", "PRENOM" and " prénom " are one header.
fn folded(header: &str) -> String {
    header
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn column_of(header: &str) -> Option<Column> {
    Some(match folded(header).as_str() {
        "email" | "courriel" | "mail" | "adresseemail" | "adressemail" | "adressecourriel" => {
            Column::Email
        }
        "prenom" | "firstname" | "givenname" => Column::FirstName,
        "nom" | "nomdefamille" | "lastname" | "usualname" => Column::LastName,
        "metier" | "fonction" | "jobtitle" => Column::Job,
        "service" | "direction" => Column::Service,
        "communautes" | "communaute" | "communities" => Column::Communities,
        _ => return None,
    })
}

/// `;` when the header has more of them than commas (French Excel), `,` otherwise.
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semis = first.iter().filter(|b| **b == b';').count();
    let commas = first.iter().filter(|b| **b == b',').count();
    if semis > commas { b';' } else { b',' }
}

/// A cell a spreadsheet would run as a formula (CSV injection) is refused, never imported.
fn formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Reads the whole file. `Err` is a reason that concerns the file itself (no header, a
/// required column missing, a header not in UTF-8); every other problem is one line's.
pub fn parse(bytes: &[u8]) -> Result<Vec<Result<ImportLine, Refused>>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) | None => return Err("le fichier est vide ou illisible".into()),
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    for cell in header.iter() {
        let Ok(text) = std::str::from_utf8(cell) else {
            return Err(
                "l'en-tête n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »"
                    .into(),
            );
        };
        columns.push(column_of(text));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|(c, _)| !columns.contains(&Some(*c)))
        .map(|(_, name)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "colonnes manquantes dans l'en-tête : {}",
            missing.join(", ")
        ));
    }
    let mut lines = Vec::new();
    // Line numbers are counted from byte offsets: csv's own count drifts on CRLF files.
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record of a CRLF file starts, for csv, on the LF that ends the line before.
        while bytes.get(byte).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            byte += 1;
        }
        let (from, n) = counted;
        // A line ends at LF, CRLF, or a lone CR (old Mac files), as csv reads records.
        let from = from.min(byte);
        let more = bytes[from..byte]
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                **b == b'\n' || (**b == b'\r' && bytes.get(from + i + 1) != Some(&b'\n'))
            })
            .count();
        counted = (byte.max(from), n + more as u64);
        counted.1
    };
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                lines.push(Err(Refused {
                    line,
                    email: String::new(),
                    reason: "ligne illisible (guillemets mal fermés ?)".into(),
                }));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        lines.push(read_line(line, &columns, &record));
    }
    Ok(lines)
}

fn read_line(
    line: u64,
    columns: &[Option<Column>],
    record: &csv::ByteRecord,
) -> Result<ImportLine, Refused> {
    let refuse = |email: &str, reason: String| Refused {
        line,
        email: email.to_owned(),
        reason,
    };
    let mut cells: Vec<(Column, String)> = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let Some(column) = column else { continue };
        let Some(raw) = record.get(i) else {
            if *column == Column::Communities {
                continue;
            }
            let name = REQUIRED
                .iter()
                .find(|(c, _)| c == column)
                .map_or("", |(_, n)| n);
            return Err(refuse(
                "",
                format!("colonne « {name} » manquante sur cette ligne"),
            ));
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err(refuse(
                "",
                "ligne qui n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »"
                    .into(),
            ));
        };
        cells.push((*column, text.trim().to_owned()));
    }
    let get = |c: Column| {
        cells
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let email = get(Column::Email);
    for (column, value) in &cells {
        if formula(value) {
            let name = REQUIRED
                .iter()
                .find(|(c, _)| c == column)
                .map_or("communautés", |(_, n)| n);
            return Err(refuse(
                &email,
                format!("la cellule « {name} » commence comme une formule (=, +, -, @) : refusée"),
            ));
        }
    }
    let Ok(email) = Email::parse(&email) else {
        return Err(refuse(&email, "adresse email invalide".into()));
    };
    let email = email.as_str().to_owned();
    let text = |c: Column, name: &str, min: usize, max: usize| {
        names::line("import", &get(c), min, max).map_err(|_| {
            refuse(
                &email,
                if min > 0 && get(c).is_empty() {
                    format!("« {name} » est vide")
                } else {
                    format!("« {name} » doit faire au plus {max} caractères, sur une ligne")
                },
            )
        })
    };
    let first_name = text(Column::FirstName, "prénom", 1, 40)?;
    let last_name = text(Column::LastName, "nom", 1, 40)?;
    let job_title = text(Column::Job, "métier", 0, 80)?;
    let service = text(Column::Service, "service", 0, 120)?;
    let mut communities: Vec<String> = Vec::new();
    for slug in get(Column::Communities).split([' ', ',', '|', ';']) {
        let slug = slug.trim().to_lowercase();
        if !slug.is_empty() && !communities.contains(&slug) {
            communities.push(slug);
        }
    }
    Ok(ImportLine {
        line,
        email,
        first_name,
        last_name,
        job_title,
        service,
        communities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(lines: &[Result<ImportLine, Refused>]) -> Vec<u64> {
        lines
            .iter()
            .filter_map(|l| l.as_ref().err().map(|r| r.line))
            .collect()
    }

    #[test]
    fn french_excel_files_with_a_bom_and_semicolons_are_read() {
        let file = "\u{feff}Courriel;Prénom;NOM;Métier;Service;Communautés\r\n\
                    ana@ville.fr;Ana;Lopez;Agente d'accueil;Accueil;accueil etat-civil\r\n\
                    bob@ville.fr;Bob;Martin;Agent;Accueil\r\n\
                    pas-une-adresse;A;B;C;D\r\n";
        let lines = parse(file.as_bytes()).expect("file");
        let line = lines[0].as_ref().expect("line");
        assert_eq!(line.line, 2);
        assert_eq!(line.display_name(), "Ana Lopez");
        assert_eq!(line.communities, vec!["accueil", "etat-civil"]);
        assert_eq!(refused(&lines), vec![4], "CRLF lines are counted right");
    }

    // Found by the fuzzer (tests/fuzz, import_csv): lines ended by a lone CR were all
    // numbered 1, the header's number, so the admin was sent to the wrong line.
    #[test]
    fn files_with_old_mac_line_endings_are_numbered_from_two() {
        let file = "email;prénom;nom;métier;service\rana@exemple.fr;Ana;Lopez;Accueil;Mairie\r\
                    pas-une-adresse;Bo;Li;Accueil;Mairie\r";
        let lines = parse(file.as_bytes()).expect("file");
        assert_eq!(lines[0].as_ref().expect("line").line, 2);
        assert_eq!(refused(&lines), vec![3]);
    }

    #[test]
    fn each_bad_line_is_refused_with_its_number() {
        let file = "email,prenom,nom,metier,service\n\
                    ok@ville.fr,A,B,C,D\n\
                    pas-une-adresse,A,B,C,D\n\
                    f@ville.fr,=HYPERLINK(\"x\"),B,C,D\n\
                    short@ville.fr,A,B\n\
                    \n\
                    ok2@ville.fr,A,B,C,D\n";
        let lines = parse(file.as_bytes()).expect("file");
        assert_eq!(refused(&lines), vec![3, 4, 5]);
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn a_file_without_a_required_column_is_refused_whole() {
        let err = parse(b"email;prenom;nom\na@b.fr;A;B\n").expect_err("missing");
        assert!(err.contains("métier"), "{err}");
    }

    #[test]
    fn latin1_lines_are_refused_not_garbled() {
        let mut file = b"email;prenom;nom;metier;service\n".to_vec();
        file.extend_from_slice(b"a@b.fr;H\xe9l\xe8ne;B;C;D\n");
        let lines = parse(&file).expect("file");
        let r = lines[0].as_ref().expect_err("latin-1");
        assert!(r.reason.contains("UTF-8"), "{}", r.reason);
    }
}
