//! Photos in posts (issue 19): a reply with a photo on the web and the API, stored and served
//! without its EXIF/GPS data, shown with its size and alt text; bad photos refused in French
//! with nothing written; a member on a third node gets the photo through her own node.

use serde_json::Value;

use entrepairs::db::CommunityRow;
use entrepairs::domain::images::Photo;
use entrepairs::domain::{communities, posts};

use crate::communities::{community_on, join};
use crate::support::browser::csrf_token;
use crate::support::signing::Signed;
use crate::support::{Browser, TestNode, client};

/// The EXIF block's signature, which no served byte may contain.
const EXIF: &[u8] = b"Exif\0\0";
/// GPSLatitude 48° 51' 24.12" as the EXIF block writes it (three big-endian rationals).
const LATITUDE: [u8; 24] = [
    0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 51, 0, 0, 0, 1, 0, 0, 9, 108, 0, 0, 0, 100,
];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A small JPEG photo carrying an EXIF block with a GPS position, as a phone writes it.
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, 128])
    });
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut plain, 90,
        ))
        .expect("jpeg");
    // TIFF (big-endian): IFD0 with one entry, GPSInfo (0x8825) → the GPS IFD at 26, which
    // holds GPSLatitudeRef "N" and GPSLatitude (three rationals at 56).
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend([0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    tiff.extend([0, 2, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0]);
    tiff.extend(LATITUDE);
    assert_eq!(tiff.len(), 80);
    let mut app1 = vec![0xFF, 0xE1];
    let len = u16::try_from(2 + EXIF.len() + tiff.len()).expect("len");
    app1.extend(len.to_be_bytes());
    app1.extend(EXIF);
    app1.extend(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend(app1);
    out.extend(&plain[2..]);
    assert!(contains(&out, EXIF) && contains(&out, &LATITUDE));
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid PNG of a few bytes whose header claims 60 000 × 60 000 pixels: decoded, it would
/// take gigabytes.
fn png_bomb() -> Vec<u8> {
    let mut small = Vec::new();
    image::DynamicImage::new_rgb8(1, 1)
        .write_to(
            &mut std::io::Cursor::new(&mut small),
            image::ImageFormat::Png,
        )
        .expect("png");
    // IHDR: length (4) at 8, "IHDR" at 12, width at 16, height at 20, CRC at 29.
    small[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    small[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&small[12..29]);
    small[29..33].copy_from_slice(&crc.to_be_bytes());
    small
}

/// A multipart body: text fields, then files (field, file name, bytes).
fn multipart(texts: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "entrepairs-images-boundary-41c9";
    let mut body = Vec::new();
    for (k, v) in texts {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .into_bytes(),
        );
    }
    for (k, name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the reply form of `page` as the browser does (multipart), with photos.
async fn reply_form(
    node: &TestNode,
    web: &mut Browser,
    page: &str,
    texts: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (u16, Option<String>, String) {
    let form = web.get(page).await;
    assert!(
        form.body.contains("enctype=\"multipart/form-data\""),
        "{}",
        form.body
    );
    let token = csrf_token(&form.body).expect("csrf");
    let mut all = texts.to_vec();
    all.push(("csrf_token", &token));
    let (content_type, body) = multipart(&all, files);
    let res = client()
        .post(node.url(&format!("{page}/reply")))
        .header("Cookie", web.cookie_header_for_tests())
        .header("Origin", node.base.clone())
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST");
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, res.text().await.expect("body"))
}

async fn get_bytes(node: &TestNode, web: &Browser, path: &str) -> (u16, String, Vec<u8>) {
    let res = client()
        .get(node.url(path))
        .header("Cookie", web.cookie_header_for_tests())
        .send()
        .await
        .expect("GET");
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ct, res.bytes().await.expect("bytes").to_vec())
}

fn stored_files(node: &TestNode) -> Vec<Vec<u8>> {
    let dir = node.state.config.data_dir.join("images");
    match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| std::fs::read(e.expect("entry").path()).expect("read"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn post_count(node: &TestNode) -> usize {
    let c = communities::resolve(&node.state, "accueil")
        .await
        .expect("c");
    node.state.store.threads(c.id).await.expect("db").len()
        + node
            .state
            .store
            .replies(&node.state.store.threads(c.id).await.expect("db")[0].thread_ap_id)
            .await
            .expect("db")
            .len()
}

async fn accueil(node: &TestNode, handle: &str) -> CommunityRow {
    communities::resolve(&node.state, handle)
        .await
        .expect("community")
}

#[tokio::test]
async fn a_reply_with_a_photo_is_stored_and_served_without_its_gps_data_with_its_size_and_alt() {
    let b = TestNode::spawn().await;
    let mut web = b.logged_in("bruno", false).await;
    let bruno = entrepairs::domain::accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(&b, &bruno, "accueil", "open").await;
    let c = accueil(&b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &c, "L'affiche", "Voici l'affiche.")
        .await
        .expect("thread");
    let page = format!("/discussions/{}", thread.id);
    let shown = web.get(&page).await;
    assert!(
        shown.body.contains("Description de la photo"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("10,0 Mio"),
        "the limit is said in the form"
    );

    let photo = jpeg_with_gps(1600, 900);
    let (status, location, body) = reply_form(
        &b,
        &mut web,
        &page,
        &[
            ("body", "La nouvelle affiche."),
            ("alt1", "Affiche de la réunion du 12 mars"),
        ],
        &[("photo1", "affiche.jpg", &photo), ("photo2", "", b"")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let location = location.expect("location");
    let shown = web.get(&location).await;
    let replies = b.state.store.replies(&thread.ap_id).await.expect("db");
    let images = b
        .state
        .store
        .images_of_posts(&[replies[0].id])
        .await
        .expect("db");
    assert_eq!(images.len(), 1, "one photo");
    let img = &images[0];
    assert_eq!((img.width, img.height), (1280, 720), "the display copy");
    assert_eq!(img.media_type, "image/jpeg");
    let tag = format!(
        "<img src=\"/images/{}\" alt=\"Affiche de la réunion du 12 mars\" width=\"1280\" height=\"720\" loading=\"lazy\"",
        img.id
    );
    assert!(shown.body.contains(&tag), "{}", shown.body);

    // What is stored and what is served carry no EXIF block and no position.
    let files = stored_files(&b);
    assert_eq!(files.len(), 1);
    assert!(!contains(&files[0], EXIF) && !contains(&files[0], &LATITUDE));
    let (status, ct, served) = get_bytes(&b, &web, &format!("/images/{}", img.id)).await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    assert_eq!(served, files[0]);
    assert!(!contains(&served, EXIF) && !contains(&served, &LATITUDE));
    let decoded = image::load_from_memory(&served).expect("an image");
    assert_eq!((decoded.width(), decoded.height()), (1280, 720));

    // Gilles is no member: refused; nobody logged in: the login page.
    let gilles = b.logged_in("gilles", false).await;
    let (status, _, _) = get_bytes(&b, &gilles, &format!("/images/{}", img.id)).await;
    assert!(status == 403 || status == 404, "{status}");
    let anon = Browser::new(&b.base);
    let (status, _, _) = get_bytes(&b, &anon, &format!("/images/{}", img.id)).await;
    assert!(status == 303 || status == 401, "{status}");

    // The API: a reply with a photo, 201 with its size and alt text.
    let token = b.token("bruno").await;
    let (content_type, body) = multipart(
        &[("body", "Par l'API."), ("alt1", "Le plan d'accès")],
        &[("photo1", "plan.jpg", &jpeg_with_gps(300, 200))],
    );
    let res = client()
        .post(b.url(&format!("/api/v1/posts/{}/replies/photos", thread.id)))
        .bearer_auth(&token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("API");
    assert_eq!(res.status().as_u16(), 201);
    let json: Value = res.json().await.expect("json");
    assert_eq!(json["images"][0]["alt"], "Le plan d'accès");
    assert_eq!(json["images"][0]["width"], 300);
    assert_eq!(json["images"][0]["height"], 200);
}

/// A bad photo: what, the alt field, the bytes, the error's id and its words.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<u8>, &'a str, &'a str);

#[tokio::test]
async fn bad_photos_are_refused_in_french_next_to_their_field_and_nothing_is_written() {
    let b = TestNode::spawn_with("b", |raw| raw.attachments_max_bytes = Some(64 * 1024)).await;
    let mut web = b.logged_in("bruno", false).await;
    let bruno = entrepairs::domain::accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(&b, &bruno, "accueil", "open").await;
    let c = accueil(&b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &c, "L'affiche", "Voici l'affiche.")
        .await
        .expect("thread");
    let page = format!("/discussions/{}", thread.id);
    let before = post_count(&b).await;
    let photo = jpeg_with_gps(64, 48);
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>"#;
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
    let mut heavy = b"\xFF\xD8\xFF\xE0".to_vec();
    heavy.resize(65 * 1024, 0);
    let alt = ("alt1", "Une photo");
    let cases: Vec<Case> = vec![
        (
            "missing alt",
            vec![],
            photo.clone(),
            "alt1-error",
            "Décrivez la photo en quelques mots",
        ),
        (
            "blank alt",
            vec![("alt1", "   ")],
            photo.clone(),
            "alt1-error",
            "Décrivez la photo",
        ),
        (
            "svg",
            vec![alt],
            svg.to_vec(),
            "photo1-error",
            "n'est pas une photo PNG, JPEG ou WebP",
        ),
        (
            "lying extension",
            vec![alt],
            pdf.to_vec(),
            "photo1-error",
            "n'est pas une photo",
        ),
        (
            "bomb",
            vec![alt],
            png_bomb(),
            "photo1-error",
            "trop grande (8000 pixels",
        ),
        ("heavy", vec![alt], heavy, "photo1-error", "trop lourde"),
    ];
    for (what, texts, bytes, field, message) in cases {
        let mut all = vec![("body", "Avec une photo.")];
        all.extend(texts);
        let (status, _, body) = reply_form(
            &b,
            &mut web,
            &page,
            &all,
            &[("photo1", "photo.jpg", &bytes)],
        )
        .await;
        assert_eq!(status, 422, "{what}: {body}");
        let body = body.replace("&#39;", "'");
        assert!(body.contains(&format!("id=\"{field}\"")), "{what}: {body}");
        assert!(body.contains(message), "{what}: {body}");
        assert!(body.contains("Rien n'a été publié"), "{what}");
        assert!(body.contains("Avec une photo."), "{what}: the text is kept");
        assert_eq!(post_count(&b).await, before, "{what}: nothing posted");
        assert!(stored_files(&b).is_empty(), "{what}: nothing stored");
    }

    // The API names the field, in a 422, and writes nothing either.
    let token = b.token("bruno").await;
    let (content_type, body) =
        multipart(&[("body", "Par l'API.")], &[("photo1", "plan.jpg", &photo)]);
    let res = client()
        .post(b.url(&format!("/api/v1/posts/{}/replies/photos", thread.id)))
        .bearer_auth(&token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("API");
    assert_eq!(res.status().as_u16(), 422);
    let json: Value = res.json().await.expect("json");
    assert_eq!(json["error"]["field"], "alt1", "{json}");
    assert_eq!(post_count(&b).await, before);
    assert!(stored_files(&b).is_empty());

    // The domain's own check, whatever the caller: five photos are too many.
    let five = (0..5)
        .map(|_| Photo {
            bytes: Some(photo.clone()),
            alt: "Une photo".into(),
        })
        .collect();
    let refused = posts::reply_with_photos(&b.state, &bruno, &thread.ap_id, "Cinq.", five).await;
    assert!(refused.is_err());
    assert_eq!(post_count(&b).await, before);
}

#[tokio::test]
async fn a_member_on_a_third_node_gets_the_photo_through_her_own_node_without_exif() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let mut chloe_web = c.logged_in("chloe", false).await;
    let chloe = entrepairs::domain::accounts::by_username(&c.state, "chloe")
        .await
        .expect("chloe");
    community_on(a, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", a.authority);
    join(b, &bruno, &handle).await;
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let ca = accueil(a, "accueil").await;
    let thread = posts::create_thread(&a.state, &alice, &ca, "Affiche", "Qui a l'affiche ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[a, b, c]).await;
    let photo = Photo {
        bytes: Some(jpeg_with_gps(800, 600)),
        alt: "Affiche du forum des métiers".into(),
    };
    let reply = posts::reply_with_photos(&a.state, &alice, &thread.ap_id, "La voici.", vec![photo])
        .await
        .expect("reply");
    TestNode::drain_all(&[a, b, c]).await;

    // The Note carries it in Mastodon's shape.
    let doc: Value = Signed::get(b, &reply.ap_id)
        .await
        .send()
        .await
        .json()
        .await
        .expect("the Note");
    let att = &doc["attachment"][0];
    assert_eq!(att["type"], "Image");
    assert_eq!(att["mediaType"], "image/jpeg");
    assert_eq!(att["name"], "Affiche du forum des métiers");
    assert_eq!(
        (att["width"].as_i64(), att["height"].as_i64()),
        (Some(800), Some(600))
    );
    let url = att["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with(&reply.ap_id), "{url}");
    // Unsigned or from an unknown node: nothing.
    let unsigned = client()
        .get(&url)
        .send()
        .await
        .expect("GET")
        .status()
        .as_u16();
    assert!(matches!(unsigned, 401 | 403), "{unsigned}");

    // On C: the reply, its photo and alt; the page shows it from C's own route.
    let on_c = c
        .state
        .store
        .post_by_ap_id(&reply.ap_id)
        .await
        .expect("db")
        .expect("reply on C");
    let rows = c.state.store.images_of_posts(&[on_c.id]).await.expect("db");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].alt, "Affiche du forum des métiers");
    assert_eq!(rows[0].url, url);
    assert!(rows[0].sha256.is_none(), "not fetched before it is viewed");
    let thread_c = c
        .state
        .store
        .post_by_ap_id(&thread.ap_id)
        .await
        .expect("db")
        .expect("thread on C");
    let page = chloe_web
        .get(&format!("/discussions/{}", thread_c.id))
        .await;
    let src = format!(
        "<img src=\"/images/{}\" alt=\"Affiche du forum des métiers\"",
        rows[0].id
    );
    assert!(page.body.contains(&src), "{}", page.body);
    assert!(!page.body.contains(&url), "never hotlinked");
    let (status, ct, served) = get_bytes(c, &chloe_web, &format!("/images/{}", rows[0].id)).await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    assert!(!contains(&served, EXIF) && !contains(&served, &LATITUDE));
    let decoded = image::load_from_memory(&served).expect("an image");
    assert_eq!((decoded.width(), decoded.height()), (800, 600));
    let kept = c
        .state
        .store
        .post_image(rows[0].id)
        .await
        .expect("db")
        .expect("row");
    assert!(kept.sha256.is_some(), "kept on C after the first view");
    // A second view is served from C's copy, even with A gone quiet.
    let (status, _, again) = get_bytes(c, &chloe_web, &format!("/images/{}", rows[0].id)).await;
    assert_eq!((status, again), (200, served));
}

#[tokio::test]
async fn a_mastodon_note_with_a_media_attachment_is_accepted_with_its_alt_text() {
    let nodes = TestNode::spawn_many(2).await;
    let (b, d) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[b, d]).await;
    let bruno = b.create_user("bruno", false).await;
    // dora plays a Mastodon user: her activity is written by hand.
    let dora = d.create_user("dora", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    join(d, &dora, &format!("accueil@{}", b.authority)).await;
    TestNode::drain_all(&[b, d]).await;
    let cb = accueil(b, "accueil").await;
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Affiches", "Vos affiches ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[b, d]).await;
    let reply = d.url("/users/dora/statuses/7");
    let media = |url: String, name: &str| {
        serde_json::json!({"type": "Document", "mediaType": "image/jpeg", "url": url,
            "name": name, "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "width": 400,
            "height": 300})
    };
    let create = serde_json::json!({
        "id": format!("{reply}/activity"), "type": "Create", "actor": dora.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [bruno.actor],
        "object": {"id": reply, "type": "Note", "attributedTo": dora.actor,
            "inReplyTo": thread.ap_id, "content": "<p>La nôtre.</p>",
            "attachment": [
                media(d.url("/system/media/affiche.jpg"), "Affiche de la permanence CAF"),
                media("https://cdn.ailleurs.example/x.jpg".into(), "Ailleurs"),
            ]},
    });
    let bytes = serde_json::to_vec(&create).expect("json");
    let status = Signed::post(
        d,
        "dora",
        &b.url("/inbox"),
        &bytes,
        std::time::SystemTime::now(),
    )
    .await
    .status()
    .await;
    assert_eq!(status, 202);
    TestNode::drain_all(&[b, d]).await;
    let p = b
        .state
        .store
        .post_by_ap_id(&reply)
        .await
        .expect("db")
        .expect("the reply is stored");
    let rows = b.state.store.images_of_posts(&[p.id]).await.expect("db");
    assert_eq!(rows.len(), 1, "only the image served by the author's node");
    assert_eq!(rows[0].alt, "Affiche de la permanence CAF");
    assert_eq!((rows[0].width, rows[0].height), (400, 300));
    assert_eq!(rows[0].url, d.url("/system/media/affiche.jpg"));
}
