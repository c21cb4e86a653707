//! REST for spreadsheets and cron jobs: `/api/v1/metrics` (JSON), `/api/v1/metrics.csv` and
//! `/api/v1/mentors.csv`, with the same authorization and figures as GraphQL.

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use uuid::Uuid;

use super::auth::Authenticated;
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    metrics::{
        model::ProgramMetricsReport,
        service::{self, Window, WindowFields},
        sql,
    },
    request::RequestCtx,
    state::AppState,
};

/// Most rows of one `mentors.csv` page.
const MAX_ROWS: u64 = 5_000;

/// An error as a REST response: the status of its code and the GraphQL error shape, so
/// clients read one format.
pub struct RestError(AppError);

impl From<AppError> for RestError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let mut extensions = json!({"code": self.0.code()});
        if let AppError::BadUserInput {
            field: Some(field), ..
        } = &self.0
        {
            extensions["field"] = json!(field);
        }
        let body = json!({"errors": [{"message": self.0.message(), "extensions": extensions}]});
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                crate::error::UNAVAILABLE_RETRY_AFTER.into(),
            );
        }
        response
    }
}

/// The window of the figures.
#[derive(Deserialize, IntoParams, Clone, Copy)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MetricsParams {
    /// The moment described (RFC 3339; default now).
    as_of: Option<DateTime<Utc>>,
    /// Start of the period (default 30 days before `to`).
    from: Option<DateTime<Utc>>,
    /// End of the period, exclusive (default `asOf`).
    to: Option<DateTime<Utc>>,
}

fn params<T>(query: Result<Query<T>, QueryRejection>) -> AppResult<T> {
    query
        .map(|Query(p)| p)
        .map_err(|rejection| AppError::BadUserInput {
            field: None,
            message: format!("bad query string: {}", rejection.body_text()),
        })
}

async fn caller(state: &AppState, auth: Authenticated) -> AppResult<RequestCtx> {
    let actor = crate::people::service::resolve_actor(state, &auth.0).await?;
    Ok(RequestCtx::new(actor, String::new()))
}

async fn report(
    state: &AppState,
    auth: Authenticated,
    query: Result<Query<MetricsParams>, QueryRejection>,
) -> AppResult<ProgramMetricsReport> {
    let rc = caller(state, auth).await?;
    let p = params(query)?;
    let fields = WindowFields::QUERY_STRING;
    let window = Window::authorize(&rc, state.clock().now(), p.as_of, p.from, p.to, fields)?;
    service::report(state.db(), &window, state.settings()).await
}

/// Every program figure as JSON (the same as GraphQL's `programMetrics`).
#[utoipa::path(get, path = "/api/v1/metrics", tag = "metrics", params(MetricsParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every figure", body = ProgramMetricsReport),
        (status = 400, description = "BAD_USER_INPUT: a bad window"),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN: not council and no `metrics:read` scope")))]
pub async fn metrics_json(
    State(state): State<AppState>,
    auth: Authenticated,
    query: Result<Query<MetricsParams>, QueryRejection>,
) -> Result<Json<ProgramMetricsReport>, RestError> {
    Ok(Json(report(&state, auth, query).await?))
}

/// Every program figure as CSV (RFC 4180, UTF-8): one row per figure, `figure,subject,value`,
/// the figure named by its JSON path (`load.menteesPerMentor.median`); `subject` is the
/// announcement id for per-announcement figures.
#[utoipa::path(get, path = "/api/v1/metrics.csv", tag = "metrics", params(MetricsParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every figure", content_type = "text/csv", body = String),
        (status = 400, description = "BAD_USER_INPUT: a bad window"),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN: not council and no `metrics:read` scope")))]
pub async fn metrics_csv(
    State(state): State<AppState>,
    auth: Authenticated,
    query: Result<Query<MetricsParams>, QueryRejection>,
) -> Result<Response, RestError> {
    let report = report(&state, auth, query).await?;
    let tree = serde_json::to_value(&report).map_err(AppError::internal)?;
    let mut rows = Vec::new();
    flatten("", None, &tree, &mut rows);
    let mut out = csv::Writer::from_writer(Vec::new());
    write_csv(&mut out, ["figure", "subject", "value"].map(String::from))?;
    for row in rows {
        write_csv(&mut out, row)?;
    }
    Ok(csv_response(out, None)?)
}

/// Figures of a JSON tree as (path, subject, value) rows; list items are subjects, named by
/// their `announcementId`.
fn flatten(path: &str, subject: Option<&str>, value: &Value, rows: &mut Vec<[String; 3]>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key != "announcementId" {
                    flatten(&join(key), subject, child, rows);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                let id = item["announcementId"].as_str();
                flatten(path, id.or(subject), item, rows);
            }
        }
        Value::String(s) => rows.push([path.into(), subject.unwrap_or("").into(), text_cell(s)]),
        Value::Null => rows.push([path.into(), subject.unwrap_or("").into(), String::new()]),
        other => rows.push([path.into(), subject.unwrap_or("").into(), other.to_string()]),
    }
}

