//! Welcoming newcomers to a community (issue 16): the public page anyone may read, the
//! animateurs' page that opens it and makes join links with QR codes, and the join link.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::communities::community;
use super::format::datetime;
use super::{Layout, WebResult, html, redirect};
use crate::db::CommunityLinkRow;
use crate::domain::community_welcome::{self as welcome, PublicPage};
use crate::domain::markdown;
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "community_public.html")]
struct PublicView {
    layout: Layout,
    page: PublicPage,
    charter_html: String,
    sessions: Vec<(String, String)>,
}

/// `/decouvrir/SLUG`: what a community shows outside, when its animateurs opened it (404 otherwise).
#[get("/decouvrir/{slug}")]
pub async fn public(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let page = welcome::public_page(&state, &path).await?;
    let t = Layout::strings(&state);
    let sessions = page
        .sessions
        .iter()
        .map(|(title, at)| (title.clone(), datetime(*at, &state.config.timezone, t.lang)))
        .collect();
    html(
        StatusCode::OK,
        PublicView {
            layout: Layout::new(&state, None, &page.name.clone(), "communities"),
            charter_html: markdown::render(&page.charter),
            page,
            sessions,
        },
    )
}

struct LinkView {
    id: i64,
    url: String,
    expires: String,
    uses: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "community_welcome.html")]
struct WelcomeView {
    layout: Layout,
    handle: String,
    slug: String,
    name: String,
    public: bool,
    links: Vec<LinkView>,
}

fn link_view(state: &AppState, l: &CommunityLinkRow, lang: &'static str) -> LinkView {
    let now = crate::db::now_ms();
    LinkView {
        id: l.id,
        url: welcome::link_url(state, l),
        expires: datetime(l.expires_at, &state.config.timezone, lang),
        uses: match l.max_uses {
            Some(m) => format!("{} / {m}", l.uses),
            None => l.uses.to_string(),
        },
        state: if l.revoked_at.is_some() {
            "retiré"
        } else if l.expires_at <= now {
            "expiré"
        } else if l.max_uses.is_some_and(|m| l.uses >= m) {
            "épuisé"
        } else {
            "actif"
        },
    }
}

/// `/communities/SLUG/accueil`: the animateurs' page.
#[get("/communities/{handle}/accueil")]
pub async fn manage(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let account = &session.0.account;
    let t = Layout::strings(&state);
    let links = welcome::links(&state, account, &c)
        .await?
        .iter()
        .map(|l| link_view(&state, l, t.lang))
        .collect();
    html(
        StatusCode::OK,
        WelcomeView {
            layout: Layout::new(
                &state,
                Some(&session.0),
                "Accueillir des membres",
                "communities",
            ),
            handle: c.handle(),
            public: welcome::is_public(&state, &c).await?,
            slug: c.slug,
            name: c.name,
            links,
        },
    )
}

#[derive(Deserialize)]
pub struct WelcomeAction {
    action: String,
    #[serde(default)]
    days: Option<i64>,
    #[serde(default)]
    max_uses: Option<String>,
    #[serde(default)]
    id: Option<i64>,
}

#[post("/communities/{handle}/accueil")]
pub async fn act(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<WelcomeAction>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let (account, d) = (&form.session.account, &form.data);
    match d.action.as_str() {
        "open" => welcome::set_public(&state, account, &c, true).await?,
        "close" => welcome::set_public(&state, account, &c, false).await?,
        "link" => {
            let max_uses = match d.max_uses.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(n) => Some(n.parse().map_err(|_| super::WebError::BadForm)?),
            };
            welcome::create_link(&state, account, &c, d.days.unwrap_or(30), max_uses).await?;
        }
        "revoke" => {
            let id = d.id.ok_or(super::WebError::BadForm)?;
            welcome::revoke_link(&state, account, &c, id).await?;
        }
        _ => return Err(super::WebError::BadForm),
    }
    Ok(redirect(&format!("/communities/{}/accueil", c.handle())))
}

/// `/communities/SLUG/accueil/liens/ID.svg|png`: the QR code of a link, animateurs only.
#[get("/communities/{handle}/accueil/liens/{file}")]
pub async fn qr(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (handle, file) = path.into_inner();
    let c = community(&state, &handle).await?;
    let (id, ext) = file.rsplit_once('.').ok_or(super::WebError::NotFound)?;
    let id: i64 = id.parse().map_err(|_| super::WebError::NotFound)?;
    let link = welcome::links(&state, &session.0.account, &c)
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or(super::WebError::NotFound)?;
    let url = welcome::link_url(&state, &link);
    let (body, kind) = match ext {
        "svg" => (welcome::qr_svg(&url)?.into_bytes(), "image/svg+xml"),
        "png" => (welcome::qr_png(&url)?, "image/png"),
        _ => return Err(super::WebError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"rejoindre-{}.{ext}\"", c.slug),
        ))
        .body(body))
}

#[derive(Template)]
#[template(path = "join_link.html")]
struct JoinView {
    layout: Layout,
    token: String,
    name: Option<String>,
    refusal: Option<&'static str>,
}

/// `/rejoindre/TOKEN`: after sign-in, the agent confirms; a bad link is told in French.
#[get("/rejoindre/{token}")]
pub async fn join_page(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let (name, refusal, status) = match welcome::check_link(&state, &path).await? {
        Ok(c) => (Some(c.name), None, StatusCode::OK),
        Err(r) => (None, Some(r.french()), StatusCode::GONE),
    };
    html(
        status,
        JoinView {
            layout: Layout::new(
                &state,
                Some(&session.0),
                super::i18n::pages::strings(Layout::strings(&state).lang).join_title,
                "communities",
            ),
            token: path.into_inner(),
            name,
            refusal,
        },
    )
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/rejoindre/{token}")]
pub async fn join(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    match welcome::join_by_link(&state, &form.session.account, &path).await? {
        Ok(c) => Ok(redirect(&format!("/communities/{}", c.handle()))),
        Err(r) => html(
            StatusCode::GONE,
            JoinView {
                layout: Layout::new(
                    &state,
                    Some(&form.session),
                    super::i18n::pages::strings(Layout::strings(&state).lang).join_title,
                    "communities",
                ),
                token: path.into_inner(),
                name: None,
                refusal: Some(r.french()),
            },
        ),
    }
}
