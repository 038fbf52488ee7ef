//! The console's reads over HTTP answer exactly what the domain's reads answer on the same state
//! for the same user: the server adds nothing and leaves nothing out. Bad input is refused with
//! the field named.

mod common;

use common::*;
use domain::*;
use serde_json::Value;

/// The server's state as its database holds it: the snapshot with the later entries replayed.
fn engine_of(database: &std::path::Path) -> Engine {
    let store = server::Store::open(database).unwrap();
    let (seq, state) = store.snapshot().unwrap().expect("a snapshot");
    let mut engine = Engine::new(state);
    for (_, entry) in store.entries_after(seq).unwrap() {
        let _ = apply(&mut engine, &entry);
    }
    engine
}

/// What the server answers to `read` for the signed-in `auth`.
async fn over_http<R: Read>(addr: std::net::SocketAddr, auth: &str, read: &R) -> (u16, Value) {
    let body = serde_json::to_string(read).unwrap();
    let reply = call(
        addr,
        "POST",
        &format!("/v1/console/reads/{}", R::NAME),
        &[("Authorization", auth)],
        Some(body.as_bytes()),
    )
    .await;
    (reply.status, reply.body)
}

/// The answer without what moves with the clock between the two askings.
fn steady(mut answer: Value) -> Value {
    if let Some(object) = answer.as_object_mut() {
        object.remove("cancellationTimeLeft");
    }
    answer
}

async fn same_answer<R: Read>(
    addr: std::net::SocketAddr,
    engine: &Engine,
    (actor, auth): (&Actor, &str),
    read: R,
) {
    let (status, body) = over_http(addr, auth, &read).await;
    let local = read.answer(engine, actor, chrono::Utc::now());
    match local {
        Ok(answer) => {
            assert_eq!(status, 200, "{}: {body}", R::NAME);
            assert!(body["position"].is_i64(), "{}: {body}", R::NAME);
            let served: R::Answer = serde_json::from_value(body["answer"].clone())
                .unwrap_or_else(|e| panic!("{}: {e}", R::NAME));
            assert_eq!(
                steady(serde_json::to_value(served).unwrap()),
                steady(serde_json::to_value(answer).unwrap()),
                "{} answered differently",
                R::NAME
            );
        }
        Err(refusal) => {
            assert_eq!(status, 403, "{}: {body}", R::NAME);
            assert_eq!(body["description"], refusal.to_string(), "{}", R::NAME);
        }
    }
}

