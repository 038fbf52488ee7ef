//! The attacks of the security review, replayed: each must fail. One test (or a few) per point;
//! docs/RELIABILITY.md says what each attack was and how it now holds.

mod common;

use common::*;
use serde_json::Value;

const ADMIN: &str = "adele.vance@relecloud-partners.example";

/// A purchase placed over the REST routes: (customer, order, subscription, activation code).
async fn a_purchase(addr: std::net::SocketAddr, auth: &str) -> (String, String, String, String) {
    let (customer, checkout) = a_cart(addr, auth).await;
    let result = call(addr, "POST", &checkout, &[("Authorization", auth)], None).await;
    assert_eq!(result.status, 201, "{}", result.body);
    let order = &result.body["orders"][0];
    let order_id = order["id"].as_str().unwrap().to_owned();
    let subscription = order["lineItems"][0]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let links = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders/{order_id}/lineitems/0/activationlinks"),
        &[("Authorization", auth)],
        None,
    )
    .await;
    assert_eq!(links.status, 200, "{}", links.body);
    let uri = links.body["items"][0]["link"]["uri"].as_str().unwrap();
    let code = uri.split("token=").nth(1).unwrap().to_owned();
    (customer, order_id, subscription, code)
}

fn customer_ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Point 1: the same purchase on two databases gets other ids and other codes, and a database's
/// demo data is not the published seed's: nothing shown, and no generator anyone can run, gives
/// a code. Each journal entry records its own random bits, and a replay rebuilds the same codes.
#[tokio::test]
async fn activation_codes_and_ids_come_from_random_bits_recorded_in_the_journal() {
    let (first_db, second_db) = (temp_db("random-a"), temp_db("random-b"));
    let (first, second) = (serve(first_db.clone()).await, serve(second_db).await);
    let (a, b) = (first.address, second.address);
    let (auth_a, auth_b) = (sign_in(a, ADMIN).await, sign_in(b, ADMIN).await);

    let list = |addr, auth: String| async move {
        let reply = call(
            addr,
            "GET",
            "/v1/customers?size=500",
            &[("Authorization", &auth)],
            None,
        )
        .await;
        customer_ids(&reply.body)
    };
    let (ids_a, ids_b) = (list(a, auth_a.clone()).await, list(b, auth_b.clone()).await);
    let published = domain::demo::demo_state(domain::Timestamp::default());
    let published: Vec<String> = published
        .customers
        .keys()
        .map(|id| id.to_string())
        .collect();
    assert!(
        ids_a
            .iter()
            .all(|id| !ids_b.contains(id) && !published.contains(id))
    );

    let (customer, order_a, sub_a, code_a) = a_purchase(a, &auth_a).await;
    let (_, order_b, sub_b, code_b) = a_purchase(b, &auth_b).await;
    assert_ne!(order_a, order_b);
    assert_ne!(sub_a, sub_b);
    assert_ne!(code_a, code_b);
    assert_eq!(code_a.len(), 40);
    assert!(!code_a.contains(&order_a));

    // Replayed from its journal (the first start's snapshot plus every entry), the database
    // gives the same link back.
    let _ = first.stop.send(());
    let _ = first.done.await;
    let store = server::Store::open(&first_db).unwrap();
    let entries = store.entries_after(0).unwrap();
    let keys: Vec<String> = entries
        .iter()
        .map(|(_, e)| {
            serde_json::to_value(e).unwrap()["random"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(keys.iter().all(|k| k.len() == 64));
    assert!(
        keys.windows(2).all(|w| w[0] != w[1]),
        "each entry its own bits"
    );
    drop(store);
    let again = serve(first_db).await;
    let auth = sign_in(again.address, ADMIN).await;
    let links = call(
        again.address,
        "GET",
        &format!("/v1/customers/{customer}/orders/{order_a}/lineitems/0/activationlinks"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    let uri = links.body["items"][0]["link"]["uri"].as_str().unwrap();
    assert!(uri.ends_with(&code_a), "{uri}");
    let _ = again.stop.send(());
    let _ = second.stop.send(());
}
