//! Clients that hang up before the answer: what they asked still runs to its end, and
//! no pooled connection is left inside a transaction for the next request.

use std::io::Write;
use std::time::Duration;

use crate::common::*;

http_test!(
    requests_abandoned_midway_leave_every_connection_usable,
    |app: TestApp| async move {
        let made = app.create_org(&org_json(1)).await;
        let id = made["id"].as_str().expect("the new organization's id");
        // The page reads the supervision record in a read snapshot (a transaction
        // begun with its own `BEGIN …`), the list and the record are plain reads.
        let paths = vec![
            format!("/organizations/{id}"),
            "/api/v1/organizations?jurisdiction=320102&domain=elderly".to_string(),
            format!("/api/v1/organizations/{id}"),
        ];
        let host = app.addr.trim_start_matches("http://").to_string();
        let mut clients = Vec::new();
        for c in 0..16u64 {
            let (host, paths) = (host.clone(), paths.clone());
            clients.push(tokio::task::spawn_blocking(move || {
                for i in 0..40u64 {
                    let mut s = std::net::TcpStream::connect(&host).unwrap();
                    let path = &paths[((c + i) % 3) as usize];
                    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                        .unwrap();
                    // Hang up 0 to 3 ms later: before, during or after the reads.
                    std::thread::sleep(Duration::from_micros((c * 331 + i * 97) % 3_000));
                    drop(s);
                }
            }));
        }
        for c in clients {
            c.await.unwrap();
        }
        // Every later request is answered, whichever pooled connection it gets.
        for path in paths.iter().cycle().take(90) {
            let r = app
                .anon
                .get(format!("{}{path}", app.addr))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}: {}", r.text().await.unwrap());
        }
    }
);
