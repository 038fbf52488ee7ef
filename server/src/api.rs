//! The HTTP routes: Partner Center's customer, subscription, cart, order and activation-link
//! routes, the publisher's SaaS Fulfillment routes, and sign-in.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::TimeDelta;
use domain::{
    ActivityExport, ActivityRead, Actor, BillingFrequency, BillingRead, CartId, CartLine,
    CartLineCheck, CatalogItemId, CommandError, CustomerId, CustomerQuery, CustomerSort,
    CustomersExport, InvoiceRead, MeRead, Nickname, OrderRead, PublisherRead, PurchaseRead, Read,
    ReconciliationExport, RenewalsRead, ResellerPartnerId, SettingsRead, SortDirection,
    SubscriptionId, SubscriptionRead, SubscriptionsExport, SubscriptionsRead, Term,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{AppState, Config, now, random_hex, random_key, rest};
use domain::{Applied, Command, Entry};

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;
/// How long a sign-in lasts.
const TOKEN_HOURS: i64 = 8;

pub(crate) fn router(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .route("/v1/signin", post(sign_in))
        .route("/v1/signout", post(sign_out))
        .route("/v1/customers", get(customers))
        .route("/v1/customers/{customer}", get(customer))
        .route("/v1/customers/{customer}/subscriptions", get(subscriptions))
        .route(
            "/v1/customers/{customer}/subscriptions/{subscription}",
            get(subscription).patch(patch_subscription),
        )
        .route("/v1/customers/{customer}/carts", post(create_cart))
        .route(
            "/v1/customers/{customer}/carts/{cart}/checkout",
            post(checkout),
        )
        .route("/v1/customers/{customer}/orders", get(orders))
        .route("/v1/customers/{customer}/orders/{order}", get(order))
        .route(
            "/v1/customers/{customer}/orders/{order}/lineitems/{line}/activationlinks",
            get(activation_links),
        )
        .route("/v1/console/commands", post(console_command))
        .route("/v1/console/events", post(events_ticket).get(events))
        .merge(console_reads())
        .merge(publisher_routes(state.clone()))
        // Any other API address is no page of the console.
        .route("/v1/{*rest}", axum::routing::any(no_such_route))
        .route("/saas/{*rest}", axum::routing::any(no_such_route))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    let api = match &config.app_origin {
        Some(origin) => match HeaderValue::from_str(origin) {
            Ok(origin) => api.layer(
                CorsLayer::new()
                    .allow_origin(AllowOrigin::list([origin]))
                    .allow_methods([Method::GET, Method::POST, Method::PATCH])
                    .allow_headers([
                        header::AUTHORIZATION,
                        header::CONTENT_TYPE,
                        header::IF_MATCH,
                        header::HeaderName::from_static("idempotency-key"),
                    ])
                    .expose_headers([header::ETAG]),
            ),
            Err(_) => api,
        },
        None => api,
    };
    match &config.dist {
        // The console's own pages: any other path is the single-page app, served with a
        // Content-Security-Policy that lets only the console's own scripts run.
        Some(dist) => api
            .merge(static_files(dist))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&dist.join("index.html")),
            )),
        None => api.fallback(no_such_route),
    }
}

/// The publisher's side, for callers who are not signed in: the SaaS Fulfillment API v2 routes,
/// and the steps and reads of the console's own publisher page (which a private window opens from
/// the activation link, with no partner sign-in). Limited per client address, a refusal counting
/// once more.
fn publisher_routes(state: AppState) -> Router<AppState> {
    async fn limited(
        State(state): State<AppState>,
        ConnectInfo(peer): ConnectInfo<SocketAddr>,
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> Response {
        if let Err(limit) = state.gate.publisher_call_from(peer.ip()) {
            return ApiError::too_many(limit, "call the publisher's routes").into_response();
        }
        let response = next.run(request).await;
        if response.status().is_client_error() {
            state.gate.publisher_refused_from(peer.ip());
        }
        response
    }
    Router::new()
        .route("/saas/console/steps", post(publisher_site_step))
        .route(
            &format!("/saas/console/reads/{}", PublisherRead::NAME),
            post(public_read::<PublisherRead>),
        )
        .route("/saas/subscriptions/resolve", post(resolve))
        .route(
            "/saas/subscriptions/{subscription}",
            get(publisher_subscription),
        )
        .route(
            "/saas/subscriptions/{subscription}/licenses",
            post(assign_licenses),
        )
        .route(
            "/saas/subscriptions/{subscription}/activate",
            post(activate),
        )
        .route_layer(axum::middleware::from_fn_with_state(state, limited))
}

async fn no_such_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "No such route.")
}