/// Text from people (names, titles) as a CSV cell a spreadsheet will not run as a formula:
/// one starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (OWASP's advice against CSV injection). Numbers never pass through here.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn write_csv(
    out: &mut csv::Writer<Vec<u8>>,
    row: impl IntoIterator<Item = String>,
) -> AppResult<()> {
    out.write_record(row).map_err(AppError::internal)
}

fn csv_response(out: csv::Writer<Vec<u8>>, next: Option<String>) -> AppResult<Response> {
    let body = out
        .into_inner()
        .map_err(|e| AppError::internal(e.into_error()))?;
    let mut response = (
        [(
            header::CONTENT_TYPE,
            "text/csv; charset=utf-8; header=present",
        )],
        body,
    )
        .into_response();
    if let Some(link) = next.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
}

/// A page of the mentor directory.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The last `id` of the previous page.
    after: Option<Uuid>,
    /// Rows per page, 1–5,000 (default 1,000).
    limit: Option<u64>,
}

/// The mentor directory with each mentor's load, as CSV (RFC 4180, UTF-8), in id order; a
/// `Link: <…>; rel="next"` header points to the next page. Personal contact data is left out.
#[utoipa::path(get, path = "/api/v1/mentors.csv", tag = "metrics", params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "id, displayName, country, languages, status, capacity, activeMentees, acceptingMentees, onboardedAt, lastActiveAt",
         content_type = "text/csv", body = String),
        (status = 400, description = "BAD_USER_INPUT: a bad page"),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN: not council and no `metrics:read` scope")))]
pub async fn mentors_csv(
    State(state): State<AppState>,
    auth: Authenticated,
    query: Result<Query<PageParams>, QueryRejection>,
) -> Result<Response, RestError> {
    let rc = caller(&state, auth).await?;
    policy::require_metrics_reader(&rc.actor)?;
    let page = params(query)?;
    let limit = page.limit.unwrap_or(1_000);
    if !(1..=MAX_ROWS).contains(&limit) {
        return Err(AppError::bad_input("limit", format!("1 to {MAX_ROWS}")).into());
    }
    let mut values: Vec<sea_orm::Value> = vec![(limit as i64 + 1).into()];
    let after = match page.after {
        Some(id) => {
            values.push(id.into());
            "WHERE p.id > $2"
        }
        None => "",
    };
    let q = format!(
        "SELECT p.id, p.display_name, p.country, p.languages, mp.status, mp.capacity, \
         CAST((SELECT COUNT(*) FROM mentorship m WHERE m.mentor_id = p.id AND m.status = 'ACTIVE') AS BIGINT), \
         mp.accepting_mentees, mp.onboarded_at, p.last_active_at \
         FROM mentor_profile mp JOIN person p ON p.id = mp.person_id {after} \
         ORDER BY p.id LIMIT $1"
    );
    let rows = sql::rows(state.db(), &q, values).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "displayName",
        "country",
        "languages",
        "status",
        "capacity",
        "activeMentees",
        "acceptingMentees",
        "onboardedAt",
        "lastActiveAt",
    ];
    write_csv(&mut out, header.map(String::from))?;
    let mut last = None;
    for row in rows.iter().take(limit as usize) {
        let id: Uuid = row.try_get_by_index(0).map_err(AppError::from)?;
        let languages: Value = row.try_get_by_index(3).map_err(AppError::from)?;
        let languages: Vec<String> = serde_json::from_value(languages).unwrap_or_default();
        let time = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        let status: String = row.try_get_by_index(4).map_err(AppError::from)?;
        let capacity: i32 = row.try_get_by_index(5).map_err(AppError::from)?;
        let active = sql::count(row, 6)?;
        let wants: bool = row.try_get_by_index(7).map_err(AppError::from)?;
        let accepting = crate::mentor::model::accepts(
            crate::mentor::model::MentorStatus::from_db(&status)?,
            wants,
            capacity,
            usize::try_from(active).unwrap_or(usize::MAX),
        );
        let record = [
            id.to_string(),
            text_cell(&row.try_get_by_index::<String>(1).map_err(AppError::from)?),
            row.try_get_by_index::<Option<String>>(2)
                .map_err(AppError::from)?
                .unwrap_or_default(),
            languages.join(" "),
            status,
            capacity.to_string(),
            active.to_string(),
            accepting.to_string(),
            time(row.try_get_by_index(8).map_err(AppError::from)?),
            time(row.try_get_by_index(9).map_err(AppError::from)?),
        ];
        write_csv(&mut out, record)?;
        last = Some(id);
    }
    let next = (rows.len() as u64 > limit)
        .then_some(last)
        .flatten()
        .map(|id| format!("</api/v1/mentors.csv?after={id}&limit={limit}>; rel=\"next\""));
    Ok(csv_response(out, next)?)
}
