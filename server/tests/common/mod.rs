//! What the server's integration tests share: a server on a random loopback port with its own
//! database, plain HTTP/1.1 requests, sign-in, and the demo data's fixtures.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use server::{Config, Running, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const PASSWORD: &str = "test-password";

pub fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mc-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("console.db")
}

pub async fn serve(database: PathBuf) -> Running {
    serve_with(database, server::Limits::default(), None).await
}

/// A server with other limits, or serving a built console from `dist`.
pub async fn serve_with(
    database: PathBuf,
    limits: server::Limits,
    dist: Option<PathBuf>,
) -> Running {
    start(Config {
        database,
        address: "127.0.0.1:0".parse().unwrap(),
        app_origin: Some("http://127.0.0.1:8080".into()),
        dist,
        demo_password: Some(PASSWORD.into()),
        demo: server::Demo::Standard,
        limits,
    })
    .await
    .expect("the server starts")
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// One request on a fresh connection.
pub async fn call(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    if let Some(body) = body {
        let _ = stream.write_all(body).await;
    }
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut raw)).await;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body_text = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Reply {
        status,
        headers: head.to_owned(),
        body: serde_json::from_str(&body_text).unwrap_or(Value::Null),
    }
}

fn dechunk(mut text: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = text.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        text = &rest[n + 2..];
    }
    out
}

pub async fn sign_in(addr: std::net::SocketAddr, email: &str) -> String {
    let body = json!({ "email": email, "password": PASSWORD }).to_string();
    let reply = call(addr, "POST", "/v1/signin", &[], Some(body.as_bytes())).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    format!("Bearer {}", reply.body["token"].as_str().unwrap())
}

/// The first active subscription of the first customer that has one: (customer, subscription).
pub async fn an_active_subscription(addr: std::net::SocketAddr, auth: &str) -> (String, Value) {
    let customers = call(
        addr,
        "GET",
        "/v1/customers?size=100",
        &[("Authorization", auth)],
        None,
    )
    .await;
    for c in customers.body["items"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let subs = call(
            addr,
            "GET",
            &format!("/v1/customers/{id}/subscriptions"),
            &[("Authorization", auth)],
            None,
        )
        .await;
        if let Some(s) = subs.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["status"] == "active")
        {
            return (id.to_owned(), s.clone());
        }
    }
    panic!("the demo has active subscriptions")
}

/// Buys Contoso Sign for Contoso Ltd: (customer id, checkout path).
pub async fn a_cart(addr: std::net::SocketAddr, auth: &str) -> (String, String) {
    let customers = call(
        addr,
        "GET",
        "/v1/customers?q=contoso%20ltd",
        &[("Authorization", auth)],
        None,
    )
    .await;
    let customer = customers.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cart = json!({ "lineItems": [{ "id": 0, "catalogItemId": "DZH318Z0BXWC:0001:DZH318Z0BMJX", "quantity": 3, "termDuration": "P1M", "billingCycle": "monthly", "friendlyName": "API purchase" }] }).to_string();
    let reply = call(
        addr,
        "POST",
        &format!("/v1/customers/{customer}/carts"),
        &[("Authorization", auth)],
        Some(cart.as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let cart_id = reply.body["id"].as_str().unwrap();
    (
        customer.clone(),
        format!("/v1/customers/{customer}/carts/{cart_id}/checkout"),
    )
}

/// A purchase placed over the REST routes: (customer, order, subscription, activation code).
pub async fn a_purchase(
    addr: std::net::SocketAddr,
    auth: &str,
) -> (String, String, String, String) {
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
