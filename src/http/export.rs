//! The data-rights routes: `GET /api/v1/me/export` and `GET /api/v1/people/{id}/export`,
//! one JSON document each ([`crate::privacy::export`] says what is in it).

use axum::{
    Json,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{auth::Authenticated, metrics::RestError};
use crate::{error::AppError, privacy::export, request::RequestCtx, state::AppState};

async fn caller(state: &AppState, auth: Authenticated) -> Result<RequestCtx, RestError> {
    let actor = crate::people::service::resolve_actor(state, &auth.0).await?;
    Ok(RequestCtx::new(actor, String::new()))
}

/// A download: a file name for browsers, and never kept by a cache.
fn download(document: serde_json::Value, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Json(document),
    )
        .into_response()
}

/// Everything the service stores about the caller, as one JSON document (GDPR Art. 15 and
/// 20): profile, mentor profile, mentorships, the check-ins they took part in with their
/// private notes, plans and support needs (they are theirs), support requests and messages
/// they wrote or that concern them, notifications, acknowledgements, applications, alerts,
/// and the audit entries where they acted or are the subject. Each section holds at most
/// 50,000 rows; a longer one is named in `truncated`.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "data rights",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's data", content_type = "application/json", body = Object),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN: a machine client has no data of its own")))]
pub async fn my_export(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Response, RestError> {
    let rc = caller(&state, auth).await?;
    Ok(download(
        export::my_export(&state, &rc).await?,
        "my-data.json",
    ))
}

/// The same document about one person, for the council — **without** anyone's private
/// meeting notes, plans or support needs, and without requests that were hidden from the
/// person: the council administers mentorship, it does not police what mentors and mentees
/// say to each other. Each export is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/people/{id}/export", tag = "data rights",
    params(("id" = String, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's data, private notes left out", content_type = "application/json", body = Object),
        (status = 400, description = "BAD_USER_INPUT: not an id"),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN: not council"),
        (status = 404, description = "NOT_FOUND: no such person")))]
pub async fn person_export(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Response, RestError> {
    let rc = caller(&state, auth).await?;
    let id: Uuid = id
        .parse()
        .map_err(|_| AppError::bad_input("id", "not a person id"))?;
    let document = export::person_export(&state, &rc, id).await?;
    Ok(download(document, &format!("person-{id}.json")))
}
