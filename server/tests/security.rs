//! The attacks of the security review, replayed: each must fail. One test (or a few) per point;
//! docs/RELIABILITY.md says what each attack was and how it now holds.

mod common;

use common::*;
use serde_json::Value;

const ADMIN: &str = "adele.vance@relecloud-partners.example";

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

const HELPDESK: &str = "diego.siciliani@relecloud-partners.example";
const SALES: &str = "lee.gu@relecloud-partners.example";

/// How many entries the journal holds (the database is read beside the running server).
fn journal_length(database: &std::path::Path) -> usize {
    server::Store::open(database)
        .unwrap()
        .entries_after(0)
        .unwrap()
        .len()
}

fn sign_in_body(email: &str, password: &str) -> Vec<u8> {
    serde_json::json!({ "email": email, "password": password })
        .to_string()
        .into_bytes()
}

/// Point 2: refused resolves from callers who are not signed in store nothing (before, each was
/// journaled with its headers), count twice against the address's rate, and over it are answered
/// 429 with Retry-After.
#[tokio::test]
async fn refused_resolves_store_nothing_and_are_limited_per_address() {
    let database = temp_db("resolve-flood");
    let limits = server::Limits {
        publisher_calls_per_minute: 10,
        ..server::Limits::default()
    };
    let running = serve_with(database.clone(), limits, None).await;
    let addr = running.address;
    let before = journal_length(&database);
    let big = "A".repeat(20 * 1024);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let reply = call(
            addr,
            "POST",
            "/saas/subscriptions/resolve",
            &[
                ("x-ms-publisher-id", "contoso-esign"),
                ("x-ms-marketplace-token", &big),
            ],
            None,
        )
        .await;
        statuses.push(reply.status);
        if reply.status == 429 {
            assert!(
                reply
                    .header("retry-after")
                    .is_some_and(|s| s.parse::<u64>().unwrap() >= 1)
            );
            assert!(
                reply.body["description"]
                    .as_str()
                    .unwrap()
                    .contains("Too many attempts")
            );
        }
    }
    assert_eq!(&statuses[..5], &[400; 5], "{statuses:?}");
    assert!(statuses[5..].iter().all(|&s| s == 429), "{statuses:?}");
    assert_eq!(journal_length(&database), before, "nothing journaled");
    let _ = running.stop.send(());
}

/// Point 3: an unknown e-mail is answered like a wrong password, after the same hashing; the
/// account slows down after repeated failures; an address is limited.
#[tokio::test]
async fn sign_in_tells_nothing_of_which_accounts_exist_and_slows_down_after_failures() {
    let limits = server::Limits {
        sign_ins_per_minute: 1000,
        ..server::Limits::default()
    };
    let running = serve_with(temp_db("sign-in"), limits, None).await;
    let addr = running.address;
    let timed = |email: &'static str| async move {
        let started = std::time::Instant::now();
        let reply = call(
            addr,
            "POST",
            "/v1/signin",
            &[],
            Some(&sign_in_body(email, "wrong")),
        )
        .await;
        (reply.status, reply.body, started.elapsed())
    };
    let (known_status, known_body, known_time) = timed(SALES).await;
    let (unknown_status, unknown_body, unknown_time) =
        timed("nobody@relecloud-partners.example").await;
    assert_eq!((known_status, &known_body), (unknown_status, &unknown_body));
    assert_eq!(known_status, 401);
    // Both checked a password hash (before, the unknown address answered 70 times sooner).
    assert!(
        unknown_time * 3 > known_time,
        "{unknown_time:?} vs {known_time:?}"
    );

    // Five failures in all, then the account waits, even with the right password.
    for _ in 0..4 {
        assert_eq!(timed(SALES).await.0, 401);
    }
    let locked = call(
        addr,
        "POST",
        "/v1/signin",
        &[],
        Some(&sign_in_body(SALES, PASSWORD)),
    )
    .await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").is_some());
    // Another account is not held up.
    let other = call(
        addr,
        "POST",
        "/v1/signin",
        &[],
        Some(&sign_in_body(ADMIN, PASSWORD)),
    )
    .await;
    assert_eq!(other.status, 200);
    let _ = running.stop.send(());

    let limits = server::Limits {
        sign_ins_per_minute: 3,
        ..server::Limits::default()
    };
    let running = serve_with(temp_db("sign-in-address"), limits, None).await;
    for _ in 0..3 {
        let ok = call(
            running.address,
            "POST",
            "/v1/signin",
            &[],
            Some(&sign_in_body(ADMIN, PASSWORD)),
        )
        .await;
        assert_eq!(ok.status, 200);
    }
    let over = call(
        running.address,
        "POST",
        "/v1/signin",
        &[],
        Some(&sign_in_body(ADMIN, PASSWORD)),
    )
    .await;
    assert_eq!(over.status, 429);
    assert_eq!(over.body["code"], 429);
    let _ = running.stop.send(());
}

