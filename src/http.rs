//! The router and its layers: request id, tracing, CORS, body limit, timeout; health,
//! readiness and the OpenAPI document beside `/graphql`.

use axum::{
    Json, Router,
    extract::{MatchedPath, Request, State},
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    middleware,
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{auth::dev_issuer::DevIssuer, graphql::transport, state::AppState};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

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

fn rest_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(crate::metrics::rest::metrics_json))
        .routes(routes!(crate::metrics::rest::metrics_csv))
        .routes(routes!(crate::metrics::rest::mentors_csv))
}

/// The whole HTTP surface of one instance.
pub fn router(state: AppState, dev_issuer: Option<DevIssuer>) -> Router {
    let settings = state.settings();
    let (rest, api) = rest_routes().split_for_parts();
    let mut app = Router::new()
        .route("/graphql", get(transport::get).post(transport::post))
        .merge(rest)
        .route("/openapi.json", get(move || async move { Json(api) }));
    if let Some(issuer) = dev_issuer {
        app = app.nest(crate::auth::dev_issuer::PATH, issuer.router());
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
    // Timeout and body limit bound requests, not the long-lived subscription sockets.
    let bounded = app.layer(
        ServiceBuilder::new()
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                settings.request_timeout,
            ))
            .layer(RequestBodyLimitLayer::new(settings.body_limit)),
    );
    bounded
        .route("/graphql/ws", get(crate::graphql::ws::handler))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::map_request(drop_unsafe_request_id))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(trace)
                .layer(cors(&settings.cors_origins)),
        )
        .with_state(state)
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
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([REQUEST_ID]);
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
