//! The texts of photos in posts (fields, hints, refusals), in French (first) and English.

#[derive(Debug)]
pub struct ImageStrings {
    pub photos: &'static str,
    pub hint: &'static str,
    pub photo: &'static str,
    pub alt: &'static str,
    pub alt_required: &'static str,
    pub alt_hint: &'static str,
    pub more: &'static str,
    /// Refusals, each saying what to do.
    pub alt_missing: &'static str,
    pub too_large: &'static str,
    pub empty: &'static str,
    pub not_an_image: &'static str,
    pub too_many_pixels: &'static str,
    pub too_many: &'static str,
    /// After a refusal: the browser cannot keep the chosen files.
    pub choose_again: &'static str,
}

pub static FR: ImageStrings = ImageStrings {
    photos: "Photos (facultatif)",
    hint: "PNG, JPEG ou WebP, 4 photos au plus. Les données de localisation (EXIF, GPS) sont retirées.",
    photo: "Photo",
    alt: "Description de la photo",
    alt_required: "(obligatoire avec une photo)",
    alt_hint: "Décrivez ce que montre la photo pour les personnes qui ne la voient pas, par exemple « Affiche de la réunion du 12 mars ».",
    more: "Ajouter d'autres photos",
    alt_missing: "Décrivez la photo en quelques mots : la description est lue aux personnes qui ne la voient pas.",
    too_large: "Cette photo est trop lourde : choisissez une photo plus légère, au plus",
    empty: "Ce fichier est vide : choisissez une photo.",
    not_an_image: "Ce fichier n'est pas une photo PNG, JPEG ou WebP : choisissez une photo dans l'un de ces formats.",
    too_many_pixels: "Cette photo est trop grande (8000 pixels de côté au plus) : réduisez-la avant de l'envoyer.",
    too_many: "Quatre photos au plus par message : retirez-en.",
    choose_again: "Rien n'a été publié. Choisissez de nouveau vos photos avant de republier.",
};

pub static EN: ImageStrings = ImageStrings {
    photos: "Photos (optional)",
    hint: "PNG, JPEG or WebP, at most 4 photos. Location data (EXIF, GPS) is removed.",
    photo: "Photo",
    alt: "Description of photo",
    alt_required: "(required with a photo)",
    alt_hint: "Describe what the photo shows for people who cannot see it, for example “Poster of the 12 March meeting”.",
    more: "Add more photos",
    alt_missing: "Describe the photo in a few words: the description is read to people who cannot see it.",
    too_large: "This photo is too heavy: choose a lighter one, at most",
    empty: "This file is empty: choose a photo.",
    not_an_image: "This file is not a PNG, JPEG or WebP photo: choose a photo in one of these formats.",
    too_many_pixels: "This photo is too large (8000 pixels per side at most): shrink it before sending it.",
    too_many: "At most four photos per message: remove some.",
    choose_again: "Nothing was published. Choose your photos again before publishing.",
};

pub fn strings(locale: &str) -> &'static ImageStrings {
    if locale == "en" { &EN } else { &FR }
}