/// Point 5: the database keeps no token as it was, its files are the owner's only, sign-out
/// ends the token on the server, and expired sign-ins are removed.
#[tokio::test]
async fn tokens_are_kept_hashed_revoked_at_sign_out_and_purged_when_expired() {
    let database = temp_db("sessions");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let token = auth.strip_prefix("Bearer ").unwrap().to_owned();
    let mut stored = std::fs::read(&database).unwrap();
    stored.extend(std::fs::read(format!("{}-wal", database.display())).unwrap_or_default());
    assert!(
        !stored.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token is not in the database files"
    );
    #[cfg(unix)]
    for file in [
        database.display().to_string(),
        format!("{}-wal", database.display()),
    ] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    let me = |auth: String| async move {
        call(
            addr,
            "GET",
            "/v1/customers?size=1",
            &[("Authorization", &auth)],
            None,
        )
        .await
        .status
    };
    assert_eq!(me(auth.clone()).await, 200);
    let out = call(
        addr,
        "POST",
        "/v1/signout",
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(out.status, 204);
    assert_eq!(me(auth).await, 401, "signed out on the server");

    let store = server::Store::open(&database).unwrap();
    let user = domain::UserId::parse("00000000-0000-4000-8000-000000000001").unwrap();
    let now = chrono::Utc::now();
    store
        .add_session("old", user, now - chrono::TimeDelta::hours(1))
        .unwrap();
    store
        .add_session("new", user, now + chrono::TimeDelta::hours(1))
        .unwrap();
    let before = store.session_count().unwrap();
    assert_eq!(store.purge_sessions(now).unwrap(), 1);
    assert_eq!(store.session_count().unwrap(), before - 1);
    assert!(store.session("new").unwrap().is_some());
    let _ = running.stop.send(());
}

/// Point 6: an idempotency key is its user's, for one customer's cart.
#[tokio::test]
async fn an_idempotency_key_belongs_to_one_user_and_one_cart() {
    let running = serve(temp_db("idempotency")).await;
    let addr = running.address;
    let (admin, sales) = (sign_in(addr, ADMIN).await, sign_in(addr, SALES).await);
    let key = ("Idempotency-Key", "order-1");
    let (_, first_cart) = a_cart(addr, &admin).await;
    let first = call(
        addr,
        "POST",
        &first_cart,
        &[("Authorization", &admin), key],
        None,
    )
    .await;
    assert_eq!(first.status, 201);
    let retried = call(
        addr,
        "POST",
        &first_cart,
        &[("Authorization", &admin), key],
        None,
    )
    .await;
    assert_eq!(
        retried.body["orders"][0]["id"],
        first.body["orders"][0]["id"]
    );

    let (_, second_cart) = a_cart(addr, &admin).await;
    let reused = call(
        addr,
        "POST",
        &second_cart,
        &[("Authorization", &admin), key],
        None,
    )
    .await;
    assert_eq!(reused.status, 409, "{}", reused.body);
    let said = reused.body["description"].as_str().unwrap();
    assert!(
        said.contains("was used for another checkout") && said.contains("new key"),
        "{said}"
    );

    // The same words from another user are their own key: their cart is checked out.
    let (_, sales_cart) = a_cart(addr, &sales).await;
    let theirs = call(
        addr,
        "POST",
        &sales_cart,
        &[("Authorization", &sales), key],
        None,
    )
    .await;
    assert_eq!(theirs.status, 201, "{}", theirs.body);
    assert_ne!(
        theirs.body["orders"][0]["id"],
        first.body["orders"][0]["id"]
    );
    let _ = running.stop.send(());
}

/// Point 7: a role that only reads writes nothing, reading a valid activation link writes
/// nothing, and no user advances the server's clock.
#[tokio::test]
async fn reads_and_roles_that_only_read_never_write_to_the_journal() {
    let database = temp_db("no-writes");
    let running = serve(database.clone()).await;
    let addr = running.address;
    let admin = sign_in(addr, ADMIN).await;
    let (customer, order, subscription, _) = a_purchase(addr, &admin).await;
    let before = journal_length(&database);

    let helpdesk = sign_in(addr, HELPDESK).await;
    let rename = serde_json::json!({ "command": { "rename": { "subscription": subscription, "nickname": "Mine" } } }).to_string();
    let refused = call(
        addr,
        "POST",
        "/v1/console/commands",
        &[("Authorization", &helpdesk)],
        Some(rename.as_bytes()),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body["description"]
            .as_str()
            .unwrap()
            .contains("Helpdesk agent")
    );
    let clock = br#"{"command":"advanceClock"}"#;
    for auth in [&helpdesk, &admin] {
        let reply = call(
            addr,
            "POST",
            "/v1/console/commands",
            &[("Authorization", auth)],
            Some(clock),
        )
        .await;
        assert_eq!(reply.status, 403, "{}", reply.body);
    }
    for auth in [&helpdesk, &admin] {
        let links = call(
            addr,
            "GET",
            &format!("/v1/customers/{customer}/orders/{order}/lineitems/0/activationlinks"),
            &[("Authorization", auth)],
            None,
        )
        .await;
        assert_eq!(links.status, 200, "{}", links.body);
    }
    assert_eq!(journal_length(&database), before);
    let _ = running.stop.send(());
}

/// Point 8: a connection that sends nothing, or its headers a byte at a time, is closed after
/// the header-read timeout; open connections are bounded, the next waiting for one to close.
#[tokio::test]
async fn idle_and_slow_connections_are_closed_and_open_connections_are_bounded() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let limits = server::Limits {
        header_read_timeout: std::time::Duration::from_secs(1),
        max_connections: 2,
        ..server::Limits::default()
    };
    let running = serve_with(temp_db("connections"), limits, None).await;
    let addr = running.address;
    let closed_within = |mut stream: tokio::net::TcpStream, seconds: u64| async move {
        let mut buf = [0u8; 64];
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(seconds),
            stream.read(&mut buf),
        )
        .await;
        matches!(read, Ok(Ok(0)) | Ok(Err(_)))
    };
    let idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(idle, 3).await, "an idle connection is closed");

    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut closed = false;
    for byte in b"GET /v1/customers HTTP/1.1\r\nHost: x\r\n"
        .iter()
        .cycle()
        .take(40)
    {
        if slow.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        closed || closed_within(slow, 1).await,
        "a slow sender is closed"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));

    // Two connections open (the bound): a third request waits until one of them closes.
    let first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let third = tokio::spawn(async move {
        call(addr, "GET", "/v1/nothing-here", &[], None)
            .await
            .status
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!third.is_finished(), "the third waits");
    drop(first);
    let status = tokio::time::timeout(std::time::Duration::from_secs(3), third)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 404);
    let _ = running.stop.send(());
}

