//! Security, booking and assessment-table settings through the configuration layers,
//! and `serve --demo`.

use super::*;

#[test]
fn security_settings_layer_defaults_file_environment_flags() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("p.db");
    assert_ok(&run(shuniu(&dir).args(["migrate", "--db", &url])));
    let add = |name: &str, envs: &[(&str, &str)], flags: &[&str]| {
        run_with_stdin(
            shuniu(&dir)
                .args([
                    "user",
                    "add",
                    name,
                    "--role",
                    "expert",
                    "--password-stdin",
                    "--db",
                    &url,
                ])
                .args(flags)
                .envs(envs.iter().copied()),
            "Twelve-Char1\n",
        )
    };
    // Default minimum 8: a 12-character password is fine.
    assert_ok(&add("user1", &[], &[]));
    // The file raises it to 14: refused.
    std::fs::write(dir.path("shuniu.toml"), "password_min_length = 14\n").unwrap();
    assert_fails_with(&add("user2", &[], &[]), &["at least 14"]);
    // The environment beats the file.
    assert_ok(&add("user3", &[("SHUNIU_PASSWORD_MIN_LENGTH", "10")], &[]));
    // The flag beats the environment.
    let out = add(
        "user4",
        &[("SHUNIU_PASSWORD_MIN_LENGTH", "10")],
        &["--password-min-length", "13"],
    );
    assert_fails_with(&out, &["at least 13"]);
    // Below the floor, and an unknown value, are configuration errors (status 2).
    let out = add("user5", &[("SHUNIU_PASSWORD_MIN_LENGTH", "6")], &[]);
    assert_fails_with(&out, &["password_min_length"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path("shuniu.toml"), "audit_retention_days = 30\n").unwrap();
    let out = run(shuniu(&dir).args(["audit", "purge", "--db", &url]));
    assert_fails_with(&out, &["audit_retention_days", "180"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The booking rules `serve` logs at start (text logs: `key=value`).
fn logged_booking_rules(log: &str) -> Vec<String> {
    let line = log
        .lines()
        .find(|l| l.contains("room-booking rules"))
        .unwrap_or_else(|| panic!("no booking rules logged:\n{log}"));
    [
        "opens_at_hour",
        "closes_at_hour",
        "horizon_days",
        "max_hours",
        "slot_minutes",
    ]
    .iter()
    .map(|k| {
        let at = line
            .find(&format!("{k}="))
            .unwrap_or_else(|| panic!("{k}: {line}"));
        line[at..].split_whitespace().next().unwrap().to_string()
    })
    .collect()
}

#[tokio::test]
async fn booking_settings_layer_defaults_file_environment_flags() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("b.db");
    let out = run(shuniu(&dir).args(["serve", "--help"]));
    let help = text(&out.stdout);
    for word in [
        "Booking settings",
        "--booking-opens-at-hour",
        "--booking-closes-at-hour",
        "SHUNIU_BOOKING_HORIZON_DAYS",
        "--booking-max-hours",
    ] {
        assert!(help.contains(word), "serve --help lacks {word}: {help}");
    }

    // Defaults, and the slot fixed at 30 minutes.
    let mut server = Server::start(&dir, &["--db", &url], &[], None);
    server.wait_healthy().await;
    assert_eq!(
        logged_booking_rules(&server.log()),
        [
            "opens_at_hour=8",
            "closes_at_hour=21",
            "horizon_days=90",
            "max_hours=8",
            "slot_minutes=30"
        ]
    );
    server.stop_ok("INT");

    // The file sets the hours and the horizon; the environment beats it on the
    // closing hour and the longest booking; a flag beats the environment on the latter.
    std::fs::write(
        dir.path("shuniu.toml"),
        "booking_opens_at_hour = 7\nbooking_closes_at_hour = 20\nbooking_horizon_days = 30\n",
    )
    .unwrap();
    let mut server = Server::start(
        &dir,
        &["--db", &url, "--booking-max-hours", "3"],
        &[
            ("SHUNIU_BOOKING_CLOSES_AT_HOUR", "13"),
            ("SHUNIU_BOOKING_MAX_HOURS", "5"),
        ],
        None,
    );
    server.wait_healthy().await;
    assert_eq!(
        logged_booking_rules(&server.log()),
        [
            "opens_at_hour=7",
            "closes_at_hour=13",
            "horizon_days=30",
            "max_hours=3",
            "slot_minutes=30"
        ]
    );
    server.stop_ok("INT");

    // Out of range, closing before opening, and a slot size are configuration errors.
    let out = run(shuniu(&dir).args(["serve", "--db", &url, "--booking-horizon-days", "1000"]));
    assert_fails_with(&out, &["booking_horizon_days", "730"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(shuniu(&dir)
        .args(["serve", "--db", &url])
        .env("SHUNIU_BOOKING_CLOSES_AT_HOUR", "6"));
    assert_fails_with(
        &out,
        &["booking_closes_at_hour", "booking_opens_at_hour = 7"],
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path("shuniu.toml"), "booking_slot_minutes = 15\n").unwrap();
    let out = run(shuniu(&dir).args(["serve", "--db", &url]));
    assert_fails_with(&out, &["shuniu.toml", "booking_slot_minutes"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A table for Xuanwu's foundations: 100 points in two areas (`second` points in the
/// second, so 40 makes a consistent table).
fn tables_file(second: u32) -> String {
    format!(
        r#"[[table]]
kind = "foundation"
authority = "320102"
max_bonus = 5
max_total = 100
cutoffs = {{ "5A" = 90, "3A" = 60 }}
areas = [
  {{ code = "governance", zh = "内部治理", en = "Governance", points = 60 }},
  {{ code = "services", zh = "服务", en = "Services", points = {second} }},
]
"#
    )
}

#[tokio::test]
async fn assessment_tables_come_from_the_file_the_settings_name_and_a_bad_one_stops_the_start() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("t.db");
    std::fs::write(dir.path("bad-tables.toml"), tables_file(30)).unwrap();
    std::fs::write(dir.path("tables.toml"), tables_file(40)).unwrap();

    // A bad table in the file shuniu.toml names: status 2, the table and what is wrong.
    std::fs::write(
        dir.path("shuniu.toml"),
        "assessment_tables = \"bad-tables.toml\"\n",
    )
    .unwrap();
    let out = run(shuniu(&dir).args(["serve", "--db", &url]));
    assert_fails_with(
        &out,
        &[
            "assessment_tables = bad-tables.toml",
            "table 1 (foundation, authority 320102)",
            "areas add up to 90, not 100",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    // A file that is not there, through the environment: status 2 too.
    let out = run(shuniu(&dir)
        .args(["migrate", "--db", &url])
        .env("SHUNIU_ASSESSMENT_TABLES", "missing.toml"));
    assert_fails_with(&out, &["assessment_tables = missing.toml", "cannot read"]);
    assert_eq!(out.status.code(), Some(2));

    // The environment beats the file: a good table, served as the one in force.
    let mut server = Server::start(
        &dir,
        &["--db", &url],
        &[("SHUNIU_ASSESSMENT_TABLES", "tables.toml")],
        None,
    );
    server.wait_healthy().await;
    let v: serde_json::Value = reqwest::get(format!(
        "{}/api/v1/assessment-tables?authority=320102&kind=foundation",
        server.base
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(v["items"][0]["source"], "setting", "{v}");
    assert_eq!(v["items"][0]["max_total"], 100, "{v}");
    server.stop_ok("INT");
}

#[tokio::test]
async fn serve_demo_loads_xuanwu_and_one_account_per_role_into_an_empty_sqlite_database_once() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("demo.db");
    let mut server = Server::start(&dir, &["--db", &url, "--demo"], &[], None);
    server.wait_healthy().await;
    let log = server.log();
    server.stop_ok("INT");
    let (orgs, staff) = xuanwu_organizations(&url).await;
    assert_eq!(orgs, 1379);
    assert!(staff >= 25_000, "staff {staff}");
    let accounts = demo_accounts(&log);
    let roles: Vec<(&str, &str)> = accounts
        .iter()
        .map(|(u, r, _)| (u.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("admin", "admin"),
            ("official", "official"),
            ("hub", "hub_staff"),
            ("member", "org_member"),
            ("expert", "expert")
        ],
        "{log}"
    );
    let store = Store::connect(&url).await.unwrap();
    for (user, _, password) in &accounts {
        assert!(password_works(&store, user, password).await, "{user}");
        let u = store.user_by_username(user).await.unwrap().unwrap();
        assert!(!u.must_change_password, "{user}");
    }
    let official = store.user_by_username("official").await.unwrap().unwrap();
    assert_eq!(official.jurisdiction_code.as_deref(), Some(XUANWU));
    for (user, org) in [
        ("hub", "梅园新村街道社会组织发展促进会"),
        ("member", "南京玄武一家圆心灵保姆服务中心"),
    ] {
        let id = store
            .user_by_username(user)
            .await
            .unwrap()
            .unwrap()
            .organization_id
            .expect("bound");
        let o = store.organization(id).await.unwrap().unwrap();
        assert_eq!(o.data.name, org);
    }
    store.close().await;

    // The admin's printed password logs in (POST /login if the site has it).
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut server = Server::start(&dir, &["--db", &url, "--demo"], &[], None);
    server.wait_healthy().await;
    let login = client
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap();
    if login.status() == 200 {
        let page = login.text().await.unwrap();
        let csrf = page
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string();
        let admin_password = &accounts[0].2;
        let r = client
            .post(format!("{}/login", server.base))
            .form(&[
                ("username", "admin"),
                ("password", admin_password.as_str()),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "login → {}", r.status());
    }
    // A second run neither recreates nor prints them.
    let log = server.log();
    server.stop_ok("INT");
    assert!(!log.contains("Demo accounts"), "{log}");
    let out = run(shuniu(&dir).args(["demo", "--db", &url]));
    assert_ok(&out);
    assert!(!text(&out.stdout).contains("Demo accounts"));
    assert!(
        text(&out.stdout).contains("not loaded"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(xuanwu_organizations(&url).await.0, 1379);
}