/// The built console: the files found in `dist` when the server starts, each at its own path,
/// and `index.html` for any other path (the console's own routes). A name starting with a dot
/// and a symbolic link are never listed, so neither is served, nor anything a link points to.
fn static_files(dist: &std::path::Path) -> Router {
    fn listed(dir: &std::path::Path, at: &str, files: &mut std::collections::HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if name.starts_with('.') || kind.is_symlink() {
                continue;
            }
            let path = format!("{at}/{name}");
            if kind.is_dir() {
                listed(&entry.path(), &path, files);
            } else if kind.is_file() {
                files.insert(path);
            }
        }
    }
    let mut files = std::collections::HashSet::new();
    listed(dist, "", &mut files);
    let files = std::sync::Arc::new(files);
    let (dir, index) = (ServeDir::new(dist), ServeFile::new(dist.join("index.html")));
    Router::new().fallback(move |request: axum::extract::Request| {
        use tower::ServiceExt as _;
        let listed = files.contains(request.uri().path());
        let (dir, index) = (dir.clone(), index.clone());
        async move {
            match listed {
                true => dir.oneshot(request).await.into_response(),
                false => index.oneshot(request).await.into_response(),
            }
        }
    })
}

/// The console's reads, one route each: `POST /v1/console/reads/<name>` with the read as its JSON
/// body. They change nothing; a read's input can nest (the activity log's filter), which a query
/// string would not carry as the same serde type the in-browser source uses.
fn console_reads() -> Router<AppState> {
    fn route<R: Read>(router: Router<AppState>) -> Router<AppState> {
        router.route(&format!("/v1/console/reads/{}", R::NAME), post(read::<R>))
    }
    let router = Router::new();
    let router = route::<CustomerQuery>(router);
    let router = route::<SubscriptionsRead>(router);
    let router = route::<SubscriptionRead>(router);
    let router = route::<PurchaseRead>(router);
    let router = route::<CartLineCheck>(router);
    let router = route::<OrderRead>(router);
    let router = route::<BillingRead>(router);
    let router = route::<InvoiceRead>(router);
    let router = route::<RenewalsRead>(router);
    let router = route::<ActivityRead>(router);
    let router = route::<ActivityExport>(router);
    let router = route::<CustomersExport>(router);
    let router = route::<SubscriptionsExport>(router);
    let router = route::<ReconciliationExport>(router);
    let router = route::<SettingsRead>(router);
    route::<MeRead>(router)
}

/// A read's answer with the journal position it reflects: `{"position": n, "answer": …}`.
#[derive(Serialize)]
struct Answered<T> {
    position: i64,
    answer: T,
}

/// Answers a read for the signed-in user by running the domain's read on the current engine;
/// what the role may not read is refused with 403.
async fn read<R: Read>(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let read: R = body(&bytes)?;
    let (position, answer) = {
        let shared = state.shared();
        (shared.last_seq, read.answer(&shared.engine, &actor, now())?)
    };
    Ok(Json(Answered { position, answer }).into_response())
}

