//! `server`: runs Marketplace Console's shared mode — the REST API and, with `--dist`, the built
//! console — on one address.
//!
//! Options: `--database FILE` (default `marketplace-console.db`), `--address HOST:PORT` (default
//! `127.0.0.1:8081`), `--app-origin ORIGIN` (CORS), `--dist DIR`, `--demo scale` (a new database
//! starts with 10,000 customers and 100,000 subscriptions instead of the demo partner). The demo
//! users are created on the first start with the password in `MC_DEMO_PASSWORD`, or a random one
//! that is printed once.

use std::path::PathBuf;

use server::{Config, Demo, start};

fn usage(problem: &str) -> ! {
    eprintln!(
        "error: {problem}\nusage: server [--database FILE] [--address HOST:PORT] [--app-origin ORIGIN] [--dist DIR] [--demo scale]"
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut config = Config {
        database: PathBuf::from("marketplace-console.db"),
        address: "127.0.0.1:8081".parse().expect("a valid address"),
        app_origin: None,
        dist: None,
        demo_password: std::env::var("MC_DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty()),
        demo: Demo::Standard,
        limits: server::Limits::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--database" => config.database = PathBuf::from(value()),
            "--address" => {
                config.address = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--address must be HOST:PORT"))
            }
            "--app-origin" => config.app_origin = Some(value()),
            "--dist" => config.dist = Some(PathBuf::from(value())),
            "--demo" => match value().as_str() {
                "scale" => config.demo = Demo::Scale,
                "standard" => config.demo = Demo::Standard,
                _ => usage("--demo must be standard or scale"),
            },
            other => usage(&format!("unknown option {other}")),
        }
    }
    let running = match start(config).await {
        Ok(running) => running,
        Err(e) => usage(&e.to_string()),
    };
    println!(
        "Marketplace Console server listening on http://{}",
        running.address
    );
    if let Some(password) = &running.seeded_password {
        println!("Demo users created; their password (shown only now): {password}");
    }
    let _ = tokio::signal::ctrl_c().await;
    let _ = running.stop.send(());
    let _ = running.done.await;
}
