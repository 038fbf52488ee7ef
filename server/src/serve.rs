//! Accepting connections: HTTP/1.1 with a bound on open connections, a time limit for each
//! request's headers (which also closes a connection left idle between requests, and one that
//! sends its headers a byte at a time), a bound on the size of what is read before the headers
//! end, and a stop that lets the requests under way finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tower::Service;

use crate::Limits;

/// The most hyper reads of a request line and headers; past it hyper answers 431 itself. The
/// routes' own, smaller bounds (`api::MAX_URI` and `api::MAX_HEADERS`) answer in JSON first.
const MAX_HEAD: usize = 64 * 1024;
/// How long a stop waits for requests under way (change notices' streams never end by themselves).
const STOP_WAIT: Duration = Duration::from_secs(5);

/// Serves `router` on `listener` until `stop`, each request carrying its client's address
/// (`ConnectInfo<SocketAddr>`), within `limits`' bounds on connections and header reads.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: oneshot::Receiver<()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, or the client went before it was accepted.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        // Answers go out as they are written, not held for the client's acknowledgement.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().call(request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_buf_size(MAX_HEAD)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    let _ = tokio::time::timeout(STOP_WAIT, graceful.shutdown()).await;
}