/// The console's policy: its own scripts (the module loader in `index.html`, by its hash, and
/// files from this origin), WebAssembly compilation, its own styles, and requests to this origin.
pub fn content_security_policy(index: &std::path::Path) -> HeaderValue {
    use base64::Engine as _;
    use sha2::Digest as _;
    let html = std::fs::read_to_string(index).unwrap_or_default();
    let hashes: String = html
        .split("<script")
        .skip(1)
        .filter_map(|rest| {
            let body = rest.split_once('>')?.1;
            let (script, _) = body.split_once("</script>")?;
            (!script.trim().is_empty()).then(|| {
                let digest = sha2::Sha256::digest(script.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is plain ASCII")
}

/// A Partner-Center-style error: `{"code", "description"}` with a fitting status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: u32,
    description: String,
    /// Seconds until a caller over a limit may try again (`Retry-After`).
    retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code: u32::from(status.as_u16()),
            description: description.into(),
            retry_after: None,
        }
    }

    /// 429 with `Retry-After`: `what` may be tried again after the wait.
    fn too_many(limit: crate::limits::TooMany, what: &str) -> Self {
        let seconds = limit.wait.as_secs_f64().ceil().max(1.0) as u64;
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("Too many attempts: {what} again in {seconds} s."),
            )
        }
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        let status = match &e {
            CommandError::Denied(_) => StatusCode::FORBIDDEN,
            CommandError::NotFound(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError {
            code: e.code().unwrap_or(u32::from(status.as_u16())),
            status,
            description: e.to_string(),
            retry_after: None,
        }
    }
}

impl From<crate::StoreError> for ApiError {
    fn from(e: crate::StoreError) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("The change could not be saved, so it was not made: {e}. Try again."),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({ "code": self.code, "description": self.description })),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

type ApiResult = Result<Response, ApiError>;

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// A signed-in partner user, from `Authorization: Bearer <token>`.
pub struct SignedIn(Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |why: &str| ApiError::new(StatusCode::UNAUTHORIZED, why);
        let token = bearer(&parts.headers).ok_or_else(|| {
            unauthorized("Sign in first: send Authorization: Bearer <token> from POST /v1/signin.")
        })?;
        let shared = state.shared();
        match shared.store.session(token)? {
            Some((user, expires)) if expires > now() => Ok(SignedIn(Actor::User(user))),
            Some(_) => Err(unauthorized("The sign-in has expired: sign in again.")),
            None => Err(unauthorized("The token is not valid: sign in again.")),
        }
    }
}

/// The publisher acting on its fulfillment side, from `x-ms-publisher-id` (standing in for the
/// publisher's own Microsoft Entra application identity in this simulation).
pub struct PublisherSide(Actor);

impl FromRequestParts<AppState> for PublisherSide {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        parts
            .headers
            .get("x-ms-publisher-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().is_empty())
            .map(|v| PublisherSide(Actor::Publisher(v.trim().to_owned())))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "Publisher routes need the x-ms-publisher-id header.",
                )
            })
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn parse_customer(text: &str) -> Result<CustomerId, ApiError> {
    CustomerId::parse(text).map_err(|e| ApiError::from(CommandError::from(e)))
}

fn parse_subscription(text: &str) -> Result<SubscriptionId, ApiError> {
    SubscriptionId::parse(text).map_err(|e| ApiError::from(CommandError::from(e)))
}

/// Parses a JSON body, naming what is wrong with it and where (`filter.from: …`).
fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    let invalid = |why: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("The request body is not valid: {why}."),
        )
    };
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let at = e.path().to_string();
        match at.as_str() {
            "." => invalid(e.into_inner().to_string()),
            _ => invalid(format!("{at}: {}", e.into_inner())),
        }
    })?;
    reader.end().map_err(|e| invalid(e.to_string()))?;
    Ok(value)
}

/// Runs a command as an entry of the journal, unless it would change nothing: an attempt by a role
/// that only reads is refused unrecorded, an activation link still valid and a publisher's resolve
/// are read, and the clock, which is real time here, is the server's own to advance.
fn run(state: &AppState, actor: Actor, command: Command) -> Result<Applied, ApiError> {
    let mut shared = state.shared();
    shared.engine.may_attempt(&actor, &command)?;
    match &command {
        Command::ActivationLink { subscription } => {
            if let Some(link) =
                shared
                    .engine
                    .current_activation_link(&actor, now(), *subscription)?
            {
                return Ok(Applied::Link(link));
            }
        }
        Command::Resolve { token } => {
            return Ok(Applied::Resolved(shared.engine.resolved(
                &actor,
                now(),
                token,
            )?));
        }
        Command::AdvanceClock => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "The server's clock is real time and moves by itself; only the in-browser console has a simulated clock to advance.",
            ));
        }
        _ => {}
    }
    let entry = Entry {
        at: now(),
        actor,
        command,
        random: random_key(),
    };
    Ok(shared.execute(entry, None)??)
}

#[derive(Deserialize)]
struct SignIn {
    email: String,
    password: String,
}

/// Sign-in, for callers who are not signed in yet: limited per client address and, after repeated
/// failures, per account; an address with no account is answered after the same work as one with
/// a wrong password, with the same words.
async fn sign_in(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<AppState>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    state
        .gate
        .sign_in_from(peer.ip())
        .map_err(|limit| ApiError::too_many(limit, "sign in"))?;
    let request: SignIn = body(&bytes)?;
    let account = request.email.trim().to_lowercase();
    state
        .gate
        .account_may_try(&account)
        .map_err(|limit| ApiError::too_many(limit, "sign in to this account"))?;
    let credential = state.shared().store.credential(&account)?;
    let hash = credential.as_ref().map(|c| c.password_hash.clone());
    let matches = state.gate.password_matches(hash, request.password).await;
    let Some(credential) = credential.filter(|_| matches) else {
        state.gate.account_failed(&account);
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The e-mail address or the password is not right.",
        ));
    };
    state.gate.account_signed_in(&account);
    let token = random_hex(32);
    let expires = now() + TimeDelta::hours(TOKEN_HOURS);
    let shared = state.shared();
    shared.store.add_session(&token, credential.user, expires)?;
    let user = shared.engine.state().partner.user(credential.user).cloned();
    Ok(json_response(
        StatusCode::OK,
        json!({
            "token": token,
            "expiresAt": expires.to_rfc3339(),
            "user": user.map(|u| json!({ "id": u.id.to_string(), "name": u.name, "role": u.role.label() })),
        }),
    ))
}

