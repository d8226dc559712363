//! The demo's thread with a photo in `accueil` (hosted by the mairie): bruno shares the new
//! poster of the hall, drawn here (no file shipped), with its alt text; alice answers from
//! the sous-préfecture with a photo of her own, which chloe's node (CHU) fetches from hers.

use super::communities::{settle, who};
use crate::domain::images::Photo;
use crate::domain::post_kinds::PostKind;
use crate::domain::posts::{self, create_thread_with_photos};
use crate::state::AppState;

const TITLE: &str = "La nouvelle affiche du hall d'accueil";

/// A poster-like picture: a blue header band, a white body with grey lines of "text".
fn poster(width: u32, height: u32, accent: [u8; 3]) -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let band = height / 5;
        if y < band {
            image::Rgb(accent)
        } else if y > band + 20 && (y / 24) % 2 == 0 && x > width / 10 && x < width * 9 / 10 {
            image::Rgb([200, 200, 205])
        } else {
            image::Rgb([250, 250, 248])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
    Ok(out)
}

/// Opens the thread once (when `accueil` has none of that title).
pub async fn seed(states: [&AppState; 3]) -> anyhow::Result<()> {
    let [pref, mairie, chu] = states;
    let Some(accueil) = mairie.store.local_community("accueil").await? else {
        return Ok(());
    };
    if mairie
        .store
        .threads(accueil.id)
        .await?
        .iter()
        .any(|t| t.title == TITLE)
    {
        return Ok(());
    }
    let bruno = who(mairie, "bruno").await?;
    let photo = Photo {
        bytes: Some(poster(900, 1200, [0, 0, 145])?),
        alt: "Affiche bleue et blanche : « Accueil du public, du lundi au vendredi, \
              de 8 h 30 à 17 h »"
            .into(),
    };
    let thread = create_thread_with_photos(
        mairie,
        &bruno,
        &accueil,
        TITLE,
        "Voici l'affiche qui sera posée dans le hall lundi. Des remarques avant l'impression ?",
        &PostKind::default(),
        vec![photo],
    )
    .await?;
    settle(&[pref, mairie, chu]).await?;
    let alice = who(pref, "alice").await?;
    if pref.store.post_by_ap_id(&thread.ap_id).await?.is_some() {
        let photo = Photo {
            bytes: Some(poster(640, 480, [0, 110, 60])?),
            alt: "Notre affiche verte à la sous-préfecture, avec les horaires en gros caractères"
                .into(),
        };
        posts::reply_with_photos(
            pref,
            &alice,
            &thread.ap_id,
            "Belle affiche ! La nôtre, pour comparer : les horaires en gros se lisent de loin.",
            vec![photo],
        )
        .await?;
        settle(&[pref, mairie, chu]).await?;
    }
    Ok(())
}