/// Point 9: only the built console's own files are served: no dotfile, and nothing through a
/// symbolic link.
#[tokio::test]
async fn static_files_serve_no_dotfile_and_follow_no_link() {
    let dist = temp_db("dist").with_file_name("dist");
    std::fs::create_dir_all(dist.join("snippets")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dist.join("snippets/a.js"), "1").unwrap();
    std::fs::write(dist.join(".env"), "SECRET=1").unwrap();
    let outside = dist.with_file_name("outside.txt");
    std::fs::write(&outside, "outside the served folder").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dist.join("linked.txt")).unwrap();
    let running = serve_with(temp_db("static"), server::Limits::default(), Some(dist)).await;
    let addr = running.address;
    let raw = |path: &'static str| async move {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text).await;
        text
    };
    assert!(raw("/app.js").await.contains("console.log(1)"));
    assert!(raw("/snippets/a.js").await.ends_with("\r\n\r\n1"));
    for path in ["/.env", "/%2eenv", "/linked.txt", "/snippets/../.env"] {
        let text = raw(path).await;
        assert!(
            !text.contains("SECRET") && !text.contains("outside the served"),
            "{path}: {text}"
        );
    }
    assert!(raw("/customers").await.contains("<title>console</title>"));
    let _ = running.stop.send(());
}