/// Sign-out: the token stops working at once, on every device that holds it.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    if let Some(token) = bearer(&headers) {
        state.shared().store.end_session(token)?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    page: Option<usize>,
    size: Option<usize>,
}

async fn customers(
    _: SignedIn,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> ApiResult {
    let shared = state.shared();
    let page = shared.engine.search_customers(&CustomerQuery {
        text: query.q,
        sort: match query.sort.as_str() {
            "domain" => CustomerSort::PrimaryDomain,
            "subscriptions" => CustomerSort::Subscriptions,
            _ => CustomerSort::CompanyName,
        },
        direction: if query.dir == "desc" {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        },
        page: query.page.unwrap_or(1),
        page_size: query.size.unwrap_or(100).clamp(1, 500),
    });
    let mut body = rest::collection(
        page.rows
            .iter()
            .map(|r| rest::customer(&r.customer))
            .collect(),
    );
    body["totalCount"] = json!(page.total);
    Ok(json_response(StatusCode::OK, body))
}

async fn customer(_: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = parse_customer(&id)?;
    let shared = state.shared();
    let c = shared.engine.customer(id).map_err(CommandError::from)?;
    Ok(json_response(StatusCode::OK, rest::customer(c)))
}

async fn subscriptions(
    _: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_customer(&id)?;
    let shared = state.shared();
    let subs = shared
        .engine
        .customer_subscriptions(id, None)
        .map_err(CommandError::from)?;
    let items = subs
        .into_iter()
        .map(|s| rest::subscription(&shared.engine, s))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        rest::collection::<Value>(items),
    ))
}

fn subscription_response(state: &AppState, customer: CustomerId, id: SubscriptionId) -> ApiResult {
    let shared = state.shared();
    let sub = shared.engine.subscription(id).map_err(CommandError::from)?;
    if sub.customer != customer {
        return Err(CommandError::from(domain::NotFound {
            what: "Subscription",
            id: id.to_string(),
        })
        .into());
    }
    let mut response = json_response(StatusCode::OK, rest::subscription(&shared.engine, sub));
    if let Ok(etag) = HeaderValue::from_str(&sub.etag()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

async fn subscription(
    _: SignedIn,
    State(state): State<AppState>,
    Path((customer, id)): Path<(String, String)>,
) -> ApiResult {
    subscription_response(&state, parse_customer(&customer)?, parse_subscription(&id)?)
}

/// PATCH carries the full resource; the one property that differs is the change. `If-Match` must
/// carry the current etag, so two partners never overwrite each other silently.
async fn patch_subscription(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    Path((customer, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let (customer, id) = (parse_customer(&customer)?, parse_subscription(&id)?);
    let resource: Value = body(&bytes)?;
    let Some(fields) = resource.as_object() else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "The request body must be the Subscription resource (a JSON object).",
        ));
    };
    let command = {
        let shared = state.shared();
        let sub = shared.engine.subscription(id).map_err(CommandError::from)?;
        if sub.customer != customer {
            return Err(CommandError::from(domain::NotFound {
                what: "Subscription",
                id: id.to_string(),
            })
            .into());
        }
        let etag = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
        match etag {
            None => {
                return Err(ApiError::new(
                    StatusCode::PRECONDITION_REQUIRED,
                    "Send If-Match with the subscription's etag.",
                ));
            }
            Some(tag) if tag.trim() != sub.etag() => {
                return Err(ApiError::new(
                    StatusCode::PRECONDITION_FAILED,
                    "The subscription changed since you read it: get it again and reapply your change.",
                ));
            }
            Some(_) => {}
        }
        // As in Partner Center, read-only properties of the resource are ignored; the properties
        // that can change are compared with their current values.
        let current = rest::subscription(&shared.engine, sub);
        let mut changes = Vec::new();
        for field in MUTABLE {
            if let Some(value) = fields.get(*field)
                && current.get(*field) != Some(value)
            {
                changes.push(change_for(id, field, value, fields)?);
            }
        }
        match changes.len() {
            0 => None,
            1 => changes.pop(),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "Change one property at a time (friendlyName, quantity, autoRenewEnabled, partnerId or status).",
                ));
            }
        }
    };
    if let Some(command) = command {
        run(&state, actor, command)?;
    }
    subscription_response(&state, customer, id)
}

