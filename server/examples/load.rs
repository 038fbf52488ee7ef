//! Load figures for the server on loopback: requests per second and p50/p99 latency for listing a
//! customer's subscriptions and for a PATCH of a subscription, from concurrent keep-alive
//! connections; the same listing while wrong passwords are tried beside it; and how long sign-in
//! takes to refuse a known and an unknown e-mail address. Run with
//! `cargo run --release -p server --example load`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use server::{Config, start};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 16;
const SECONDS: u64 = 5;

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    async fn open(addr: std::net::SocketAddr) -> Self {
        Connection {
            reader: BufReader::new(TcpStream::connect(addr).await.unwrap()),
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Value) {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: load\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !body.is_empty() {
            request.push_str("Content-Type: application/json\r\n");
        }
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.reader
            .get_mut()
            .write_all(request.as_bytes())
            .await
            .unwrap();
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).await.unwrap();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }
}

type Task = tokio::task::JoinHandle<(Vec<Duration>, usize)>;

/// One keep-alive connection per path, each reading its path for `SECONDS`: every latency, the
/// errors and how long it took.
async fn reads(
    addr: std::net::SocketAddr,
    auth: &str,
    paths: &[String],
) -> (Vec<Duration>, usize, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = paths
        .iter()
        .map(|path| {
            let (auth, path) = (auth.to_owned(), path.clone());
            tokio::spawn(async move {
                let mut c = Connection::open(addr).await;
                let (mut latencies, mut errors) = (Vec::new(), 0);
                while started.elapsed() < Duration::from_secs(SECONDS) {
                    let t = Instant::now();
                    let (status, _) = c.send("GET", &path, &[("Authorization", &auth)], "").await;
                    latencies.push(t.elapsed());
                    errors += usize::from(status != 200);
                }
                (latencies, errors)
            })
        })
        .collect();
    let (all, errors) = gather(tasks).await;
    (all, errors, started.elapsed())
}

/// Every connection's latencies and error count, together.
async fn gather(tasks: Vec<Task>) -> (Vec<Duration>, usize) {
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    (all, errors)
}

