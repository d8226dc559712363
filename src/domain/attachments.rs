//! Files attached to a resource: PDF, office documents (ODT, ODS, DOCX, XLSX) and images
//! (PNG, JPEG), up to the admin's size limit. The type is read from the file's first bytes,
//! never taken from the name or the browser's word. Files are kept on the community's host,
//! in the data directory under their SHA-256, and given only to members.

use sha2::{Digest, Sha256};

use super::accounts::Account;
use super::communities::require_member;
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::resources::community_of;
use crate::db::{AttachmentRow, ResourceRow, now_ms};
use crate::domain::Ctx;

/// The allowed types, as detected from the content.
pub const ALLOWED: [&str; 7] = [
    "application/pdf",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/png",
    "image/jpeg",
];

/// Refused: the type is not one of [`ALLOWED`].
pub const FORBIDDEN_TYPE: &str =
    "this type of file is not accepted (PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG)";

/// The type of a file from its content, if it is allowed.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    ALLOWED.iter().copied().find(|m| *m == kind.mime_type())
}

/// A file name safe to show and to put in a header: no path, no control characters.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if name.trim().is_empty() {
        "fichier".into()
    } else {
        name.trim().to_owned()
    }
}

fn too_large() -> DomainError {
    DomainError::invalid("file", Rule::TooLong)
}

/// The size limit, to check an upload while it is read.
pub fn max_bytes(state: &Ctx) -> usize {
    usize::try_from(state.config.attachments_max_bytes).unwrap_or(usize::MAX)
}

/// A member attaches a file to a resource of a community hosted here. Over the limit or of
/// a type not allowed: refused, nothing stored.
pub async fn add(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
    name: &str,
    bytes: &[u8],
) -> DomainResult<AttachmentRow> {
    let c = community_of(state, r).await?;
    require_member(state, &c, account).await?;
    if c.is_local != 1 {
        return Err(DomainError::Forbidden(
            "files are attached on the community's host",
        ));
    }
    if bytes.len() > max_bytes(state) {
        return Err(too_large());
    }
    if bytes.is_empty() {
        return Err(DomainError::invalid("file", Rule::TooShort { min: 1 }));
    }
    let media_type = sniff(bytes).ok_or(DomainError::Forbidden(FORBIDDEN_TYPE))?;
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    store_file(state, &sha, bytes).await?;
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let mut row = AttachmentRow {
        id: 0,
        resource_id: r.id,
        name: clean_name(name),
        media_type: media_type.into(),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256: sha,
        uploaded_by: me.ap_id,
        created_at: now_ms(),
        url: None,
    };
    row.id = state.store.insert_attachment(&row).await?;
    // Members' nodes learn the new list with the resource.
    super::resources::announce(state, &c, r, "Update").await?;
    Ok(row)
}

fn dir(state: &Ctx) -> std::path::PathBuf {
    state.config.data_dir.join("attachments")
}

/// Writes the bytes once under their hash: to a temporary name, then renamed, so a crash
/// never leaves half a file under a final name.
async fn store_file(state: &Ctx, sha: &str, bytes: &[u8]) -> DomainResult<()> {
    let dir = dir(state);
    let path = dir.join(sha);
    let io = |e: std::io::Error| DomainError::Internal(format!("attachment storage: {e}"));
    if tokio::fs::try_exists(&path).await.map_err(io)? {
        return Ok(());
    }
    tokio::fs::create_dir_all(&dir).await.map_err(io)?;
    let tmp = dir.join(format!("{sha}.{}.tmp", uuid::Uuid::now_v7()));
    tokio::fs::write(&tmp, bytes).await.map_err(io)?;
    tokio::fs::rename(&tmp, &path).await.map_err(io)?;
    Ok(())
}

/// The files of a resource, for a member.
pub async fn list(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
) -> DomainResult<Vec<AttachmentRow>> {
    require_member(state, &community_of(state, r).await?, account).await?;
    Ok(state.store.attachments_of(r.id).await?)
}

/// One file and its bytes, for a member.
pub async fn open(
    state: &Ctx,
    account: &Account,
    r: &ResourceRow,
    id: i64,
) -> DomainResult<(AttachmentRow, Vec<u8>)> {
    let c = community_of(state, r).await?;
    require_member(state, &c, account).await?;
    let a = state
        .store
        .attachment(r.id, id)
        .await
        .or_not_found("attachment")?;
    let Some(url) = a.url.clone() else {
        return read_stored(state, a).await;
    };
    // A file of a community hosted elsewhere: fetched from the host, for this member, and
    // typed again from its content rather than from the host's word.
    if crate::urls::authority_of_str(&url).as_deref() != Some(c.authority.as_str()) {
        return Err(DomainError::NotFound("attachment"));
    }
    let bytes = state.remote.file(state, &url, max_bytes(state)).await?;
    let media_type = sniff(&bytes).ok_or(DomainError::Forbidden(FORBIDDEN_TYPE))?;
    Ok((
        AttachmentRow {
            media_type: media_type.into(),
            ..a
        },
        bytes,
    ))
}

/// A file stored here, for a members' node that fetches it (the caller checked the node).
pub async fn open_stored(
    state: &Ctx,
    r: &ResourceRow,
    id: i64,
) -> DomainResult<(AttachmentRow, Vec<u8>)> {
    let a = state
        .store
        .attachment(r.id, id)
        .await?
        .filter(|a| a.url.is_none())
        .or_not_found("attachment")?;
    read_stored(state, a).await
}

async fn read_stored(state: &Ctx, a: AttachmentRow) -> DomainResult<(AttachmentRow, Vec<u8>)> {
    // The hash is ours (hex), never input: it cannot leave the directory.
    let bytes = tokio::fs::read(dir(state).join(&a.sha256))
        .await
        .map_err(|e| DomainError::Internal(format!("attachment {}: {e}", a.id)))?;
    Ok((a, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None, "an executable");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(clean_name("../../etc/pass\"wd"), "passwd");
    }
}
