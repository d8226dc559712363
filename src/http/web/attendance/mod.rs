//! Attendance pages: the animateur's attendance form, the printable sign-in sheet and
//! participants list, the agent's attestation de participation and « Mes formations
//! inter-institutions », and the session's report (« compte rendu »).

mod pages;
mod prints;
mod report;
mod views;

pub use pages::{mark, show, trainings};
pub use prints::{attestation, participants, participants_csv, sign_in_sheet};
pub use report::{publish_report, report_form};