fn report(name: &str, mut latencies: Vec<Duration>, elapsed: Duration, errors: usize) {
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "| {name} | {:.0} | {:.2} ms | {:.2} ms | {} | {errors} |",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        latencies.len(),
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("mc-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let running = start(Config {
        database: dir.join("load.db"),
        address: "127.0.0.1:0".parse().unwrap(),
        app_origin: None,
        dist: None,
        demo_password: Some("load".into()),
        demo: server::Demo::Standard,
        limits: server::Limits {
            sign_ins_per_minute: 1_000_000,
            ..server::Limits::default()
        },
    })
    .await
    .unwrap();
    let addr = running.address;
    let mut c = Connection::open(addr).await;
    let signin = json!({ "email": "adele.vance@relecloud-partners.example", "password": "load" })
        .to_string();
    let (_, body) = c.send("POST", "/v1/signin", &[], &signin).await;
    let auth = format!("Bearer {}", body["token"].as_str().unwrap());
    let (_, customers) = c
        .send("GET", "/v1/customers", &[("Authorization", &auth)], "")
        .await;
    let mut targets = Vec::new();
    for customer in customers["items"].as_array().unwrap() {
        let id = customer["id"].as_str().unwrap().to_owned();
        let (_, subs) = c
            .send(
                "GET",
                &format!("/v1/customers/{id}/subscriptions"),
                &[("Authorization", &auth)],
                "",
            )
            .await;
        for s in subs["items"].as_array().unwrap() {
            if s["status"] == "active" {
                targets.push((id.clone(), s.clone()));
            }
        }
    }
    println!(
        "Server load on loopback: {CONNECTIONS} keep-alive connections, {SECONDS} s per route, demo data"
    );
    println!();
    println!("| route | requests/s | p50 | p99 | requests | errors |");
    println!("|---|---|---|---|---|---|");

    // Listing a customer's subscriptions.
    let paths: Vec<String> = (0..CONNECTIONS)
        .map(|i| {
            format!(
                "/v1/customers/{}/subscriptions",
                targets[i % targets.len()].0
            )
        })
        .collect();
    let (all, errors, elapsed) = reads(addr, &auth, &paths).await;
    report("GET /v1/customers/{id}/subscriptions", all, elapsed, errors);

    // The same, while as many connections try wrong passwords (each for another unknown address,
    // so no account's delay stops them, and the server's per-address limit lifted as if they
    // came from many addresses): the hashing runs off the async workers, a few at a time.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let guessers: Vec<_> = (0..CONNECTIONS)
        .map(|i| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut c = Connection::open(addr).await;
                let mut tried = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let body = json!({ "email": format!("guess-{i}-{tried}@example.com"), "password": "wrong" });
                    let (status, _) = c.send("POST", "/v1/signin", &[], &body.to_string()).await;
                    assert_eq!(status, 401);
                    tried += 1;
                }
                tried
            })
        })
        .collect();
    let (all, errors, elapsed) = reads(addr, &auth, &paths).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut tried = 0;
    for g in guessers {
        tried += g.await.unwrap();
    }
    report(
        &format!(
            "GET /v1/customers/{{id}}/subscriptions beside {CONNECTIONS} connections of wrong passwords ({:.0} tried/s)",
            tried as f64 / elapsed.as_secs_f64()
        ),
        all,
        elapsed,
        errors,
    );

    // Refusing a wrong password: once for each demo account (more would meet the account's
    // delay), each followed by an address with no account.
    let mut c = Connection::open(addr).await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for account in [
        "megan.bowen",
        "adele.vance",
        "lee.gu",
        "diego.siciliani",
        "isaiah.langer",
    ] {
        for (domain, times) in [
            ("nowhere.example", &mut unknown),
            ("relecloud-partners.example", &mut known),
        ] {
            let body = json!({ "email": format!("{account}@{domain}"), "password": "wrong" });
            let t = Instant::now();
            let (status, _) = c.send("POST", "/v1/signin", &[], &body.to_string()).await;
            assert_eq!(status, 401);
            times.push(t.elapsed());
        }
    }
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (known, unknown) = (median(known), median(unknown));
    println!(
        "| server: POST /v1/signin refused, an account / an address with none, median of 5 | {:.1} ms / {:.1} ms |",
        known.as_secs_f64() * 1e3,
        unknown.as_secs_f64() * 1e3
    );

    // PATCH: each connection renames its own subscription, with the etag of the last answer.
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONNECTIONS.min(targets.len()))
        .map(|i| {
            let auth = auth.clone();
            let (customer, sub) = targets[i].clone();
            tokio::spawn(async move {
                let mut c = Connection::open(addr).await;
                let path = format!(
                    "/v1/customers/{customer}/subscriptions/{}",
                    sub["id"].as_str().unwrap()
                );
                let mut current = sub;
                let (mut latencies, mut errors, mut n) = (Vec::new(), 0, 0);
                while started.elapsed() < Duration::from_secs(SECONDS) {
                    n += 1;
                    current["friendlyName"] = json!(format!("Load {i}-{n}"));
                    let etag = current["attributes"]["etag"].as_str().unwrap().to_owned();
                    let t = Instant::now();
                    let (status, body) = c
                        .send(
                            "PATCH",
                            &path,
                            &[("Authorization", &auth), ("If-Match", &etag)],
                            &current.to_string(),
                        )
                        .await;
                    latencies.push(t.elapsed());
                    if status == 200 {
                        current = body;
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (all, errors) = gather(tasks).await;
    report(
        "PATCH /v1/customers/{id}/subscriptions/{id} (rename, durable)",
        all,
        started.elapsed(),
        errors,
    );
    let _ = running.stop.send(());
    let _ = std::fs::remove_dir_all(dir);
}
