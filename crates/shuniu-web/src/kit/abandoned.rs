//! Requests whose clients leave before the answer.

/// Runs each request to its end on a task of its own, even when its client goes away
/// first. Dropping a handler's future stops its store calls at whatever `await` they
/// are in, and the database driver does not survive every such stop: sqlx 0.8 stopped
/// while a PostgreSQL `BEGIN` is in flight gives the connection back to the pool inside
/// the transaction (its guard rolls back only a transaction it has counted), so later
/// requests run in it; the first read snapshot (`BEGIN ISOLATION LEVEL …`) that lands
/// there fails and leaves the connection aborted for good. wrk closing its connections
/// at the end of one run made 3,040 of the next run's 4,565 organization pages fail.
pub async fn finish_when_abandoned(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tracing::Instrument;
    match tokio::spawn(next.run(req).in_current_span()).await {
        Ok(res) => res,
        // A handler that panicked panics here as it would have without the task.
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use std::io::Write;

    /// A handler that takes 300 ms, behind the layer, served on port 0: a client that
    /// sends its request and hangs up after 20 ms leaves it to finish anyway (without
    /// the layer, hyper drops the handler when it sees the connection close).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_request_runs_to_its_end() {
        let finished = Arc::new(AtomicBool::new(false));
        let flag = finished.clone();
        let app = axum::Router::new()
            .route(
                "/slow",
                axum::routing::get(move || async move {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    flag.store(true, Ordering::SeqCst);
                    "done"
                }),
            )
            .layer(axum::middleware::from_fn(super::finish_when_abandoned));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let mut client = std::net::TcpStream::connect(addr).unwrap();
        client
            .write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(client);
        assert!(
            !finished.load(Ordering::SeqCst),
            "too early to have finished"
        );
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert!(
            finished.load(Ordering::SeqCst),
            "the abandoned request was stopped"
        );
    }
}
