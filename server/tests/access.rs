//! Who may call what: every route of the API, called by each partner role, without a token, with
//! forged tokens and as publishers, answers with the status the role rules give; a refused write
//! changes nothing.

mod common;

use common::*;
use serde_json::{Value, json};

/// The publisher of Contoso Sign, the offer the fixtures buy.
const OWNING_PUBLISHER: &str = "contoso-esign";
/// A publisher of other offers.
const OTHER_PUBLISHER: &str = "fabrikam-dp";
/// A token no one was given: "Bearer " and 43 random-looking characters.
const FORGED: &str = "Bearer q8ZtN3vR0xKc7LmW2pYf9HsJd4GaB6eUo1TiXnQ5wEy";

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    GlobalAdmin,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
    BillingAdmin,
    /// No `Authorization` header.
    NoToken,
    /// A token that was never issued.
    ForgedToken,
    /// The Global admin's real token with one character changed.
    TamperedToken,
    /// `x-ms-publisher-id` of the publisher of the fixtures' offer, and no token.
    OwningPublisher,
    /// `x-ms-publisher-id` of another publisher, and no token.
    OtherPublisher,
}

/// Every caller, in the order of the columns of [`MATRIX`].
const EVERYONE: [Who; 10] = [
    Who::GlobalAdmin,
    Who::AdminAgent,
    Who::SalesAgent,
    Who::HelpdeskAgent,
    Who::BillingAdmin,
    Who::NoToken,
    Who::ForgedToken,
    Who::TamperedToken,
    Who::OwningPublisher,
    Who::OtherPublisher,
];

impl Who {
    fn email(self) -> Option<&'static str> {
        Some(match self {
            Who::GlobalAdmin => "megan.bowen@relecloud-partners.example",
            Who::AdminAgent => "adele.vance@relecloud-partners.example",
            Who::SalesAgent => "lee.gu@relecloud-partners.example",
            Who::HelpdeskAgent => "diego.siciliani@relecloud-partners.example",
            Who::BillingAdmin => "isaiah.langer@relecloud-partners.example",
            _ => return None,
        })
    }
}