#[tokio::test]
async fn each_read_over_http_answers_what_the_domain_answers_for_that_user() {
    let database = temp_db("reads");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let engine = engine_of(&database);
    let state = engine.state();
    let pending = state
        .subscriptions
        .values()
        .find(|s| s.status == SubscriptionStatus::Pending)
        .unwrap();
    let active = state
        .subscriptions
        .values()
        .find(|s| s.status == SubscriptionStatus::Active)
        .unwrap();
    let order = state.orders.last().unwrap();
    let invoice = state.invoices[0].number.clone();
    for role in [Role::HelpdeskAgent, Role::SalesAgent, Role::AdminAgent] {
        let user = domain::demo::demo_user(state, role);
        let auth = sign_in(addr, &user.email).await;
        let who = (&Actor::User(user.id), auth.as_str());
        same_answer(addr, &engine, who, CustomerQuery::default()).await;
        same_answer(
            addr,
            &engine,
            who,
            SubscriptionsRead {
                customer: pending.customer,
                query: SubscriptionQuery {
                    text: String::new(),
                    status: Some(SubscriptionStatus::Pending),
                    sort: SubscriptionSort::Newest,
                    direction: SortDirection::Ascending,
                    page: 1,
                    page_size: 20,
                },
            },
        )
        .await;
        for sub in [pending, active] {
            let read = SubscriptionRead {
                customer: sub.customer,
                subscription: sub.id,
            };
            same_answer(addr, &engine, who, read).await;
        }
        same_answer(
            addr,
            &engine,
            who,
            OrderRead {
                customer: order.customer,
                order: order.id.clone(),
            },
        )
        .await;
        same_answer(addr, &engine, who, BillingRead::default()).await;
        same_answer(
            addr,
            &engine,
            who,
            InvoiceRead {
                number: invoice.clone(),
                page: 1,
            },
        )
        .await;
        same_answer(
            addr,
            &engine,
            who,
            RenewalsRead {
                days: 90,
                closing_page: 1,
                ends_page: 1,
            },
        )
        .await;
        let activity = ActivityRead {
            filter: ActivityFilter::default(),
            page: 2,
            page_size: 25,
        };
        same_answer(addr, &engine, who, activity).await;
        same_answer(addr, &engine, who, SettingsRead {}).await;
        same_answer(addr, &engine, who, MeRead {}).await;
    }
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_read_with_bad_input_is_refused_naming_what_is_wrong() {
    let running = serve(temp_db("reads-bad")).await;
    let addr = running.address;
    let auth = sign_in(addr, "adele.vance@relecloud-partners.example").await;
    for (read, body, named) in [
        (
            "subscription",
            r#"{"customer":"nope","subscription":"x"}"#,
            "GUID",
        ),
        (
            "customers",
            r#"{"text":"","sort":"height","direction":"ascending","page":1,"pageSize":5}"#,
            "height",
        ),
        ("renewals", r#"{"days":-1}"#, "-1"),
        (
            "activity",
            r#"{"filter":{"from":"yesterday"},"page":1,"pageSize":5}"#,
            "from",
        ),
    ] {
        let reply = call(
            addr,
            "POST",
            &format!("/v1/console/reads/{read}"),
            &[("Authorization", &auth)],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 400, "{read}: {}", reply.body);
        let description = reply.body["description"].as_str().unwrap_or_default();
        assert!(description.contains(named), "{read}: {description}");
    }
    let _ = running.stop.send(());
}

#[tokio::test]
async fn a_change_is_told_on_the_events_stream_opened_with_a_one_time_ticket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let running = serve(temp_db("events")).await;
    let addr = running.address;
    let auth = sign_in(addr, "adele.vance@relecloud-partners.example").await;
    let ticket = call(
        addr,
        "POST",
        "/v1/console/events",
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(ticket.status, 200, "{}", ticket.body);
    let ticket = ticket.body["ticket"].as_str().unwrap().to_owned();

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request =
        format!("GET /v1/console/events?ticket={ticket} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    let n = stream.read(&mut buffer).await.unwrap();
    seen.extend_from_slice(&buffer[..n]);
    assert!(String::from_utf8_lossy(&seen).contains("text/event-stream"));

    let (_, sub) = an_active_subscription(addr, &auth).await;
    let id = sub["id"].as_str().unwrap();
    let command = serde_json::json!({ "command": { "rename": { "subscription": id, "nickname": "Told to every console" } } });
    let reply = call(
        addr,
        "POST",
        "/v1/console/commands",
        &[("Authorization", &auth)],
        Some(command.to_string().as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let told = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let text = String::from_utf8_lossy(&seen).to_string();
            if let Some(data) = text.lines().find_map(|l| l.strip_prefix("data: ")) {
                return data.to_owned();
            }
            let n = stream.read(&mut buffer).await.unwrap();
            seen.extend_from_slice(&buffer[..n]);
        }
    })
    .await
    .expect("a notice within 10 s");
    let notice: Value = serde_json::from_str(&told).unwrap();
    assert_eq!(notice["subscription"], id);
    assert_eq!(notice["by"], "Adele Vance");
    assert_eq!(notice["position"], reply.body["seq"]);

    // The ticket opened the stream once.
    let again = call(
        addr,
        "GET",
        &format!("/v1/console/events?ticket={ticket}"),
        &[],
        None,
    )
    .await;
    assert_eq!(again.status, 401, "{}", again.body);
    let _ = running.stop.send(());
}