/// The properties of the Subscription resource a PATCH can change.
const MUTABLE: &[&str] = &[
    "friendlyName",
    "quantity",
    "autoRenewEnabled",
    "partnerId",
    "status",
];

/// The command for one changed property of a PATCH.
fn change_for(
    id: SubscriptionId,
    field: &str,
    value: &Value,
    all: &serde_json::Map<String, Value>,
) -> Result<Command, ApiError> {
    let wrong =
        |what: &str| ApiError::new(StatusCode::BAD_REQUEST, format!("{field} must be {what}."));
    Ok(match field {
        "friendlyName" => Command::Rename {
            subscription: id,
            nickname: Nickname::parse(value.as_str().ok_or_else(|| wrong("a string"))?)
                .map_err(|e| ApiError::from(CommandError::from(e)))?,
        },
        "quantity" => Command::ChangeQuantity {
            subscription: id,
            quantity: value
                .as_u64()
                .ok_or_else(|| wrong("a whole number of licenses"))?,
        },
        "autoRenewEnabled" => Command::SetAutoRenew {
            subscription: id,
            on: value.as_bool().ok_or_else(|| wrong("true or false"))?,
        },
        "partnerId" => Command::SetReseller {
            subscription: id,
            reseller: match value {
                Value::Null => None,
                Value::String(s) if s.trim().is_empty() => None,
                Value::String(s) => Some(
                    ResellerPartnerId::parse(s)
                        .map_err(|e| ApiError::from(CommandError::from(e)))?,
                ),
                _ => return Err(wrong("a string of digits, or null to clear it")),
            },
        },
        "status" if value == "deleted" => Command::Cancel {
            subscription: id,
            steps_confirmed: all
                .get("publisherStepsConfirmed")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("{field} can't be changed here."),
            ));
        }
    })
}

/// The Cart resource as Partner Center documents it; properties the server sets itself are
/// accepted and ignored, anything else is refused.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct CartRequest {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    creation_timestamp: Option<Value>,
    #[serde(default)]
    last_modified_timestamp: Option<Value>,
    #[serde(default)]
    expiration_timestamp: Option<Value>,
    #[serde(default)]
    last_modified_user: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    links: Option<Value>,
    #[serde(default)]
    attributes: Option<Value>,
    line_items: Vec<CartLineRequest>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CartLineRequest {
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<u32>,
    catalog_item_id: String,
    quantity: u64,
    term_duration: String,
    billing_cycle: String,
    #[serde(default)]
    friendly_name: Option<String>,
    #[serde(default)]
    partner_id_on_record: Option<String>,
    #[serde(default)]
    free_trial: bool,
}

fn cart_line(l: CartLineRequest) -> Result<CartLine, ApiError> {
    let parse_err = |e: domain::ParseError| ApiError::from(CommandError::from(e));
    let term = Term::ALL
        .into_iter()
        .find(|t| t.as_str() == l.term_duration)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "termDuration must be P1M, P1Y, P2Y or P3Y (not {}).",
                    l.term_duration
                ),
            )
        })?;
    let billing = BillingFrequency::ALL
        .into_iter()
        .find(|b| b.as_str() == l.billing_cycle.to_lowercase())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "billingCycle must be monthly, annual or one-time (not {}).",
                    l.billing_cycle
                ),
            )
        })?;
    Ok(CartLine {
        item: CatalogItemId::parse(&l.catalog_item_id).map_err(parse_err)?,
        term,
        billing,
        quantity: l.quantity,
        free_trial: l.free_trial,
        nickname: l
            .friendly_name
            .filter(|n| !n.trim().is_empty())
            .map(|n| Nickname::parse(&n))
            .transpose()
            .map_err(parse_err)?,
        reseller: l
            .partner_id_on_record
            .filter(|p| !p.trim().is_empty())
            .map(|p| ResellerPartnerId::parse(&p))
            .transpose()
            .map_err(parse_err)?,
    })
}

async fn create_cart(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let customer = parse_customer(&customer)?;
    let request: CartRequest = body(&bytes)?;
    let lines = request
        .line_items
        .into_iter()
        .map(cart_line)
        .collect::<Result<Vec<_>, _>>()?;
    let Applied::Cart(cart) = run(&state, actor, Command::CreateCart { customer, lines })? else {
        unreachable!("create cart makes a cart")
    };
    let shared = state.shared();
    let stored = &shared.engine.state().carts[&cart];
    Ok(json_response(
        StatusCode::CREATED,
        json!({
            "id": cart.to_string(),
            "creationTimestamp": stored.created_at.to_rfc3339(),
            "lineItems": stored.lines.iter().enumerate().map(|(i, l)| json!({
                "id": i, "catalogItemId": l.item.to_string(), "quantity": l.quantity,
                "termDuration": l.term.as_str(), "billingCycle": l.billing.as_str(),
                "friendlyName": l.nickname.as_ref().map(|n| n.as_str()),
                "partnerIdOnRecord": l.reseller.as_ref().map(|r| r.as_str()),
            })).collect::<Vec<_>>(),
            "status": "Active",
            "attributes": { "objectType": "Cart" },
        }),
    ))
}

