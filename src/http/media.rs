//! The media type of a GraphQL answer, negotiated per the GraphQL-over-HTTP spec:
//! `application/graphql-response+json` when the client prefers it, else `application/json`
//! (also for `*/*`, no `Accept` at all, or an `Accept` naming neither: the spec's legacy
//! rule). Only in the new media type does a request error (the document fails to parse or
//! validate, a variable fails to coerce, a limit refuses it) get a 4xx status: a client that
//! asks for `application/json` may not know that a 4xx still carries a GraphQL answer.

use async_graphql::{BatchResponse, Response as GqlResponse};
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// `application/graphql-response+json`.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// Codes of the persisted-query protocol: Apollo's clients expect them with status 200 and
/// retry with the document, so they are never turned into a 400.
const PERSISTED_CODES: [&str; 4] = [
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
    "PERSISTED_QUERY_ID_REQUIRED",
    "PERSISTED_QUERY_NOT_IN_LIST",
];

/// The media type of the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/json`: every GraphQL answer 200.
    Json,
    /// `application/graphql-response+json`: request errors 400, without a `data` entry.
    GraphqlResponse,
}

impl Media {
    /// The preferred of the two by `Accept` (q-values respected; a tie goes to the new
    /// media type, which says more).
    pub fn of(headers: &HeaderMap) -> Self {
        let (mut json, mut graphql) = (None::<f32>, None::<f32>);
        for accept in headers.get_all(header::ACCEPT) {
            let Ok(accept) = accept.to_str() else {
                continue;
            };
            for range in accept.split(',') {
                let (mime, q) = media_range(range);
                let slot = match mime.as_str() {
                    GRAPHQL_RESPONSE_JSON => &mut graphql,
                    JSON | "application/*" | "*/*" => &mut json,
                    _ => continue,
                };
                *slot = Some(slot.map_or(q, |seen| seen.max(q)));
            }
        }
        match graphql {
            Some(g) if g > 0.0 && g >= json.unwrap_or(0.0) => Self::GraphqlResponse,
            _ => Self::Json,
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Json => "application/json",
            Self::GraphqlResponse => "application/graphql-response+json",
        })
    }

    /// The HTTP answer for an executed request.
    pub fn encode(self, response: &BatchResponse) -> Response {
        let refused = match response {
            BatchResponse::Single(r) => self == Self::GraphqlResponse && is_request_error(r),
            // One status for many answers: a batch is always 200.
            BatchResponse::Batch(_) => false,
        };
        let body = match (response, refused) {
            (BatchResponse::Single(r), true) => serde_json::to_vec(&WithoutData(r)),
            _ => serde_json::to_vec(response),
        };
        let Ok(body) = body else {
            // Values built by the schema always serialise; this is a fault of ours.
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let status = if refused {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let mut http = (status, body).into_response();
        http.headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type());
        http
    }

    /// Labels a transport refusal (written as `application/json`) with this media type.
    pub fn label(self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == JSON.as_bytes());
        if is_json && self == Self::GraphqlResponse {
            headers.insert(header::CONTENT_TYPE, self.content_type());
        }
        response
    }
}

/// Whether the browser asked for a page (GraphiQL) rather than an answer.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let (mime, q) = media_range(range);
            mime == "text/html" && q > 0.0
        })
}

/// `type/subtype` lower-cased, and its q-value (1 when absent or unreadable).
fn media_range(range: &str) -> (String, f32) {
    let mut parts = range.split(';');
    let mime = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let q = parts
        .filter_map(|p| p.trim().strip_prefix("q="))
        .find_map(|q| q.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    (mime, q.clamp(0.0, 1.0))
}

/// An error raised before execution began: no data, and no error with a path (a field's
/// error always has one).
fn is_request_error(response: &GqlResponse) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| {
            e.path.is_empty()
                && !e
                    .extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(|code| {
                        PERSISTED_CODES
                            .iter()
                            .any(|p| *code == async_graphql::Value::from(*p))
                    })
        })
}

/// A request error's answer: the errors (and extensions), no `data` entry.
struct WithoutData<'a>(&'a GqlResponse);

impl serde::Serialize for WithoutData<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("errors", &self.0.errors)?;
        if !self.0.extensions.is_empty() {
            map.serialize_entry("extensions", &self.0.extensions)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Media {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        Media::of(&headers)
    }

    #[test]
    fn negotiates_like_the_spec() {
        assert_eq!(Media::of(&HeaderMap::new()), Media::Json);
        assert_eq!(accept("application/json"), Media::Json);
        assert_eq!(accept("*/*"), Media::Json);
        assert_eq!(accept("text/html"), Media::Json);
        assert_eq!(accept(GRAPHQL_RESPONSE_JSON), Media::GraphqlResponse);
        let apollo = "application/graphql-response+json,application/json;q=0.9";
        assert_eq!(accept(apollo), Media::GraphqlResponse);
        let prefers_json = "application/graphql-response+json;q=0.5, application/json";
        assert_eq!(accept(prefers_json), Media::Json);
        assert_eq!(accept("application/graphql-response+json;q=0"), Media::Json);
    }
}
