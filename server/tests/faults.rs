//! A journal write that fails: the server answers with an error, keeps nothing of the change in
//! memory or on disk, and the same request succeeds once the database accepts writes again.

mod common;

use common::*;
use serde_json::json;

const GLOBAL_ADMIN: &str = "megan.bowen@relecloud-partners.example";

/// How the journal is made to refuse writes, from a second connection to the database file.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Every insert into the journal is aborted.
    InsertAborted,
    /// The journal table is gone (renamed away), so it can be neither written nor read.
    TableMissing,
}

impl Fault {
    fn break_journal(self, db: &rusqlite::Connection) {
        db.execute_batch(match self {
            Fault::InsertAborted => {
                "CREATE TRIGGER journal_fault BEFORE INSERT ON journal
                 BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END;"
            }
            Fault::TableMissing => "ALTER TABLE journal RENAME TO journal_away;",
        })
        .unwrap();
    }

    fn mend_journal(self, db: &rusqlite::Connection) {
        db.execute_batch(match self {
            Fault::InsertAborted => "DROP TRIGGER journal_fault;",
            Fault::TableMissing => "ALTER TABLE journal_away RENAME TO journal;",
        })
        .unwrap();
    }
}

/// The journal position the server has reached.
async fn journal_position(addr: std::net::SocketAddr, auth: &str) -> i64 {
    let reply = call(
        addr,
        "POST",
        "/v1/console/reads/me",
        &[("Authorization", auth)],
        Some(b"{}"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["position"].as_i64().unwrap()
}

fn assert_an_error_body(reply: &Reply, what: &str) {
    assert!(
        (500..600).contains(&reply.status),
        "{what}: expected a server error, got {}: {}",
        reply.status,
        reply.body
    );
    assert_eq!(
        reply.body["code"].as_u64(),
        Some(u64::from(reply.status)),
        "{what}: {}",
        reply.body
    );
    assert!(
        reply.body["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{what}: {}",
        reply.body
    );
}

async fn a_rename_whose_journal_write_fails(fault: Fault, name: &str) {
    let database = temp_db(name);
    let running = serve(database.clone()).await;
    let addr = running.address;
    let auth = sign_in(addr, GLOBAL_ADMIN).await;
    let (customer, sub) = an_active_subscription(addr, &auth).await;
    let path = format!(
        "/v1/customers/{customer}/subscriptions/{}",
        sub["id"].as_str().unwrap()
    );
    let old_name = sub["friendlyName"].as_str().unwrap().to_owned();
    let etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();
    let position = journal_position(addr, &auth).await;

    let db = rusqlite::Connection::open(&database).unwrap();
    fault.break_journal(&db);
    let mut renamed = sub.clone();
    renamed["friendlyName"] = json!("Renamed while the journal fails");
    let body = renamed.to_string();
    let headers = [
        ("Authorization", auth.as_str()),
        ("If-Match", etag.as_str()),
    ];
    let failed = call(addr, "PATCH", &path, &headers, Some(body.as_bytes())).await;
    assert_an_error_body(&failed, &format!("{fault:?}: the PATCH"));

    let read = call(addr, "GET", &path, &[("Authorization", &auth)], None).await;
    assert_eq!(read.status, 200, "{fault:?}: {}", read.body);
    assert_eq!(read.body["friendlyName"], old_name.as_str(), "{fault:?}");
    assert_eq!(
        read.body["attributes"]["etag"],
        etag.as_str(),
        "{fault:?}: the etag moved though nothing was saved"
    );

    fault.mend_journal(&db);
    assert_eq!(journal_position(addr, &auth).await, position, "{fault:?}");
    let retried = call(addr, "PATCH", &path, &headers, Some(body.as_bytes())).await;
    assert_eq!(
        retried.status, 200,
        "{fault:?}: the retry: {}",
        retried.body
    );
    assert_eq!(
        retried.body["friendlyName"],
        "Renamed while the journal fails"
    );
    let new_etag = retried.body["attributes"]["etag"].clone();
    assert_ne!(new_etag, etag.as_str());
    let _ = running.stop.send(());
    let _ = running.done.await;

    let running = serve(database.clone()).await;
    let addr = running.address;
    let read = call(addr, "GET", &path, &[("Authorization", &auth)], None).await;
    assert_eq!(read.status, 200, "{fault:?}: {}", read.body);
    assert_eq!(
        read.body["friendlyName"], "Renamed while the journal fails",
        "{fault:?}"
    );
    assert_eq!(read.body["attributes"]["etag"], new_etag, "{fault:?}");
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{fault:?}");
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_rename_whose_journal_insert_is_refused_is_not_made_and_its_retry_is_kept_across_a_restart()
 {
    a_rename_whose_journal_write_fails(Fault::InsertAborted, "fault-insert").await;
}

#[tokio::test]
async fn a_rename_while_the_journal_table_is_missing_is_not_made_and_its_retry_is_kept_across_a_restart()
 {
    a_rename_whose_journal_write_fails(Fault::TableMissing, "fault-table").await;
}

async fn order_count(addr: std::net::SocketAddr, auth: &str, customer: &str) -> u64 {
    let reply = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders"),
        &[("Authorization", auth)],
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["totalCount"].as_u64().unwrap()
}

#[tokio::test]
async fn a_checkout_whose_journal_write_fails_places_no_order_and_its_retry_places_exactly_one() {
    let database = temp_db("fault-checkout");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let auth = sign_in(addr, GLOBAL_ADMIN).await;
    let db = rusqlite::Connection::open(&database).unwrap();
    let mut customer = String::new();
    let mut placed_orders = Vec::new();
    for fault in [Fault::InsertAborted, Fault::TableMissing] {
        let checkout;
        (customer, checkout) = a_cart(addr, &auth).await;
        let before = order_count(addr, &auth, &customer).await;
        let key = format!("checkout-under-{fault:?}");
        let keyed = [
            ("Authorization", auth.as_str()),
            ("Idempotency-Key", key.as_str()),
        ];

        fault.break_journal(&db);
        for attempt in 1..=2 {
            let failed = call(addr, "POST", &checkout, &keyed, None).await;
            assert_an_error_body(&failed, &format!("{fault:?}: checkout attempt {attempt}"));
            assert_eq!(
                order_count(addr, &auth, &customer).await,
                before,
                "{fault:?}: an order was placed though nothing was saved"
            );
        }

        fault.mend_journal(&db);
        let placed = call(addr, "POST", &checkout, &keyed, None).await;
        assert_eq!(placed.status, 201, "{fault:?}: {}", placed.body);
        let order = placed.body["orders"][0]["id"].clone();
        assert!(order.is_string(), "{fault:?}: {}", placed.body);
        let again = call(addr, "POST", &checkout, &keyed, None).await;
        assert_eq!(again.status, 201, "{fault:?}: {}", again.body);
        assert_eq!(again.body["orders"][0]["id"], order, "{fault:?}");
        assert_eq!(
            order_count(addr, &auth, &customer).await,
            before + 1,
            "{fault:?}"
        );
        placed_orders.push(order);
    }
    let _ = running.stop.send(());
    let _ = running.done.await;

    let running = serve(database).await;
    let addr = running.address;
    let orders = call(
        addr,
        "GET",
        &format!("/v1/customers/{customer}/orders"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    for order in &placed_orders {
        let kept = orders.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| &o["id"] == order)
            .count();
        assert_eq!(kept, 1, "{order} after a restart: {}", orders.body);
    }
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let _ = running.stop.send(());
}
