//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API, built once from the
//! handlers' annotations, and the conventions every operation shares (prefix, token, errors).

use std::sync::OnceLock;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::ApiDoc;
use crate::domain::DomainError;
use crate::http::error::ApiResult;

/// Where the API lives. Handlers name their paths below it; the document names them in full.
pub const PREFIX: &str = "/api/v1";

/// The name of the bearer-token scheme that operations refer to in `security(...)`.
pub const TOKEN_SCHEME: &str = "api_token";

/// What the annotations of each handler would otherwise repeat.
pub struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut doc.paths.paths);
        doc.paths.paths = paths
            .into_iter()
            .map(|(path, item)| (format!("{PREFIX}{path}"), item))
            .collect();
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            TOKEN_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token (`ep_…`), made on the profile page or with `POST /api/v1/tokens`."))
                    .build(),
            ),
        );
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                for param in op.parameters.iter_mut().flatten() {
                    if let RefOr::T(param) = param
                        && param.name == "handle"
                    {
                        param.description = Some(
                            "A community: `slug` when hosted here, else `slug@authority`".into(),
                        );
                    }
                }
                let responses = &mut op.responses.responses;
                if op.security.is_some() {
                    responses
                        .entry("401".into())
                        .or_insert_with(|| error("Missing, revoked or unknown token"));
                }
                responses.entry("default".into()).or_insert_with(|| {
                    error("An error: its status says which (400, 403, 404, 413, 422, 429, 500…)")
                });
            }
        }
    }
}

fn error(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// The document as JSON, serialized on first use: it depends only on the code.
fn json() -> Result<&'static str, &'static serde_json::Error> {
    static DOC: OnceLock<Result<String, serde_json::Error>> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json()).as_deref()
}

/// The OpenAPI 3.1 description of this API (public).
#[utoipa::path(
    operation_id = "openapi_document",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object),
    ),
)]
#[get("/openapi.json")]
pub async fn document() -> ApiResult<HttpResponse> {
    let json = json().map_err(|e| DomainError::Internal(format!("OpenAPI document: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(json))
}
