//! An admin's CSV file, whatever Excel or a stranger made of it: parsing never panics, every
//! line is either imported or refused with its number and a reason, and no imported cell is a
//! formula a spreadsheet would run on export.
#![no_main]

use entrepairs::domain::account_import::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(lines) = parse(data) else {
        return;
    };
    for line in lines {
        match line {
            Ok(l) => {
                assert!(l.line >= 2, "a data line numbered {} (the header is line 1)", l.line);
                for cell in [&l.email, &l.first_name, &l.last_name, &l.job_title, &l.service] {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@']),
                        "formula cell imported: {cell:?}"
                    );
                }
            }
            Err(r) => {
                assert!(r.line >= 2, "a refusal numbered {}", r.line);
                assert!(!r.reason.is_empty(), "a refusal without a reason");
            }
        }
    }
});
