//! The REST API end to end: a real server on 127.0.0.1 with a random port and its own database,
//! driven with plain HTTP/1.1 requests.

mod common;

use common::*;
use serde_json::json;

const ADMIN: &str = "adele.vance@relecloud-partners.example";
const SALES: &str = "lee.gu@relecloud-partners.example";
const HELPDESK: &str = "diego.siciliani@relecloud-partners.example";

#[tokio::test]
async fn signing_in_gives_a_token_and_routes_refuse_requests_without_one() {
    let running = serve(temp_db("signin")).await;
    let addr = running.address;
    let reply = call(addr, "GET", "/v1/customers", &[], None).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["code"], 401);
    assert!(
        reply.body["description"]
            .as_str()
            .unwrap()
            .contains("Sign in")
    );

    let wrong = json!({ "email": ADMIN, "password": "nope" }).to_string();
    assert_eq!(
        call(addr, "POST", "/v1/signin", &[], Some(wrong.as_bytes()))
            .await
            .status,
        401
    );
    let forged = call(
        addr,
        "GET",
        "/v1/customers",
        &[("Authorization", "Bearer 00ff")],
        None,
    )
    .await;
    assert_eq!(forged.status, 401);

    let auth = sign_in(addr, ADMIN).await;
    let customers = call(
        addr,
        "GET",
        "/v1/customers?q=contoso",
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(customers.status, 200);
    assert_eq!(customers.body["attributes"]["objectType"], "Collection");
    assert_eq!(
        customers.body["items"][0]["companyProfile"]["companyName"],
        "Contoso Ltd"
    );
    let unknown = call(
        addr,
        "GET",
        "/v1/customers/3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_patch_needs_the_current_etag_and_a_stale_one_gets_412() {
    let running = serve(temp_db("etag")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();

    let mut changed = sub.clone();
    changed["friendlyName"] = json!("Renamed over the API");
    let body = changed.to_string();
    let missing = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth)],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(missing.status, 428);
    let ok = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth), ("If-Match", &etag)],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["friendlyName"], "Renamed over the API");
    assert_ne!(ok.body["attributes"]["etag"].as_str().unwrap(), etag);

    // A second partner still holding the old etag cannot overwrite silently.
    let mut other = sub.clone();
    other["quantity"] = json!(sub["quantity"].as_u64().unwrap() + 1);
    let stale = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth), ("If-Match", &etag)],
        Some(other.to_string().as_bytes()),
    )
    .await;
    assert_eq!(stale.status, 412);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_sales_agent_patch_is_403_with_the_seed_note_and_a_helpdesk_agent_cannot_buy() {
    let running = serve(temp_db("roles")).await;
    let addr = running.address;
    let sales = sign_in(addr, SALES).await;
    let (customer, sub) = an_active_subscription(addr, &sales).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let mut changed = sub.clone();
    changed["autoRenewEnabled"] = json!(!sub["autoRenewEnabled"].as_bool().unwrap());
    let etag = sub["attributes"]["etag"].as_str().unwrap();
    let reply = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &sales), ("If-Match", etag)],
        Some(changed.to_string().as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert!(
        reply.body["description"]
            .as_str()
            .unwrap()
            .contains("Sales agent role cannot update")
    );

    let helpdesk = sign_in(addr, HELPDESK).await;
    let cart = json!({ "lineItems": [{ "catalogItemId": "DZH318Z0BXWC:0001:DZH318Z0BMJX", "quantity": 2, "termDuration": "P1M", "billingCycle": "monthly" }] }).to_string();
    let reply = call(
        addr,
        "POST",
        &format!("/v1/customers/{customer}/carts"),
        &[("Authorization", &helpdesk)],
        Some(cart.as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert!(
        reply.body["description"]
            .as_str()
            .unwrap()
            .contains("Helpdesk agent")
    );
    let _ = running.stop.send(());
}

#[tokio::test]
async fn malformed_wrongly_typed_and_oversized_bodies_are_refused() {
    let running = serve(temp_db("bodies")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let carts = format!("/v1/customers/{customer}/carts");
    let bad = call(
        addr,
        "POST",
        &carts,
        &[("Authorization", &auth)],
        Some(b"{not json"),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body["description"]
            .as_str()
            .unwrap()
            .contains("not valid")
    );
    let typed = json!({ "lineItems": [{ "catalogItemId": "DZH318Z0BXWC:0001:DZH318Z0BMJX", "quantity": "two", "termDuration": "P1M", "billingCycle": "monthly" }] }).to_string();
    assert_eq!(
        call(
            addr,
            "POST",
            &carts,
            &[("Authorization", &auth)],
            Some(typed.as_bytes())
        )
        .await
        .status,
        400
    );
    let unknown = json!({ "lineItems": [], "surprise": 1 }).to_string();
    assert_eq!(
        call(
            addr,
            "POST",
            &carts,
            &[("Authorization", &auth)],
            Some(unknown.as_bytes())
        )
        .await
        .status,
        400
    );
    let huge = vec![b' '; 10 * 1024 * 1024];
    let reply = call(
        addr,
        "POST",
        &carts,
        &[("Authorization", &auth)],
        Some(&huge),
    )
    .await;
    assert_eq!(reply.status, 413);

    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let mut changed = sub.clone();
    changed["quantity"] = json!(100_000);
    let etag = sub["attributes"]["etag"].as_str().unwrap();
    let reply = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth), ("If-Match", etag)],
        Some(changed.to_string().as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["code"], 2002);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_retried_checkout_with_the_same_idempotency_key_places_one_order() {
    let running = serve(temp_db("idempotent")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, checkout) = a_cart(addr, &auth).await;
    let before = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders"),
        &[("Authorization", &auth)],
        None,
    )
    .await
    .body["totalCount"]
        .as_u64()
        .unwrap();
    let key = [
        ("Authorization", auth.as_str()),
        ("Idempotency-Key", "retry-1"),
    ];
    let first = call(addr, "POST", &checkout, &key, None).await;
    let second = call(addr, "POST", &checkout, &key, None).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(second.status, 201);
    assert_eq!(
        first.body["orders"][0]["id"],
        second.body["orders"][0]["id"]
    );
    let after = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders"),
        &[("Authorization", &auth)],
        None,
    )
    .await
    .body["totalCount"]
        .as_u64()
        .unwrap();
    assert_eq!(after, before + 1);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn the_publisher_resolves_assigns_and_activates_then_the_subscription_is_active() {
    let running = serve(temp_db("activation")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, checkout) = a_cart(addr, &auth).await;
    let result = call(addr, "POST", &checkout, &[("Authorization", &auth)], None).await;
    assert_eq!(
        result.body["attributes"]["objectType"],
        "CartCheckoutResult"
    );
    let order = &result.body["orders"][0];
    let order_id = order["id"].as_str().unwrap();
    let sub_id = order["lineItems"][0]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let links = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders/{order_id}/lineitems/0/activationlinks"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(links.status, 200, "{}", links.body);
    let uri = links.body["items"][0]["link"]["uri"].as_str().unwrap();
    let token = uri.split("token=").nth(1).unwrap();

    let publisher = ("x-ms-publisher-id", "contoso-esign");
    let resolved = call(
        addr,
        "POST",
        "/saas/subscriptions/resolve",
        &[publisher, ("x-ms-marketplace-token", token)],
        None,
    )
    .await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    assert_eq!(resolved.body["id"], sub_id.as_str());
    assert_eq!(resolved.body["quantity"], 3);
    let other = call(
        addr,
        "POST",
        "/saas/subscriptions/resolve",
        &[
            ("x-ms-publisher-id", "fabrikam-dp"),
            ("x-ms-marketplace-token", token),
        ],
        None,
    )
    .await;
    assert_eq!(other.status, 403);

    let licenses = json!({ "emails": ["megan@contoso.onmicrosoft.com"] }).to_string();
    // The later steps need the link's code: the publisher id and the subscription ID are not enough.
    for code in [None, Some("0".repeat(40))] {
        let mut headers = vec![publisher];
        if let Some(code) = &code {
            headers.push(("x-ms-marketplace-token", code.as_str()));
        }
        let refused = call(
            addr,
            "POST",
            &format!("/saas/subscriptions/{sub_id}/licenses"),
            &headers,
            Some(licenses.as_bytes()),
        )
        .await;
        assert_eq!(refused.status, 403, "{code:?}: {}", refused.body);
        assert!(
            refused.body["description"]
                .as_str()
                .unwrap()
                .contains("activation code"),
            "{}",
            refused.body
        );
    }
    let publisher_with_code = [publisher, ("x-ms-marketplace-token", token)];
    assert_eq!(
        call(
            addr,
            "POST",
            &format!("/saas/subscriptions/{sub_id}/licenses"),
            &publisher_with_code,
            Some(licenses.as_bytes())
        )
        .await
        .status,
        200
    );
    let activate = json!({ "planId": "0001", "quantity": 3 }).to_string();
    assert_eq!(
        call(
            addr,
            "POST",
            &format!("/saas/subscriptions/{sub_id}/activate"),
            &publisher_with_code,
            Some(activate.as_bytes())
        )
        .await
        .status,
        200
    );
    let again = call(
        addr,
        "POST",
        &format!("/saas/subscriptions/{sub_id}/activate"),
        &publisher_with_code,
        Some(activate.as_bytes()),
    )
    .await;
    assert_eq!(again.body["code"], 800041);

    let sub = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/subscriptions/{sub_id}"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(sub.body["status"], "active");
    assert!(sub.header("etag").is_some());
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_restart_keeps_every_acknowledged_change() {
    let database = temp_db("restart");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let mut changed = sub.clone();
    changed["friendlyName"] = json!("Survives a restart");
    let etag = sub["attributes"]["etag"].as_str().unwrap();
    assert_eq!(
        call(
            addr,
            "PATCH",
            &path,
            &[("Authorization", &auth), ("If-Match", etag)],
            Some(changed.to_string().as_bytes())
        )
        .await
        .status,
        200
    );
    let _ = running.stop.send(());
    let _ = running.done.await;

    let running = serve(database).await;
    let addr = running.address;
    // The sign-in survives too: tokens are stored.
    let reply = call(addr, "GET", &path, &[("Authorization", &auth)], None).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["friendlyName"], "Survives a restart");
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_change_and_a_sound_database() {
    let database = temp_db("kill");
    let spawn = || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args([
                "--database",
                database.to_str().unwrap(),
                "--address",
                "127.0.0.1:0",
            ])
            .env("MC_DEMO_PASSWORD", PASSWORD)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        let addr: std::net::SocketAddr = line
            .trim()
            .rsplit("http://")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        (child, addr)
    };
    let (mut child, addr) = spawn();
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let mut etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();
    let mut current = sub.clone();
    for i in 0..5 {
        current["friendlyName"] = json!(format!("Acknowledged {i}"));
        let reply = call(
            addr,
            "PATCH",
            &path,
            &[("Authorization", &auth), ("If-Match", &etag)],
            Some(current.to_string().as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 200);
        etag = reply.body["attributes"]["etag"]
            .as_str()
            .unwrap()
            .to_owned();
        current = reply.body;
    }
    child.kill().unwrap(); // SIGKILL: no shutdown, no flush.
    child.wait().unwrap();

    let store = server::Store::open(&database).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let (mut child, addr) = spawn();
    let reply = call(addr, "GET", &path, &[("Authorization", &auth)], None).await;
    assert_eq!(reply.body["friendlyName"], "Acknowledged 4");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn a_console_command_is_checked_against_the_version_seen_and_no_route_gives_the_whole_state()
{
    let running = serve(temp_db("console-commands")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let id = sub["id"].as_str().unwrap();
    let version = sub["attributes"]["etag"]
        .as_str()
        .unwrap()
        .trim_start_matches("W/\"")
        .trim_end_matches('"')
        .parse::<u64>()
        .unwrap();
    let command = json!({ "command": { "rename": { "subscription": id, "nickname": "Through the console route" } }, "subscriptionVersion": version }).to_string();
    let console = |body: String| {
        let auth = auth.clone();
        async move {
            call(
                addr,
                "POST",
                "/v1/console/commands",
                &[("Authorization", &auth)],
                Some(body.as_bytes()),
            )
            .await
        }
    };
    let reply = console(command.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The same version again is stale now.
    assert_eq!(console(command).await.status, 412);
    let refused = json!({ "command": { "changeQuantity": { "subscription": id, "quantity": 0 } } });
    assert_eq!(console(refused.to_string()).await.status, 400);

    let read = json!({ "customer": customer, "subscription": id }).to_string();
    let detail = call(
        addr,
        "POST",
        "/v1/console/reads/subscription",
        &[("Authorization", &auth)],
        Some(read.as_bytes()),
    )
    .await;
    assert_eq!(
        detail.body["answer"]["subscription"]["nickname"],
        "Through the console route"
    );
    assert!(detail.body["position"].as_i64().unwrap() >= reply.body["seq"].as_i64().unwrap());
    for gone in ["/v1/console/snapshot", "/v1/console/journal?after=0"] {
        let reply = call(addr, "GET", gone, &[("Authorization", &auth)], None).await;
        assert_eq!(reply.status, 404, "{gone}: {}", reply.body);
    }
    let _ = running.stop.send(());
}

#[tokio::test]
async fn each_role_gets_what_the_domain_table_allows() {
    let running = serve(temp_db("matrix")).await;
    let addr = running.address;
    let roles = [
        ("megan.bowen@relecloud-partners.example", 200, 201),
        (ADMIN, 200, 201),
        (SALES, 403, 201),
        (HELPDESK, 403, 403),
        ("isaiah.langer@relecloud-partners.example", 403, 403),
    ];
    for (email, patch_status, cart_status) in roles {
        let auth = sign_in(addr, email).await;
        let (customer, sub) = an_active_subscription(addr, &auth).await;
        let path = format!(
            "/v1/customers/{customer}/subscriptions/{}",
            sub["id"].as_str().unwrap()
        );
        let mut changed = sub.clone();
        changed["friendlyName"] = json!(format!("By {email}"));
        let etag = sub["attributes"]["etag"].as_str().unwrap();
        let reply = call(
            addr,
            "PATCH",
            &path,
            &[("Authorization", &auth), ("If-Match", etag)],
            Some(changed.to_string().as_bytes()),
        )
        .await;
        assert_eq!(reply.status, patch_status, "{email} PATCH: {}", reply.body);
        let cart = json!({ "lineItems": [{ "catalogItemId": "NWHELPDESK01:0001:NWHDAGENT001", "quantity": 1, "termDuration": "P1M", "billingCycle": "monthly" }] }).to_string();
        let reply = call(
            addr,
            "POST",
            &format!("/v1/customers/{customer}/carts"),
            &[("Authorization", &auth)],
            Some(cart.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, cart_status, "{email} cart: {}", reply.body);
    }
    let _ = running.stop.send(());
}

#[tokio::test]
async fn cancel_by_status_deleted_needs_the_publishers_steps_confirmed_and_orders_and_the_publisher_view_are_readable()
 {
    let running = serve(temp_db("cancel")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, checkout) = a_cart(addr, &auth).await;
    let result = call(addr, "POST", &checkout, &[("Authorization", &auth)], None).await;
    let order = &result.body["orders"][0];
    let order_id = order["id"].as_str().unwrap();
    let sub_id = order["lineItems"][0]["subscriptionId"].as_str().unwrap();

    let got = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders/{order_id}"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["lineItems"][0]["subscriptionId"], sub_id);
    let links = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders/{order_id}/lineitems/0/activationlinks"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    let uri = links.body["items"][0]["link"]["uri"].as_str().unwrap();
    let code = uri.split("token=").nth(1).unwrap();
    let publisher = call(
        addr,
        "GET",
        &format!("/saas/subscriptions/{sub_id}"),
        &[
            ("x-ms-publisher-id", "contoso-esign"),
            ("x-ms-marketplace-token", code),
        ],
        None,
    )
    .await;
    assert_eq!(
        publisher.body["saasSubscriptionStatus"],
        "PendingFulfillmentStart"
    );

    let path = format!("/v1/customers/{customer}/subscriptions/{sub_id}");
    let sub = call(addr, "GET", &path, &[("Authorization", &auth)], None)
        .await
        .body;
    assert_eq!(sub["status"], "pending");
    let mut cancel = sub.clone();
    cancel["status"] = json!("deleted");
    let etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();
    let refused = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth), ("If-Match", &etag)],
        Some(cancel.to_string().as_bytes()),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body["description"]
            .as_str()
            .unwrap()
            .contains("publisher's steps")
    );
    cancel["publisherStepsConfirmed"] = json!(true);
    let done = call(
        addr,
        "PATCH",
        &path,
        &[("Authorization", &auth), ("If-Match", &etag)],
        Some(cancel.to_string().as_bytes()),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["status"], "deleted");
    let _ = running.stop.send(());
}

#[tokio::test]
async fn cors_allows_only_the_configured_console_origin() {
    let running = serve(temp_db("cors")).await;
    let addr = running.address;
    let preflight = |origin: &'static str| async move {
        call(
            addr,
            "OPTIONS",
            "/v1/customers",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization"),
            ],
            None,
        )
        .await
    };
    let allowed = preflight("http://127.0.0.1:8080").await;
    assert_eq!(
        allowed.header("access-control-allow-origin").as_deref(),
        Some("http://127.0.0.1:8080")
    );
    let other = preflight("http://evil.example").await;
    assert_eq!(other.header("access-control-allow-origin"), None);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn concurrent_patches_with_the_same_etag_let_exactly_one_win() {
    let running = serve(temp_db("race")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (auth, path, etag, mut body) =
                (auth.clone(), path.clone(), etag.clone(), sub.clone());
            body["friendlyName"] = json!(format!("Writer {i}"));
            tokio::spawn(async move {
                call(
                    addr,
                    "PATCH",
                    &path,
                    &[("Authorization", &auth), ("If-Match", &etag)],
                    Some(body.to_string().as_bytes()),
                )
                .await
                .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        7,
        "{statuses:?}"
    );
    let _ = running.stop.send(());
}

#[tokio::test]
async fn many_concurrent_checkouts_with_one_idempotency_key_place_one_order() {
    let running = serve(temp_db("checkout-race")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, checkout) = a_cart(addr, &auth).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (auth, checkout) = (auth.clone(), checkout.clone());
            tokio::spawn(async move {
                call(
                    addr,
                    "POST",
                    &checkout,
                    &[("Authorization", &auth), ("Idempotency-Key", "same-key")],
                    None,
                )
                .await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        let reply = t.await.unwrap();
        assert_eq!(reply.status, 201, "{}", reply.body);
        ids.push(reply.body["orders"][0]["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let orders = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    let placed = orders.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["id"] == ids[0].as_str())
        .count();
    assert_eq!(placed, 1);
    let _ = running.stop.send(());
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let database = temp_db("expired");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let user = call(
        addr,
        "POST",
        "/v1/signin",
        &[],
        Some(
            json!({ "email": ADMIN, "password": PASSWORD })
                .to_string()
                .as_bytes(),
        ),
    )
    .await
    .body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let store = server::Store::open(&database).unwrap();
    let past: domain::Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
    store
        .add_session("expired-token", domain::UserId::parse(&user).unwrap(), past)
        .unwrap();
    let reply = call(
        addr,
        "GET",
        "/v1/customers",
        &[("Authorization", "Bearer expired-token")],
        None,
    )
    .await;
    assert_eq!(reply.status, 401);
    assert!(
        reply.body["description"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert_eq!(
        call(
            addr,
            "GET",
            "/v1/customers",
            &[("Authorization", &auth)],
            None
        )
        .await
        .status,
        200
    );
    let _ = running.stop.send(());
}

/// The publisher's site, opened from the activation link in a private window, takes its steps
/// with the link's code and no partner sign-in, and shows the publisher's name.
#[tokio::test]
async fn the_publishers_site_needs_no_partner_sign_in_only_the_links_code() {
    let running = serve(temp_db("publisher-site")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let (customer, _, subscription, code) = a_purchase(addr, &auth).await;

    let step = |command: serde_json::Value, code: &str| {
        json!({ "publisher": "contoso-esign", "code": code, "command": command }).to_string()
    };
    let name = call(
        addr,
        "POST",
        "/saas/console/reads/publisher",
        &[],
        Some(br#"{"publisher":"contoso-esign"}"#),
    )
    .await;
    assert_eq!(name.status, 200, "{}", name.body);
    assert_eq!(name.body["answer"], "Contoso E-Signature Ltd");
    let resolved = call(
        addr,
        "POST",
        "/saas/console/steps",
        &[],
        Some(step(json!({ "resolve": { "token": code } }), &code).as_bytes()),
    )
    .await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    assert_eq!(
        resolved.body["applied"]["resolved"]["customerName"],
        "Contoso Ltd"
    );
    let wrong = call(addr, "POST", "/saas/console/steps", &[], Some(step(json!({ "assignLicenses": { "subscription": subscription, "emails": ["a@contoso.example"] } }), &"B".repeat(40)).as_bytes())).await;
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    let assigned = call(addr, "POST", "/saas/console/steps", &[], Some(step(json!({ "assignLicenses": { "subscription": subscription, "emails": ["a@contoso.example"] } }), &code).as_bytes())).await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    let activated = call(addr, "POST", "/saas/console/steps", &[], Some(step(json!({ "activate": { "subscription": subscription, "plan_id": "0001", "quantity": 3 } }), &code).as_bytes())).await;
    assert_eq!(activated.status, 200, "{}", activated.body);
    let sub = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/subscriptions/{subscription}"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(sub.body["status"], "active");
    let _ = running.stop.send(());
}
