//! The HTTP edge: the router and its layers (request id, tracing, CORS, body limit,
//! timeout), health, readiness and the OpenAPI document beside the GraphQL transports
//! ([`graphql`] over HTTP, [`ws`] over WebSocket) and the bearer extractor ([`auth`]).
//! The top of the stack: it may use everything, nothing uses it but startup.

pub mod auth;
mod coercion;
pub mod execute;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod idempotent;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod ws;

use axum::{
    Json, Router,
    extract::{FromRef, MatchedPath, Request, State},
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    middleware,
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::dev_issuer::DevIssuer,
    schema::{AppSchema, WsSchema},
    state::AppState,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the handlers share: the application state and the schema the transports execute.
/// Handlers extract what they need (`State<AppState>`, `State<AppSchema>`, `State<WsSchema>`).
#[derive(Clone)]
pub struct HttpState {
    app: AppState,
    schema: AppSchema,
    ws_schema: WsSchema,
}

impl FromRef<HttpState> for AppState {
    fn from_ref(state: &HttpState) -> Self {
        state.app.clone()
    }
}

impl FromRef<HttpState> for AppSchema {
    fn from_ref(state: &HttpState) -> Self {
        state.schema.clone()
    }
}

impl FromRef<HttpState> for WsSchema {
    fn from_ref(state: &HttpState) -> Self {
        state.ws_schema.clone()
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mentorship-api",
        description = "REST routes beside the GraphQL API at /graphql."
    ),
    components(schemas(Health)),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

/// The `bearer` security scheme the metrics routes name: an OIDC access token (JWT).
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An OIDC access token: a council member's, or a client-credentials \
                         token with the `metrics:read` scope",
                    ))
                    .build(),
            ),
        );
    }
}

/// Body of `/healthz` and `/readyz`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Health {
    /// `ok` or `unavailable`.
    status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is up", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The database answers and the issuer's signing keys are loaded.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready for traffic", body = Health),
    (status = 503, description = "Database unreachable or signing keys not loaded", body = Health)))]
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    if state.is_ready().await {
        (StatusCode::OK, Json(Health { status: "ok" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable",
            }),
        )
    }
}

/// The OpenAPI document of the REST routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    rest_routes().split_for_parts().1
}

fn rest_routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics::metrics_json))
        .routes(routes!(metrics::metrics_csv))
        .routes(routes!(metrics::mentors_csv))
        .routes(routes!(export::my_export))
        .routes(routes!(export::person_export))
        .routes(routes!(mail::unsubscribe_form, mail::unsubscribe))
        .routes(routes!(mail::calendar))
}

/// The whole HTTP surface of one instance.
pub fn router(
    state: AppState,
    (schema, ws_schema): (AppSchema, WsSchema),
    (dev_issuer, dev_mail): (
        Option<DevIssuer>,
        Option<crate::mail::transport::DevMailbox>,
    ),
) -> Router {
    let settings = state.settings();
    let (rest, api) = rest_routes().split_for_parts();
    let mut app = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .merge(rest)
        .route("/openapi.json", get(move || async move { Json(api) }));
    if let Some(kept) = dev_mail {
        app = app.route(
            "/dev/mail",
            get(mail::dev_mail).with_state::<HttpState>(kept),
        );
    }
    if let Some(issuer) = dev_issuer {
        app = app.nest(crate::auth::dev_issuer::PATH, issuer.router());
        // GraphiQL's assets, from the binary: the page works without a network.
        app = app.merge(graphiql::router());
        // Swagger UI (served from the binary, no CDN) to try the REST routes in `dev`.
        app = app.merge(
            utoipa_swagger_ui::SwaggerUi::new("/swagger-ui")
                .url("/api-docs/openapi.json", openapi()),
        );
    }
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let path = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        let request_id = req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        tracing::info_span!("request", method = %req.method(), path, request_id)
    });
    // Timeout and body limit bound requests, not the long-lived subscription sockets;
    // answers are compressed for clients that accept it (not the sockets either).
    let bounded = app.layer(
        ServiceBuilder::new()
            .layer(compression())
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                settings.request_timeout,
            ))
            .layer(RequestBodyLimitLayer::new(settings.body_limit)),
    );
    bounded
        .route("/graphql/ws", get(ws::handler))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::map_request(drop_unsafe_request_id))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    graphql_shaped_refusals,
                ))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(trace)
                .layer(cors(&settings.cors_origins)),
        )
        .with_state(HttpState {
            app: state,
            schema,
            ws_schema,
        })
}

/// Answers below this size are sent as they are: compressing them saves less than its
/// headers and CPU cost.
pub const COMPRESS_ABOVE: u64 = 1024;

/// gzip, brotli or zstd, whichever the client's `Accept-Encoding` prefers, for answers of at
/// least [`COMPRESS_ABOVE`] bytes (not images). Level 4 of each: most of the size gain of
/// their defaults (brotli's is its slowest, 11) at a fraction of the CPU.
fn compression() -> CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::{
        CompressionLevel, Predicate,
        predicate::{NotForContentType, SizeAbove},
    };
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .zstd(true)
        .quality(CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(COMPRESS_ABOVE).and(NotForContentType::IMAGES))
}

/// Refusals made below the GraphQL layer — 413 from the body limit, 408 from the timeout,
/// 404 and 405 from the router, 400 from a bad WebSocket upgrade — come as plain text; a
/// client should meet one error shape everywhere, so each gets the GraphQL error shape and a
/// code, keeping its status and headers (`Allow`, `Retry-After`).
async fn graphql_shaped_refusals(
    State(state): State<AppState>,
    req: Request,
    next: middleware::Next,
) -> axum::response::Response {
    let response = next.run(req).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if status.as_u16() < 400 || json {
        return response;
    }
    let settings = state.settings();
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "BAD_USER_INPUT",
            format!(
                "request body too large: the limit is {} bytes",
                settings.body_limit
            ),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "UNAVAILABLE",
            format!(
                "the request took longer than {}",
                humantime::format_duration(settings.request_timeout)
            ),
        ),
        StatusCode::NOT_FOUND => ("NOT_FOUND", "no such route".to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => (
            "BAD_USER_INPUT",
            "method not allowed on this route".to_owned(),
        ),
        s if s.is_server_error() => ("INTERNAL", "internal error".to_owned()),
        s => (
            "BAD_USER_INPUT",
            s.canonical_reason().unwrap_or("bad request").to_lowercase(),
        ),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = serde_json::json!({
        "data": null,
        "errors": [{ "message": message, "extensions": { "code": code } }],
    });
    axum::response::Response::from_parts(parts, axum::body::Body::from(body.to_string()))
}

/// A client's request id is kept only if it is short and plain, so it is safe in logs.
async fn drop_unsafe_request_id(mut req: Request) -> Request {
    let safe = req.headers().get(&REQUEST_ID).is_none_or(|v| {
        v.len() <= 128
            && v.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
    });
    if !safe {
        req.headers_mut().remove(&REQUEST_ID);
    }
    req
}

fn cors(origins: &str) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            REQUEST_ID,
            HeaderName::from_static(crate::idempotency::HEADER),
        ])
        .expose_headers([
            REQUEST_ID,
            HeaderName::from_static(idempotent::REPLAYED),
            header::RETRY_AFTER,
        ]);
    let origins: Vec<&str> = origins
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect();
    if origins == ["*"] {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| o.parse().ok()).collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}