/// Checkout; with an `Idempotency-Key`, a retried checkout answers with the first order instead of
/// placing a second one. A key is its user's own, for one customer's cart: the same key for
/// another cart is refused, and another user's same key is another key.
async fn checkout(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    Path((customer, cart)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let customer = parse_customer(&customer)?;
    let cart = CartId::parse(&cart).map_err(|e| ApiError::from(CommandError::from(e)))?;
    let key = match (&actor, headers.get("idempotency-key")) {
        (Actor::User(user), Some(key)) => Some(crate::store::CheckoutKey {
            user: *user,
            key: key.to_str().unwrap_or_default().trim().to_owned(),
            customer: customer.to_string(),
            cart: cart.to_string(),
        }),
        _ => None,
    };
    let command = Command::Checkout { customer, cart };
    let mut shared = state.shared();
    shared.engine.may_attempt(&actor, &command)?;
    if let Some(key) = &key
        && let Some(kept) = shared.store.checkout_by_key(key.user, &key.key)?
    {
        if (kept.customer.as_str(), kept.cart.as_str())
            != (key.customer.as_str(), key.cart.as_str())
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "The Idempotency-Key {} was used for another checkout (cart {} of customer {}): send a new key for this cart.",
                    key.key, kept.cart, kept.customer
                ),
            ));
        }
        let body: Value = serde_json::from_str(&kept.response).expect("kept responses are JSON");
        return Ok(json_response(StatusCode::CREATED, body));
    }
    let entry = Entry {
        at: now(),
        actor,
        command,
        random: random_key(),
    };
    let respond = |outcome: &Applied| match outcome {
        Applied::Order(order) => rest::checkout_result(order).to_string(),
        _ => String::new(),
    };
    let outcome = match &key {
        Some(key) => shared.execute(entry, Some((key, &respond)))?,
        None => shared.execute(entry, None)?,
    }?;
    let Applied::Order(order) = outcome else {
        unreachable!("checkout places an order")
    };
    Ok(json_response(
        StatusCode::CREATED,
        rest::checkout_result(&order),
    ))
}

async fn orders(
    _: SignedIn,
    State(state): State<AppState>,
    Path(customer): Path<String>,
) -> ApiResult {
    let customer = parse_customer(&customer)?;
    let shared = state.shared();
    shared
        .engine
        .customer(customer)
        .map_err(CommandError::from)?;
    let items = shared
        .engine
        .state()
        .orders
        .iter()
        .filter(|o| o.customer == customer)
        .map(rest::order)
        .collect();
    Ok(json_response(
        StatusCode::OK,
        rest::collection::<Value>(items),
    ))
}

fn find_order(
    state: &AppState,
    customer: CustomerId,
    order: &str,
) -> Result<domain::Order, ApiError> {
    let shared = state.shared();
    shared
        .engine
        .state()
        .orders
        .iter()
        .find(|o| o.customer == customer && o.id.as_str() == order)
        .cloned()
        .ok_or_else(|| {
            CommandError::from(domain::NotFound {
                what: "Order",
                id: order.to_owned(),
            })
            .into()
        })
}

async fn order(
    _: SignedIn,
    State(state): State<AppState>,
    Path((customer, order)): Path<(String, String)>,
) -> ApiResult {
    let order = find_order(&state, parse_customer(&customer)?, &order)?;
    Ok(json_response(StatusCode::OK, rest::order(&order)))
}

async fn activation_links(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    Path((customer, order, line)): Path<(String, String, u32)>,
) -> ApiResult {
    let order = find_order(&state, parse_customer(&customer)?, &order)?;
    let line = order
        .lines
        .iter()
        .find(|l| l.number == line)
        .ok_or_else(|| {
            ApiError::from(CommandError::from(domain::NotFound {
                what: "Order line",
                id: line.to_string(),
            }))
        })?;
    let Applied::Link(link) = run(
        &state,
        actor,
        Command::ActivationLink {
            subscription: line.subscription,
        },
    )?
    else {
        unreachable!("an activation link")
    };
    Ok(json_response(
        StatusCode::OK,
        rest::collection(vec![json!({
            "lineItemNumber": line.number,
            "link": { "uri": link.uri, "method": "GET", "headers": [] },
            "expiresAt": link.expires_at.to_rfc3339(),
        })]),
    ))
}