/// Point 10: every error is `{code, description}` JSON, also those of the layers underneath, and
/// an unknown API path is 404.
#[tokio::test]
async fn every_error_is_code_and_description_json() {
    let running = serve(temp_db("errors")).await;
    let addr = running.address;
    let auth = sign_in(addr, ADMIN).await;
    let too_big = vec![b' '; 100 * 1024];
    let long_path = format!("/v1/customers?q={}", "a".repeat(9000));
    let big_header = "b".repeat(40 * 1024);
    let cases: Vec<(u16, common::Reply)> = vec![
        (
            413,
            call(addr, "POST", "/v1/signin", &[], Some(&too_big)).await,
        ),
        (
            414,
            call(addr, "GET", &long_path, &[("Authorization", &auth)], None).await,
        ),
        (
            431,
            call(
                addr,
                "GET",
                "/v1/customers",
                &[("X-Big", &big_header)],
                None,
            )
            .await,
        ),
        (
            400,
            call(
                addr,
                "GET",
                "/v1/customers?page=abc",
                &[("Authorization", &auth)],
                None,
            )
            .await,
        ),
        (
            404,
            call(
                addr,
                "GET",
                "/v1/no-such-thing",
                &[("Authorization", &auth)],
                None,
            )
            .await,
        ),
        (
            404,
            call(addr, "GET", "/saas/no-such-thing", &[], None).await,
        ),
        (
            405,
            call(
                addr,
                "DELETE",
                "/v1/customers",
                &[("Authorization", &auth)],
                None,
            )
            .await,
        ),
    ];
    for (status, reply) in cases {
        assert_eq!(reply.status, status, "{}", reply.headers);
        assert_eq!(reply.body["code"], status, "{}", reply.body);
        let description = reply.body["description"].as_str().unwrap_or_default();
        assert!(description.len() > 10, "{status}: {description}");
    }
    let _ = running.stop.send(());
}

/// Point 11: a panic in one request answers 500 and the server keeps serving.
#[tokio::test]
async fn a_panic_in_one_request_answers_500_and_the_server_goes_on() {
    use axum::routing::get;
    let router = server::guarded(
        axum::Router::new()
            .route(
                "/fails",
                get(|| async {
                    if "a bug in one route".len() > 1 {
                        panic!("a bug in one route");
                    }
                    "never"
                }),
            )
            .route("/works", get(|| async { "still here" })),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let done = tokio::spawn(server::serve(
        listener,
        router,
        server::Limits::default(),
        stopped,
    ));
    let failed = call(addr, "GET", "/fails", &[], None).await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.body["code"], 500);
    let again = call(addr, "GET", "/works", &[], None).await;
    assert_eq!(again.status, 200);
    let _ = stop.send(());
    let _ = done.await;
}
