//! `shuniu serve`: the web site and the API until SIGTERM or Ctrl-C.

use crate::commands::demo::load_demo;
use crate::commands::supervise::supervise;
use crate::config::{Settings, redact};
use crate::connect::{Key, migrate, open_keyed};
use crate::{Failure, Outcome, search, users};

pub(crate) async fn serve(settings: &Settings, demo: bool) -> Outcome {
    let store = open_keyed(settings, Key::CreateIfMissing).await?;
    migrate(&store).await?;
    // Bind before loading anything, so that a taken port fails at once.
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .map_err(|e| Failure::new(format!("cannot listen on {}: {e}", settings.bind)))?;
    if demo {
        load_demo(&store).await?;
        let min_len = settings.security.password_min_length as usize;
        users::create_demo_accounts(&store, min_len).await?;
    }
    let search = search::index_for_serving(&store, settings, demo).await?;
    if settings.supervision.on_start {
        let has_history = store
            .has_annual_reports()
            .await
            .map_err(|e| Failure::new(format!("cannot read the annual reports: {e}")))?;
        if has_history {
            let line = supervise(&store, settings).await?;
            tracing::info!("{line}");
        } else {
            tracing::info!("no annual reports yet: the supervision job did not run at start");
        }
    }
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(url = %format!("http://{addr}"), db = %redact(&settings.db), "Shuniu is up");
    }
    let b = settings.booking;
    tracing::info!(
        opens_at_hour = b.opens_at_hour,
        closes_at_hour = b.closes_at_hour,
        horizon_days = b.horizon_days,
        max_hours = b.max_hours,
        slot_minutes = b.slot_minutes,
        "room-booking rules"
    );
    tracing::info!(
        tables_set = settings.supervision.assessment_tables.entries().len(),
        "assessment indicator tables"
    );
    let served = tokio::select! {
        r = shuniu_web::serve_state(listener, {
            let mut state = shuniu_web::AppState::new(
                store.clone(),
                settings.security.auth_settings(),
                settings.booking,
            );
            state.supervision = settings.supervision.credit_settings();
            state.complaints = settings.supervision.complaints;
            state.requests = settings.supervision.requests;
            state.credibility = settings.supervision.credibility;
            state.assessment_tables =
                std::sync::Arc::new(settings.supervision.assessment_tables.clone());
            state.search = search;
            state
        }) => r,
        () = terminated() => {
            tracing::info!("SIGTERM received: stopping");
            Ok(())
        }
    };
    store.close().await;
    served.map_err(|e| Failure::new(format!("the server stopped: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM (what `docker stop` and systemd send); Ctrl-C is handled by
/// `shuniu_web::serve` itself, which then drains open requests.
async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            term.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await
}