/// What may be sent for a publisher through its site's route: only the steps of its site —
/// resolving the link, assigning licenses and activating — and the last two only with the link's
/// activation code. A partner user cannot act as a publisher in any other way.
fn publisher_step(state: &AppState, command: &Command, code: Option<&str>) -> Result<(), ApiError> {
    match command {
        Command::Resolve { .. } => Ok(()),
        Command::AssignLicenses { subscription, .. } | Command::Activate { subscription, .. } => {
            require_code(state, *subscription, code)
        }
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Only the steps of the publisher's site can be taken for a publisher: resolving its link, assigning licenses and activating.",
        )),
    }
}

/// The publisher's later steps on a subscription prove they come from its personalized link: the
/// link's activation code must be sent along (this simulation's stand-in for the publisher's own
/// Microsoft Entra identity, which the subscription ID alone — shown in every list — is not).
fn require_code(state: &AppState, id: SubscriptionId, code: Option<&str>) -> Result<(), ApiError> {
    let shared = state.shared();
    let sub = shared.engine.subscription(id).map_err(CommandError::from)?;
    let matches = sub
        .activation
        .as_ref()
        .zip(code)
        .is_some_and(|(a, code)| a.code == code.trim());
    if matches {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "The publisher's steps need the activation code of the subscription's link (x-ms-marketplace-token).",
        ))
    }
}

fn marketplace_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-ms-marketplace-token")
        .and_then(|v| v.to_str().ok())
}

async fn resolve(
    PublisherSide(actor): PublisherSide,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult {
    let token = marketplace_token(&headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "Send the activation code in the x-ms-marketplace-token header.",
        )
    })?;
    let Applied::Resolved(r) = run(
        &state,
        actor,
        Command::Resolve {
            token: token.to_owned(),
        },
    )?
    else {
        unreachable!("a resolved purchase")
    };
    Ok(json_response(
        StatusCode::OK,
        json!({
            "id": r.subscription.to_string(),
            "subscriptionName": r.subscription_name,
            "offerId": r.offer_id,
            "planId": r.plan_id,
            "quantity": r.quantity,
            "subscription": { "id": r.subscription.to_string(), "name": r.subscription_name, "offerId": r.offer_id, "planId": r.plan_id, "quantity": r.quantity,
                "beneficiary": { "tenantId": null, "emailId": null }, "purchaser": { "tenantId": null } },
        }),
    ))
}