/// Every route of the router; the console's command route appears once per kind of permission
/// its commands need.
#[derive(Debug, Clone, Copy)]
enum Route {
    SignIn,
    Customers,
    Customer,
    Subscriptions,
    Subscription,
    PatchSubscription,
    CreateCart,
    Checkout,
    Orders,
    Order,
    ActivationLinks,
    ConsoleUpdateCommand,
    ConsolePolicyCommand,
    ConsolePublisherCommand,
    Resolve,
    PublisherSubscription,
    AssignLicenses,
    Activate,
    /// `POST /v1/console/events`: a ticket for the change notices.
    EventsTicket,
    /// `POST /v1/console/reads/<name>`.
    Read(&'static str),
}

impl Route {
    fn label(self) -> String {
        if let Route::Read(name) = self {
            return format!("POST /v1/console/reads/{name}");
        }
        match self {
            Route::SignIn => "POST /v1/signin (own password; others a wrong one)",
            Route::Customers => "GET /v1/customers",
            Route::Customer => "GET /v1/customers/{customer}",
            Route::Subscriptions => "GET /v1/customers/{customer}/subscriptions",
            Route::Subscription => "GET /v1/customers/{customer}/subscriptions/{subscription}",
            Route::PatchSubscription => {
                "PATCH /v1/customers/{customer}/subscriptions/{subscription} (rename)"
            }
            Route::CreateCart => "POST /v1/customers/{customer}/carts",
            Route::Checkout => "POST /v1/customers/{customer}/carts/{cart}/checkout",
            Route::Orders => "GET /v1/customers/{customer}/orders",
            Route::Order => "GET /v1/customers/{customer}/orders/{order}",
            Route::ActivationLinks => {
                "GET /v1/customers/{customer}/orders/{order}/lineitems/{line}/activationlinks"
            }
            Route::ConsoleUpdateCommand => "POST /v1/console/commands (rename)",
            Route::ConsolePolicyCommand => "POST /v1/console/commands (setPolicy)",
            Route::ConsolePublisherCommand => {
                "POST /saas/console/steps (the publisher's site assigns licenses)"
            }
            Route::Resolve => "POST /saas/subscriptions/resolve",
            Route::PublisherSubscription => "GET /saas/subscriptions/{subscription}",
            Route::AssignLicenses => "POST /saas/subscriptions/{subscription}/licenses",
            Route::Activate => "POST /saas/subscriptions/{subscription}/activate",
            Route::EventsTicket => "POST /v1/console/events",
            Route::Read(_) => unreachable!("labelled above"),
        }
        .to_owned()
    }
}

/// The status each caller gets, by the role rules. Columns, in the order of [`EVERYONE`]:
/// Global admin, Admin agent, Sales agent (the Sales-agent restriction is on), Helpdesk agent,
/// Billing admin, no token, forged token, tampered token, the offer's publisher, another publisher.
///
/// Partner routes take only a partner user's token; publisher routes take only the publisher's
/// `x-ms-publisher-id` (a partner token does not stand in for it), and the domain then allows only
/// the publisher of the subscription's offer.
#[rustfmt::skip]
const MATRIX: &[(Route, [u16; 10])] = &[
    //                                GA   AA   SA   HD   BA   none forged tampered pub other
    (Route::SignIn,                  [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Customers,               [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Customer,                [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Subscriptions,           [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Subscription,            [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::PatchSubscription,       [200, 200, 403, 403, 403, 401, 401, 401, 401, 401]),
    (Route::CreateCart,              [201, 201, 201, 403, 403, 401, 401, 401, 401, 401]),
    (Route::Checkout,                [201, 201, 201, 403, 403, 401, 401, 401, 401, 401]),
    (Route::Orders,                  [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Order,                   [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::ActivationLinks,         [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::EventsTicket,            [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::ConsoleUpdateCommand,    [200, 200, 403, 403, 403, 401, 401, 401, 401, 401]),
    (Route::ConsolePolicyCommand,    [200, 403, 403, 403, 403, 401, 401, 401, 401, 401]),
    (Route::ConsolePublisherCommand, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    (Route::Resolve,                 [401, 401, 401, 401, 401, 401, 401, 401, 200, 403]),
    (Route::PublisherSubscription,   [401, 401, 401, 401, 401, 401, 401, 401, 200, 403]),
    (Route::AssignLicenses,          [401, 401, 401, 401, 401, 401, 401, 401, 200, 403]),
    (Route::Activate,                [401, 401, 401, 401, 401, 401, 401, 401, 200, 403]),
    (Route::Read("customers"),       [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("subscriptions"),   [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("subscription"),    [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("purchase"),        [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("cart-line"),       [200, 200, 200, 403, 403, 401, 401, 401, 401, 401]),
    (Route::Read("order"),           [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("billing"),         [200, 200, 403, 403, 200, 401, 401, 401, 401, 401]),
    (Route::Read("invoice"),         [200, 200, 403, 403, 200, 401, 401, 401, 401, 401]),
    (Route::Read("renewals"),        [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("activity"),        [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("settings"),        [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("me"),              [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("activity.csv"),    [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("customers.csv"),   [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("subscriptions.csv"), [200, 200, 200, 200, 200, 401, 401, 401, 401, 401]),
    (Route::Read("reconciliation.csv"), [200, 200, 403, 403, 200, 401, 401, 401, 401, 401]),
];

/// What the cases share: sign-ins, and the customer, subscriptions and order they act on.
struct Fixture {
    addr: std::net::SocketAddr,
    /// The server's database, read to see what a refused write changed.
    database: std::path::PathBuf,
    /// Each partner user's `Authorization` value.
    tokens: Vec<(Who, String)>,
    /// The Global admin's, who prepares the cases and reads the data back.
    admin: String,
    /// The path of an active subscription.
    active_path: String,
    /// Contoso Ltd, and its order of Contoso Sign still waiting for activation.
    customer: String,
    order: String,
    pending: String,
    code: String,
    /// A closed invoice's number.
    invoice: String,
    /// For each caller (by its place in [`EVERYONE`]), a cart of its own to check out and a
    /// subscription of its own, licensed and waiting, to activate, with its link's code.
    checkouts: Vec<String>,
    activatable: Vec<(String, String)>,
}

/// One request to send.
struct Request {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

impl Fixture {
    async fn new(addr: std::net::SocketAddr, database: std::path::PathBuf) -> Fixture {
        let mut tokens = Vec::new();
        for who in EVERYONE {
            if let Some(email) = who.email() {
                tokens.push((who, sign_in(addr, email).await));
            }
        }
        let admin = tokens[0].1.clone();
        let (active_customer, sub) = an_active_subscription(addr, &admin).await;
        let active_path = format!(
            "/v1/customers/{active_customer}/subscriptions/{}",
            sub["id"].as_str().unwrap()
        );
        let mut fixture = Fixture {
            addr,
            database,
            tokens,
            admin,
            active_path,
            customer: String::new(),
            order: String::new(),
            pending: String::new(),
            code: String::new(),
            invoice: String::new(),
            checkouts: Vec::new(),
            activatable: Vec::new(),
        };
        let (customer, order, pending) = fixture.a_pending_subscription().await;
        fixture.code = fixture.code_of(&customer, &order).await;
        (fixture.customer, fixture.order, fixture.pending) = (customer, order, pending);
        let billing = call(
            addr,
            "POST",
            "/v1/console/reads/billing",
            &[("Authorization", &fixture.admin)],
            Some(b"{}"),
        )
        .await;
        fixture.invoice = billing.body["answer"]["invoices"][0]["number"]
            .as_str()
            .expect("the demo has invoices")
            .to_owned();
        for _ in EVERYONE {
            let (_, checkout) = a_cart(addr, &fixture.admin).await;
            fixture.checkouts.push(checkout);
            let (customer, order, fresh) = fixture.a_pending_subscription().await;
            let code = fixture.code_of(&customer, &order).await;
            let assigned = call(
                addr,
                "POST",
                &format!("/saas/subscriptions/{fresh}/licenses"),
                &[
                    ("x-ms-publisher-id", OWNING_PUBLISHER),
                    ("x-ms-marketplace-token", &code),
                ],
                Some(br#"{"emails":["user@contoso.example"]}"#),
            )
            .await;
            assert_eq!(assigned.status, 200, "{}", assigned.body);
            fixture.activatable.push((fresh, code));
        }
        fixture
    }

    /// The activation code of an order's first line, from its activation link.
    async fn code_of(&self, customer: &str, order: &str) -> String {
        let links = self
            .get(&format!(
                "/v1/customers/{customer}/orders/{order}/lineitems/0/activationlinks"
            ))
            .await;
        let uri = links["items"][0]["link"]["uri"].as_str().unwrap();
        uri.split("token=").nth(1).unwrap().to_owned()
    }

    /// A GET by the Global admin, which must succeed.
    async fn get(&self, path: &str) -> Value {
        let reply = call(
            self.addr,
            "GET",
            path,
            &[("Authorization", &self.admin)],
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
        reply.body
    }

    /// A new order of Contoso Sign, placed by the Global admin: (customer, order, subscription).
    async fn a_pending_subscription(&self) -> (String, String, String) {
        let (customer, checkout) = a_cart(self.addr, &self.admin).await;
        let placed = call(
            self.addr,
            "POST",
            &checkout,
            &[("Authorization", &self.admin)],
            None,
        )
        .await;
        assert_eq!(placed.status, 201, "{}", placed.body);
        let order = &placed.body["orders"][0];
        (
            customer,
            order["id"].as_str().unwrap().to_owned(),
            order["lineItems"][0]["subscriptionId"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    }

    /// The headers that say who is calling.
    fn identity(&self, who: Who) -> Vec<(&'static str, String)> {
        let token = |w: Who| {
            self.tokens
                .iter()
                .find(|(t, _)| *t == w)
                .map(|(_, token)| token.clone())
                .unwrap()
        };
        match who {
            Who::NoToken => vec![],
            Who::ForgedToken => vec![("Authorization", FORGED.to_owned())],
            Who::TamperedToken => {
                let mut tampered = token(Who::GlobalAdmin);
                let last = tampered.pop().unwrap();
                tampered.push(if last == 'a' { 'b' } else { 'a' });
                vec![("Authorization", tampered)]
            }
            Who::OwningPublisher => vec![("x-ms-publisher-id", OWNING_PUBLISHER.to_owned())],
            Who::OtherPublisher => vec![("x-ms-publisher-id", OTHER_PUBLISHER.to_owned())],
            user => vec![("Authorization", token(user))],
        }
    }

    /// The request of a route by a caller. Preparing it only reads.
    async fn request(&self, route: Route, who: Who) -> Request {
        let slot = EVERYONE.iter().position(|w| *w == who).unwrap();
        let mut headers = self.identity(who);
        let name = format!("{who:?}");
        let (customer, order, pending) = (&self.customer, &self.order, &self.pending);
        let (method, path, body) = match route {
            Route::SignIn => {
                let body = match who.email() {
                    Some(email) => json!({ "email": email, "password": PASSWORD }),
                    None => json!({ "email": Who::GlobalAdmin.email(), "password": "not-it" }),
                };
                ("POST", "/v1/signin".to_owned(), Some(body))
            }
            Route::Customers => ("GET", "/v1/customers".to_owned(), None),
            Route::Customer => ("GET", format!("/v1/customers/{customer}"), None),
            Route::Subscriptions => (
                "GET",
                format!("/v1/customers/{customer}/subscriptions"),
                None,
            ),
            Route::Subscription => ("GET", self.active_path.clone(), None),
            Route::PatchSubscription => {
                let mut resource = self.get(&self.active_path).await;
                let etag = resource["attributes"]["etag"].as_str().unwrap().to_owned();
                headers.push(("If-Match", etag));
                resource["friendlyName"] = json!(format!("Renamed by {name}"));
                ("PATCH", self.active_path.clone(), Some(resource))
            }
            Route::CreateCart => (
                "POST",
                format!("/v1/customers/{customer}/carts"),
                Some(
                    json!({ "lineItems": [{ "catalogItemId": "DZH318Z0BXWC:0001:DZH318Z0BMJX", "quantity": 2, "termDuration": "P1M", "billingCycle": "monthly" }] }),
                ),
            ),
            Route::Checkout => {
                headers.push(("Idempotency-Key", format!("access-{name}")));
                ("POST", self.checkouts[slot].clone(), None)
            }
            Route::Orders => ("GET", format!("/v1/customers/{customer}/orders"), None),
            Route::Order => (
                "GET",
                format!("/v1/customers/{customer}/orders/{order}"),
                None,
            ),
            Route::ActivationLinks => (
                "GET",
                format!("/v1/customers/{customer}/orders/{order}/lineitems/0/activationlinks"),
                None,
            ),
            Route::EventsTicket => ("POST", "/v1/console/events".to_owned(), None),
            Route::ConsoleUpdateCommand => {
                let id = self.active_path.rsplit('/').next().unwrap();
                let nickname = format!("Console rename by {name}");
                (
                    "POST",
                    "/v1/console/commands".to_owned(),
                    Some(
                        json!({ "command": { "rename": { "subscription": id, "nickname": nickname } } }),
                    ),
                )
            }
            Route::ConsolePolicyCommand => {
                let settings = call(
                    self.addr,
                    "POST",
                    "/v1/console/reads/settings",
                    &[("Authorization", &self.admin)],
                    Some(b"{}"),
                )
                .await;
                let mut policy = settings.body["answer"]["policy"].clone();
                policy["cancellationWindow"] = if policy["cancellationWindow"] == "seed" {
                    json!("current")
                } else {
                    json!("seed")
                };
                (
                    "POST",
                    "/v1/console/commands".to_owned(),
                    Some(json!({ "command": { "setPolicy": { "policy": policy } } })),
                )
            }
            Route::ConsolePublisherCommand => {
                let email = format!("{}@contoso.example", name.to_lowercase());
                (
                    "POST",
                    "/saas/console/steps".to_owned(),
                    Some(
                        json!({ "command": { "assignLicenses": { "subscription": pending, "emails": [email] } }, "publisher": OWNING_PUBLISHER, "code": self.code }),
                    ),
                )
            }
            Route::Resolve => {
                headers.push(("x-ms-marketplace-token", self.code.clone()));
                ("POST", "/saas/subscriptions/resolve".to_owned(), None)
            }
            Route::PublisherSubscription => {
                headers.push(("x-ms-marketplace-token", self.code.clone()));
                ("GET", format!("/saas/subscriptions/{pending}"), None)
            }
            Route::AssignLicenses => {
                headers.push(("x-ms-marketplace-token", self.code.clone()));
                let email = format!("licensed-by-{}@contoso.example", name.to_lowercase());
                (
                    "POST",
                    format!("/saas/subscriptions/{pending}/licenses"),
                    Some(json!({ "emails": [email] })),
                )
            }
            Route::Read(name) => (
                "POST",
                format!("/v1/console/reads/{name}"),
                Some(self.read_body(name)),
            ),
            Route::Activate => {
                let (subscription, code) = &self.activatable[slot];
                headers.push(("x-ms-marketplace-token", code.clone()));
                (
                    "POST",
                    format!("/saas/subscriptions/{subscription}/activate"),
                    Some(json!({ "planId": "0001", "quantity": 3 })),
                )
            }
        };
        Request {
            method,
            path,
            headers,
            body: body.map(|b| b.to_string()),
        }
    }

    /// The body of a console read that the fixture's data answers.
    fn read_body(&self, name: &str) -> Value {
        let (customer, order, invoice) = (&self.customer, &self.order, &self.invoice);
        match name {
            "customers" => {
                json!({ "text": "", "sort": "companyName", "direction": "ascending", "page": 1, "pageSize": 20 })
            }
            "subscriptions" => {
                json!({ "customer": customer, "query": { "text": "", "status": null, "sort": "newest", "direction": "ascending", "page": 1, "pageSize": 20 } })
            }
            "subscription" => json!({ "customer": customer, "subscription": self.pending }),
            "purchase" | "subscriptions.csv" => json!({ "customer": customer }),
            "order" => json!({ "customer": customer, "order": order }),
            "cart-line" => {
                json!({ "customer": customer, "line": { "item": "DZH318Z0BXWC:0001:DZH318Z0BMJX", "term": "P1M", "billing": "monthly", "quantity": 2, "freeTrial": false, "nickname": null, "reseller": null } })
            }
            "invoice" | "reconciliation.csv" => json!({ "number": invoice }),
            "renewals" => json!({ "days": 30 }),
            "activity" => json!({ "filter": {}, "page": 1, "pageSize": 50 }),
            "activity.csv" => json!({ "filter": {} }),
            _ => json!({}),
        }
    }

    /// The partner's data as the server holds it, and the journal position: the state its
    /// database rebuilds, without the activity log (a refusal is recorded there) and without the
    /// clock (any command moves it to now).
    async fn data(&self) -> (i64, Value) {
        let store = server::Store::open(&self.database).unwrap();
        let (mut seq, state) = store.snapshot().unwrap().expect("a snapshot");
        let mut engine = domain::Engine::new(state);
        for (at, entry) in store.entries_after(seq).unwrap() {
            let _ = domain::apply(&mut engine, &entry);
            seq = at;
        }
        let mut state = serde_json::to_value(engine.state()).unwrap();
        let object = state.as_object_mut().unwrap();
        object.remove("activity");
        object.remove("clock");
        (seq, state)
    }
}

#[tokio::test]
async fn every_route_answers_each_caller_as_the_role_rules_say_and_a_refused_write_changes_nothing()
{
    let database = temp_db("access");
    let running = serve(database.clone()).await;
    let fixture = Fixture::new(running.address, database).await;
    let mut wrong = Vec::new();
    let mut cases = 0;
    // The data after the last refused write, while nothing has changed it since.
    let mut unchanged_since: Option<(i64, Value)> = None;
    for (route, expected) in MATRIX {
        for (who, expected) in EVERYONE.into_iter().zip(*expected) {
            cases += 1;
            let request = fixture.request(*route, who).await;
            let refused_write = request.method != "GET" && expected >= 400;
            let before = match unchanged_since.take() {
                Some(data) if refused_write => Some(data),
                _ if refused_write => Some(fixture.data().await),
                _ => None,
            };
            let headers: Vec<(&str, &str)> = request
                .headers
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let reply = call(
                fixture.addr,
                request.method,
                &request.path,
                &headers,
                request.body.as_deref().map(str::as_bytes),
            )
            .await;
            let case = format!("{} as {who:?}", route.label());
            if reply.status != expected {
                wrong.push(format!(
                    "{case}: expected {expected}, got {}: {}",
                    reply.status, reply.body
                ));
                continue;
            }
            if expected >= 400
                && !(reply.body["code"].is_u64() && reply.body["description"].is_string())
            {
                wrong.push(format!(
                    "{case}: a refusal without {{code, description}}: {}",
                    reply.body
                ));
            }
            if let Some((seq, data)) = before {
                let after = fixture.data().await;
                if after.1 != data {
                    wrong.push(format!("{case}: the refused write changed the data"));
                }
                if expected == 401 && after.0 != seq {
                    wrong.push(format!(
                        "{case}: a caller who is not signed in reached the journal ({seq} to {})",
                        after.0
                    ));
                }
                unchanged_since = Some(after);
            }
        }
    }
    assert_eq!(cases, MATRIX.len() * EVERYONE.len());
    assert!(
        wrong.is_empty(),
        "{} of {cases} cases answered against the rules:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_partner_user_cannot_act_as_a_publisher_beyond_its_sites_steps_nor_without_the_links_code()
 {
    let database = temp_db("access-publisher");
    let running = serve(database.clone()).await;
    let fixture = Fixture::new(running.address, database).await;
    let helpdesk = fixture.identity(Who::HelpdeskAgent);
    let active = fixture.active_path.rsplit('/').next().unwrap().to_owned();
    let pending = fixture.pending.clone();
    let before = fixture.data().await;
    let attempts = [
        (
            "suspend as the publisher",
            json!({ "command": { "suspend": { "subscription": active } }, "publisher": "contoso-esign", "code": "" }),
            "Only the steps of the publisher's site",
        ),
        (
            "reinstate as the publisher",
            json!({ "command": { "reinstate": { "subscription": active } }, "publisher": "contoso-esign", "code": "" }),
            "Only the steps of the publisher's site",
        ),
        (
            "assign licenses as the publisher without the code",
            json!({ "command": { "assignLicenses": { "subscription": pending, "emails": ["x@contoso.example"] } }, "publisher": "contoso-esign", "code": "" }),
            "activation code",
        ),
        (
            "activate as the publisher with another code",
            json!({ "command": { "activate": { "subscription": pending, "plan_id": "0001", "quantity": 3 } }, "publisher": "contoso-esign", "code": "A".repeat(40) }),
            "activation code",
        ),
    ];
    for (case, body, message) in attempts {
        let headers: Vec<(&str, &str)> = helpdesk.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = call(
            fixture.addr,
            "POST",
            "/saas/console/steps",
            &headers,
            Some(body.to_string().as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.body);
        assert!(
            reply.body["description"]
                .as_str()
                .unwrap_or_default()
                .contains(message),
            "{case}: {}",
            reply.body
        );
    }
    let wrong_code = "B".repeat(40);
    for (case, headers) in [
        ("no code", vec![("x-ms-publisher-id", OWNING_PUBLISHER)]),
        (
            "a wrong code",
            vec![
                ("x-ms-publisher-id", OWNING_PUBLISHER),
                ("x-ms-marketplace-token", wrong_code.as_str()),
            ],
        ),
    ] {
        for (method, path, body) in [
            ("GET", format!("/saas/subscriptions/{pending}"), None),
            (
                "POST",
                format!("/saas/subscriptions/{pending}/licenses"),
                Some(r#"{"emails":["y@contoso.example"]}"#),
            ),
            (
                "POST",
                format!("/saas/subscriptions/{pending}/activate"),
                Some(r#"{"planId":"0001","quantity":3}"#),
            ),
        ] {
            let reply = call(
                fixture.addr,
                method,
                &path,
                &headers,
                body.map(str::as_bytes),
            )
            .await;
            assert_eq!(reply.status, 403, "{case}: {method} {path}: {}", reply.body);
        }
    }
    assert_eq!(
        fixture.data().await.1,
        before.1,
        "nothing changed for any of the refused attempts"
    );
    let _ = running.stop.send(());
}
