//! The HTTP routes: Partner Center's customer, subscription, cart, order and activation-link
//! routes, the publisher's SaaS Fulfillment routes, and sign-in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::TimeDelta;
use domain::{
    ActivityExport, ActivityRead, Actor, BillingFrequency, BillingRead, CartId, CartLine,
    CartLineCheck, CatalogItemId, CommandError, CustomerId, CustomerQuery, CustomerSort,
    CustomersExport, InvoiceRead, MeRead, Nickname, OrderRead, PurchaseRead, Read,
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
            .fallback_service(ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html"))))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&dist.join("index.html")),
            )),
        None => api.fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "No such route.") }),
    }
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
        let shared = state.shared.lock().expect("the lock is never poisoned");
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
}

impl ApiError {
    fn new(status: StatusCode, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code: u32::from(status.as_u16()),
            description: description.into(),
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
        (
            self.status,
            Json(json!({ "code": self.code, "description": self.description })),
        )
            .into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

/// A signed-in partner user, from `Authorization: Bearer <token>`.
pub struct SignedIn(Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |why: &str| ApiError::new(StatusCode::UNAUTHORIZED, why);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                unauthorized(
                    "Sign in first: send Authorization: Bearer <token> from POST /v1/signin.",
                )
            })?;
        let shared = state.shared.lock().expect("the lock is never poisoned");
        match shared.store.token(token.trim())? {
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

/// Runs a command as an entry of the journal.
fn run(state: &AppState, actor: Actor, command: Command) -> Result<Applied, ApiError> {
    let entry = Entry {
        at: now(),
        actor,
        command,
        random: random_key(),
    };
    let mut shared = state.shared.lock().expect("the lock is never poisoned");
    Ok(shared.execute(entry, None)??)
}

#[derive(Deserialize)]
struct SignIn {
    email: String,
    password: String,
}

async fn sign_in(State(state): State<AppState>, bytes: axum::body::Bytes) -> ApiResult {
    let request: SignIn = body(&bytes)?;
    let refused = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The e-mail address or the password is not right.",
        )
    };
    let credential = {
        let shared = state.shared.lock().expect("the lock is never poisoned");
        shared.store.credential(&request.email)?
    }
    .ok_or_else(refused)?;
    let hash = PasswordHash::new(&credential.password_hash).map_err(|_| refused())?;
    Argon2::default()
        .verify_password(request.password.as_bytes(), &hash)
        .map_err(|_| refused())?;
    let token = random_hex(32);
    let expires = now() + TimeDelta::hours(TOKEN_HOURS);
    let shared = state.shared.lock().expect("the lock is never poisoned");
    shared.store.add_token(&token, credential.user, expires)?;
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
    let c = shared.engine.customer(id).map_err(CommandError::from)?;
    Ok(json_response(StatusCode::OK, rest::customer(c)))
}

async fn subscriptions(
    _: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_customer(&id)?;
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
        let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
/// placing a second one.
async fn checkout(
    SignedIn(actor): SignedIn,
    State(state): State<AppState>,
    Path((customer, cart)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let customer = parse_customer(&customer)?;
    let cart = CartId::parse(&cart).map_err(|e| ApiError::from(CommandError::from(e)))?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{customer}:{}", k.trim()));
    let entry = Entry {
        at: now(),
        actor,
        command: Command::Checkout { customer, cart },
        random: random_key(),
    };
    let mut shared = state.shared.lock().expect("the lock is never poisoned");
    if let Some(key) = &key
        && let Some(stored) = shared.store.idempotent(key)?
    {
        let body: Value = serde_json::from_str(&stored).expect("stored responses are JSON");
        return Ok(json_response(StatusCode::CREATED, body));
    }
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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

/// What may be sent for a publisher through the console's route: only the steps of its site —
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let shared = state.shared.lock().expect("the lock is never poisoned");
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

/// The console's replica starts from the engine's state and the journal position it reflects.
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
    let receiver = state
        .shared
        .lock()
        .expect("the lock is never poisoned")
        .notices
        .subscribe();
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
    /// Act as this publisher (the simulated publisher's site).
    #[serde(default)]
    publisher: Option<String>,
    /// The activation code of the link the publisher's site was opened with: a publisher's
    /// licenses and activation are taken only with it.
    #[serde(default)]
    publisher_token: Option<String>,
}

/// Any command of the console, as the domain's command data: the console's own route for what the
/// Partner Center shapes do not cover (setup tasks, next-term changes, policy, the publisher's
/// simulated site).
async fn console_command(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    bytes: axum::body::Bytes,
) -> ApiResult {
    let request: CommandRequest = body(&bytes)?;
    let actor = match request.publisher {
        Some(p) if !p.trim().is_empty() => {
            publisher_step(&state, &request.command, request.publisher_token.as_deref())?;
            Actor::Publisher(p)
        }
        _ => user,
    };
    if let (Some(seen), Some(id)) = (request.subscription_version, request.command.subscription()) {
        let shared = state.shared.lock().expect("the lock is never poisoned");
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
    let seq = state
        .shared
        .lock()
        .expect("the lock is never poisoned")
        .last_seq;
    Ok(json_response(
        StatusCode::OK,
        json!({ "seq": seq, "applied": applied }),
    ))
}