async fn publisher_subscription(
    PublisherSide(actor): PublisherSide,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let id = parse_subscription(&id)?;
    require_code(&state, id, marketplace_token(&headers))?;
    let shared = state.shared();
    let sub = shared.engine.subscription(id).map_err(CommandError::from)?;
    shared
        .engine
        .require_publisher(&actor, sub)
        .map_err(CommandError::from)?;
    let saas_status = match sub.status {
        domain::SubscriptionStatus::Pending => "PendingFulfillmentStart",
        domain::SubscriptionStatus::Active => "Subscribed",
        domain::SubscriptionStatus::Suspended => "Suspended",
        _ => "Unsubscribed",
    };
    Ok(json_response(
        StatusCode::OK,
        json!({
            "id": sub.id.to_string(), "name": sub.nickname.as_str(), "offerId": sub.item.offer.as_str(),
            "planId": sub.item.plan.as_str(), "quantity": sub.quantity, "saasSubscriptionStatus": saas_status,
            "term": { "termUnit": sub.term.as_str(), "startDate": sub.activated_at.map(|t| t.to_rfc3339()), "endDate": sub.term_end().map(|t| t.to_rfc3339()) },
            "licenses": sub.licenses,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Licenses {
    emails: Vec<String>,
}

async fn assign_licenses(
    PublisherSide(actor): PublisherSide,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let subscription = parse_subscription(&id)?;
    require_code(&state, subscription, marketplace_token(&headers))?;
    let request: Licenses = body(&bytes)?;
    run(
        &state,
        actor,
        Command::AssignLicenses {
            subscription,
            emails: request.emails,
        },
    )?;
    Ok(StatusCode::OK.into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Activate {
    plan_id: String,
    quantity: u32,
}

async fn activate(
    PublisherSide(actor): PublisherSide,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let subscription = parse_subscription(&id)?;
    require_code(&state, subscription, marketplace_token(&headers))?;
    let request: Activate = body(&bytes)?;
    run(
        &state,
        actor,
        Command::Activate {
            subscription,
            plan_id: request.plan_id,
            quantity: request.quantity,
        },
    )?;
    Ok(StatusCode::OK.into_response())
}

/// How long a ticket for the change notices stays valid.
const TICKET_SECONDS: i64 = 60;

/// A ticket that opens the change notices once, within a minute: a browser's `EventSource` cannot
/// send the `Authorization` header, and a bearer token in an address would end up in logs.
async fn events_ticket(SignedIn(actor): SignedIn, State(state): State<AppState>) -> ApiResult {
    let Actor::User(user) = actor else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Only partner users get change notices.",
        ));
    };
    let ticket = random_hex(24);
    let at = now();
    let mut tickets = state.tickets.lock().expect("the lock is never poisoned");
    tickets.retain(|_, (_, until)| *until > at);
    tickets.insert(
        ticket.clone(),
        (user, at + TimeDelta::seconds(TICKET_SECONDS)),
    );
    Ok(json_response(StatusCode::OK, json!({ "ticket": ticket })))
}

#[derive(Deserialize)]
struct EventsQuery {
    ticket: String,
}

/// The change notices as Server-Sent Events: one `{position, subscription, by}` per journaled
/// change (a notice with no subscription when some were missed), until the client goes.
async fn events(State(state): State<AppState>, Query(query): Query<EventsQuery>) -> ApiResult {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let ticket = state
        .tickets
        .lock()
        .expect("the lock is never poisoned")
        .remove(&query.ticket);
    if ticket.is_none_or(|(_, until)| until <= now()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The ticket is not valid: ask for a new one with POST /v1/console/events.",
        ));
    }
    let receiver = state.shared().notices.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        use tokio::sync::broadcast::error::RecvError;
        let data = match receiver.recv().await {
            Ok(notice) => serde_json::to_string(&notice).expect("notices serialize"),
            // Too slow to keep up: every page reads again.
            Err(RecvError::Lagged(_)) => {
                json!({ "position": 0, "subscription": null, "by": "Someone" }).to_string()
            }
            Err(RecvError::Closed) => return None,
        };
        Some((
            Ok::<_, std::convert::Infallible>(Event::default().data(data)),
            receiver,
        ))
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CommandRequest {
    command: Command,
    /// The subscription's version the user saw; a different one now gets 412.
    #[serde(default)]
    subscription_version: Option<u64>,
}

/// A step of the publisher's site: `{publisher, code, command}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublisherStep {
    /// The publisher acting.
    publisher: String,
    /// The activation code of the link the site was opened with.
    code: String,
    command: Command,
}

/// The steps of the console's publisher page — resolving its link, assigning licenses and
/// activating — with the link's activation code as the proof, and no partner sign-in.
async fn publisher_site_step(State(state): State<AppState>, bytes: axum::body::Bytes) -> ApiResult {
    let request: PublisherStep = body(&bytes)?;
    publisher_step(&state, &request.command, Some(&request.code))?;
    let actor = Actor::Publisher(request.publisher.trim().to_owned());
    let applied = run(&state, actor, request.command)?;
    let seq = state.shared().last_seq;
    Ok(json_response(
        StatusCode::OK,
        json!({ "seq": seq, "applied": applied }),
    ))
}

/// A read anyone may make ([`Read::PUBLIC`]), answered as for the caller who is not signed in.
async fn public_read<R: Read>(
    State(state): State<AppState>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let read: R = body(&bytes)?;
    let shared = state.shared();
    let answer = read.answer(&shared.engine, &Actor::System, now())?;
    Ok(Json(Answered {
        position: shared.last_seq,
        answer,
    })
    .into_response())
}

/// Any command of the console, as the domain's command data, for the signed-in partner user: the
/// console's own route for what the Partner Center shapes do not cover (setup tasks, next-term
/// changes, policy). The publisher's site has its own route, `/saas/console/steps`.
async fn console_command(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let request: CommandRequest = body(&bytes)?;
    if let (Some(seen), Some(id)) = (request.subscription_version, request.command.subscription()) {
        let shared = state.shared();
        let current = shared
            .engine
            .subscription(id)
            .map_err(CommandError::from)?
            .version;
        if current != seen {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "Someone changed this subscription since you opened it: its new values are shown; check them and try again.",
            ));
        }
    }
    let applied = run(&state, actor, request.command)?;
    let seq = state.shared().last_seq;
    Ok(json_response(
        StatusCode::OK,
        json!({ "seq": seq, "applied": applied }),
    ))
}
