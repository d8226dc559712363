//! A file upload (`multipart/form-data`) read into memory up to a size limit, for the web
//! form and the API alike. Past the limit the rest is read and dropped, so the client gets
//! an answer rather than a reset connection, up to a hard bound (then: malformed).

use actix_multipart::Multipart;
use futures_util::StreamExt;

/// What the form sent: its CSRF token, the file's name and bytes (None when over `max`).
pub struct Upload {
    pub csrf: String,
    pub name: String,
    pub bytes: Option<Vec<u8>>,
}

/// Reads the form. Past the limit the rest of the file is read and dropped (so the browser
/// gets the answer rather than a reset connection), up to a hard bound.
pub async fn read_upload(mut form: Multipart, max: usize) -> Option<Upload> {
    let hard = max.saturating_mul(2).saturating_add(1024 * 1024);
    let mut seen = 0usize;
    let mut up = Upload {
        csrf: String::new(),
        name: String::new(),
        bytes: Some(Vec::new()),
    };
    while let Some(field) = form.next().await {
        let mut field = field.ok()?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            up.name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_owned();
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.ok()?;
            seen = seen.saturating_add(chunk.len());
            if seen > hard {
                return None;
            }
            if name == "file" {
                match &mut up.bytes {
                    Some(b) if b.len() + chunk.len() <= max => b.extend_from_slice(&chunk),
                    _ => up.bytes = None,
                }
            } else if value.len() < 1024 {
                value.extend_from_slice(&chunk);
            }
        }
        if name == "csrf_token" {
            up.csrf = String::from_utf8_lossy(&value).into_owned();
        }
    }
    Some(up)
}
