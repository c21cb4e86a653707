//! Links from mails and calendar apps, which cannot sign in: the one-click unsubscribe
//! (`/api/v1/mail/unsubscribe/{token}`, RFC 8058), the calendar feed
//! (`/api/v1/calendar/{token}.ics`), and `dev`'s `/dev/mail`.

use axum::{
    Json,
    extract::{Path, State},
    http::header,
    response::{Html, IntoResponse, Response},
};
use sea_orm::EntityTrait;

use super::metrics::RestError;
use crate::{
    error::AppError,
    mail::{i18n, preferences, render, transport::DevMailbox},
    state::AppState,
};

async fn page(state: &AppState, token: &str, done: bool) -> Result<Response, RestError> {
    let person = preferences::person_of(state, token).await?;
    let locale = entity::person::Entity::find_by_id(person)
        .one(state.db())
        .await
        .map_err(AppError::from)?
        .and_then(|p| p.locale);
    let action = format!("/api/v1/mail/unsubscribe/{token}");
    let html = render::unsubscribe_page(&i18n::language(locale.as_deref()), &action, done)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The page behind the unsubscribe link of a mail: one button that turns e-mail off. A GET
/// changes nothing (mail scanners follow links).
#[utoipa::path(get, path = "/api/v1/mail/unsubscribe/{token}", tag = "mail",
    params(("token" = String, Path, description = "The signed token of the mail's link")),
    responses(
        (status = 200, description = "A page with the button", content_type = "text/html"),
        (status = 404, description = "NOT_FOUND: not a link this service made")))]
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, RestError> {
    page(&state, &token, false).await
}

/// One-click unsubscribe (RFC 8058: mail clients POST `List-Unsubscribe=One-Click` here):
/// the person's e-mail preference becomes OFF and mails not sent yet are cancelled. No
/// sign-in: the token is signed and names the person. Repeating it is harmless.
#[utoipa::path(post, path = "/api/v1/mail/unsubscribe/{token}", tag = "mail",
    params(("token" = String, Path, description = "The signed token of the mail's link")),
    responses(
        (status = 200, description = "E-mail is off", content_type = "text/html"),
        (status = 404, description = "NOT_FOUND: not a link this service made")))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, RestError> {
    preferences::unsubscribe(&state, &token).await?;
    page(&state, &token, true).await
}

/// A person's calendar (RFC 5545): planned check-ins, the next due date of each mentorship
/// (all-day), the mentor calls they are invited to. The URL is the credential (calendar
/// apps send no bearer token); it comes from `Person.calendarFeedUrl` on `me`, and
/// `rotateCalendarFeedUrl` retires it.
#[utoipa::path(get, path = "/api/v1/calendar/{file}", tag = "calendar",
    params(("file" = String, Path, description = "`{token}.ics`")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar"),
        (status = 404, description = "NOT_FOUND: unknown or rotated URL")))]
pub async fn calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, RestError> {
    let token = file
        .strip_suffix(".ics")
        .ok_or_else(|| AppError::NotFound("no such calendar feed".into()))?;
    let owner = crate::calendar::token::person_of(&state, token).await?;
    let now = state.clock().now();
    let ics = crate::calendar::feed::render(state.db(), state.settings(), &owner, now).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        ics,
    )
        .into_response())
}

/// `dev` only: the mails the worker would have sent, newest first.
pub async fn dev_mail(State(kept): State<DevMailbox>) -> impl IntoResponse {
    Json(kept.list())
}
