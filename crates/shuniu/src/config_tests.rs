//! Tests of the configuration layers (`config.rs`).
use super::*;

fn layer(db: Option<&str>, bind: Option<&str>, log: Option<&str>) -> Layer {
    Layer {
        db: db.map(String::from),
        bind: bind.map(String::from),
        log: log.map(String::from),
        ..Layer::default()
    }
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

#[test]
fn nothing_given_means_the_defaults() {
    let s = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
    assert_eq!(
        s,
        Settings {
            db: "sqlite://shuniu.db".into(),
            bind: "127.0.0.1:8080".into(),
            log: "info".into(),
            log_format: LogFormat::Text,
            audit_key_file: PathBuf::from("shuniu-audit.key"),
            search_dir: None,
            security: Security {
                lockout_failures: 5,
                lockout_minutes: 15,
                session_idle_minutes: 30,
                session_absolute_hours: 12,
                password_min_length: 8,
                secure_cookies: false,
                audit_retention_days: 180,
                login_failures_per_source: 100,
                login_failures_per_name: 20,
                login_limit_window_minutes: 15,
                hash_wait_seconds: 5,
            },
            booking: BookingRules {
                slot_minutes: 30,
                max_hours: 8,
                horizon_days: 90,
                opens_at_hour: 8,
                closes_at_hour: 21,
            },
            supervision: Supervision {
                annual: AnnualSettings {
                    due_month: 5,
                    due_day: 31,
                },
                from_year: 2023,
                on_start: true,
                assessment_tables: Default::default(),
                complaints: Default::default(),
                requests: Default::default(),
                credibility: Default::default(),
            },
        }
    );
}

#[test]
fn supervision_settings_are_range_checked() {
    let file = Layer {
        annual_report_due_month: Some(6),
        annual_report_due_day: Some(30),
        supervise_from_year: Some(2024),
        supervise_on_start: Some(false),
        ..Layer::default()
    };
    let s = resolve(Layer::default(), Layer::default(), file).unwrap();
    assert_eq!(s.supervision.annual.due_on(2025).to_string(), "2026-06-30");
    assert_eq!(s.supervision.credit_settings().from_year, 2024);
    assert!(!s.supervision.on_start);
    for bad in [
        Layer {
            annual_report_due_month: Some(13),
            ..Layer::default()
        },
        Layer {
            annual_report_due_month: Some(2),
            annual_report_due_day: Some(29),
            ..Layer::default()
        },
        Layer {
            supervise_from_year: Some(1999),
            ..Layer::default()
        },
    ] {
        assert!(resolve(Layer::default(), Layer::default(), bad).is_err());
    }
    let env =
        Layer::from_env(|k| (k == "SHUNIU_SUPERVISE_ON_START").then(|| "no".to_string())).unwrap();
    assert_eq!(env.supervise_on_start, Some(false));
}

#[test]
fn the_complaint_response_limit_is_a_setting_in_range() {
    let d = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
    assert_eq!(d.supervision.complaints.response_working_days, 3);
    let env = Layer::from_env(|k| {
        (k == "SHUNIU_COMPLAINT_RESPONSE_WORKING_DAYS").then(|| "5".to_string())
    })
    .unwrap();
    let s = resolve(Layer::default(), env, Layer::default()).unwrap();
    assert_eq!(s.supervision.complaints.response_working_days, 5);
    for bad in [0, 31] {
        let l = Layer {
            complaint_response_working_days: Some(bad),
            ..Layer::default()
        };
        let e = resolve(Layer::default(), Layer::default(), l).unwrap_err();
        assert!(e.0.contains("complaint_response_working_days"), "{}", e.0);
    }
}

#[test]
fn request_time_limits_are_settings_in_range() {
    let d = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
    assert_eq!(d.supervision.requests.assign_hours, 24);
    assert_eq!(d.supervision.requests.complete_hours, 72);
    let env = Layer::from_env(|k| match k {
        "SHUNIU_REQUEST_ASSIGN_HOURS" => Some("4".to_string()),
        "SHUNIU_REQUEST_COMPLETE_HOURS" => Some("120".to_string()),
        _ => None,
    })
    .unwrap();
    let s = resolve(Layer::default(), env, Layer::default()).unwrap();
    assert_eq!(s.supervision.requests.assign_hours, 4);
    assert_eq!(s.supervision.requests.accept_hours, 24);
    assert_eq!(s.supervision.requests.complete_hours, 120);
    for bad in [0, 721] {
        let l = Layer {
            request_accept_hours: Some(bad),
            ..Layer::default()
        };
        let e = resolve(Layer::default(), Layer::default(), l).unwrap_err();
        assert!(e.0.contains("request_accept_hours"), "{}", e.0);
    }
}

/// A file in the temporary directory holding `text`, unique to this test run.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("shuniu-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

const XUANWU_TABLE: &str = r#"
[[table]]
kind = "foundation"
authority = "320102"
max_bonus = 5
max_total = 100
cutoffs = { "5A" = 90, "3A" = 60 }
areas = [
  { code = "governance", zh = "内部治理", en = "Governance", points = 60 },
  { code = "services", zh = "服务", en = "Services", points = 40 },
]
"#;

#[test]
fn assessment_tables_are_read_from_the_file_the_layers_name() {
    use shuniu_domain::supervision::assessment::TableKind;
    let good = temp_file("tables-good.toml", XUANWU_TABLE);
    let env =
        Layer::from_env(|k| (k == "SHUNIU_ASSESSMENT_TABLES").then(|| good.display().to_string()))
            .unwrap();
    let s = resolve(Layer::default(), env, Layer::default()).unwrap();
    let tables = &s.supervision.assessment_tables;
    assert_eq!(tables.entries().len(), 1);
    let t = tables.table_for("320102", TableKind::Foundation).table;
    assert_eq!(t.max_total, 100);
    assert_eq!(
        tables
            .table_for("320104", TableKind::Foundation)
            .table
            .max_total,
        1000,
        "another authority keeps the built-in table"
    );

    let bad = temp_file(
        "tables-bad.toml",
        &XUANWU_TABLE.replace("points = 40", "points = 30"),
    );
    let typo = temp_file(
        "tables-typo.toml",
        &XUANWU_TABLE.replace("max_bonus", "bonus"),
    );
    let missing = std::env::temp_dir().join("shuniu-no-such-tables.toml");
    for (path, words) in [
        (
            &bad,
            "table 1 (foundation, authority 320102): areas add up to 90, not 100",
        ),
        (&typo, "bonus"),
        (&missing, "cannot read"),
    ] {
        let file = Layer {
            assessment_tables: Some(path.clone()),
            ..Layer::default()
        };
        let e = resolve(Layer::default(), Layer::default(), file).unwrap_err();
        assert!(e.0.starts_with("assessment_tables = "), "{e}");
        assert!(e.0.contains(words), "{words}: {e}");
    }
    for p in [good, bad, typo] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn each_layer_beats_the_ones_below_setting_by_setting() {
    let file = Layer {
        log_format: Some(LogFormat::Json),
        ..layer(Some("sqlite://file.db"), Some("0.0.0.0:1"), Some("debug"))
    };
    let env = layer(Some("sqlite://env.db"), Some("0.0.0.0:2"), None);
    let flags = layer(Some("sqlite://flag.db"), None, None);
    let s = resolve(flags.clone(), env.clone(), file.clone()).unwrap();
    assert_eq!(s.db, "sqlite://flag.db");
    assert_eq!(s.bind, "0.0.0.0:2");
    assert_eq!(s.log, "debug");
    assert_eq!(s.log_format, LogFormat::Json);

    let s = resolve(Layer::default(), env, file.clone()).unwrap();
    assert_eq!(s.db, "sqlite://env.db");
    let s = resolve(Layer::default(), Layer::default(), file).unwrap();
    assert_eq!(s.db, "sqlite://file.db");
    assert_eq!(s.bind, "0.0.0.0:1");
    let s = resolve(flags, Layer::default(), Layer::default()).unwrap();
    assert_eq!(
        (s.db.as_str(), s.bind.as_str()),
        ("sqlite://flag.db", DEFAULT_BIND)
    );
}

#[test]
fn environment_layer_reads_shuniu_variables() {
    let l = Layer::from_env(env_of(&[
        ("SHUNIU_DB", "postgres://u@h/db"),
        ("SHUNIU_BIND", "0.0.0.0:80"),
        ("SHUNIU_LOG", "shuniu=debug"),
        ("RUST_LOG", "trace"),
        ("SHUNIU_LOG_FORMAT", "JSON"),
    ]))
    .unwrap();
    assert_eq!(
        l,
        Layer {
            log_format: Some(LogFormat::Json),
            ..layer(
                Some("postgres://u@h/db"),
                Some("0.0.0.0:80"),
                Some("shuniu=debug")
            )
        }
    );
}

#[test]
fn rust_log_is_the_fallback_filter_and_empty_variables_are_unset() {
    let l = Layer::from_env(env_of(&[
        ("SHUNIU_DB", ""),
        ("SHUNIU_LOG", " "),
        ("RUST_LOG", "warn"),
    ]))
    .unwrap();
    assert_eq!(l, layer(None, None, Some("warn")));
}

#[test]
fn a_bad_log_format_in_the_environment_is_an_error() {
    let e = Layer::from_env(env_of(&[("SHUNIU_LOG_FORMAT", "xml")])).unwrap_err();
    assert!(
        e.0.contains("SHUNIU_LOG_FORMAT") && e.0.contains("json"),
        "{e}"
    );
}

#[test]
fn toml_file_keys() {
    let l = Layer::from_toml(
        "db = \"sqlite://x.db\"\nbind = \"127.0.0.1:9\"\nlog = \"debug\"\nlog_format = \"json\"\n",
        Path::new("shuniu.toml"),
    )
    .unwrap();
    assert_eq!(
        l,
        Layer {
            log_format: Some(LogFormat::Json),
            ..layer(Some("sqlite://x.db"), Some("127.0.0.1:9"), Some("debug"))
        }
    );
    assert_eq!(
        Layer::from_toml("", Path::new("shuniu.toml")).unwrap(),
        Layer::default()
    );
}

#[test]
fn toml_errors_name_the_file_and_the_problem() {
    let e = Layer::from_toml("database = \"x\"", Path::new("conf/shuniu.toml")).unwrap_err();
    assert!(e.0.contains("conf/shuniu.toml"), "{e}");
    assert!(e.0.contains("database"), "{e}");
    let e = Layer::from_toml("log_format = \"xml\"", Path::new("a.toml")).unwrap_err();
    assert!(e.0.contains("a.toml") && e.0.contains("xml"), "{e}");
}

#[test]
fn missing_default_file_is_fine_but_a_named_one_is_not() {
    let missing = Path::new("/nonexistent/shuniu-config-test.toml");
    let e = Layer::from_file(Some(missing)).unwrap_err();
    assert!(e.0.contains("/nonexistent/shuniu-config-test.toml"), "{e}");
}

#[test]
fn security_settings_come_from_every_layer_and_are_checked() {
    let file = Layer::from_toml(
        "lockout_failures = 7\nsecure_cookies = true\naudit_retention_days = 365\n\
         audit_key_file = \"/etc/shuniu/audit.key\"\n",
        Path::new("shuniu.toml"),
    )
    .unwrap();
    let env = Layer::from_env(env_of(&[
        ("SHUNIU_LOCKOUT_FAILURES", "9"),
        ("SHUNIU_SESSION_IDLE_MINUTES", "10"),
        ("SHUNIU_SECURE_COOKIES", "off"),
        ("SHUNIU_AUDIT_KEY_FILE", "/run/key"),
    ]))
    .unwrap();
    let flags = Layer {
        lockout_failures: Some(3),
        ..Layer::default()
    };
    let s = resolve(flags, env.clone(), file.clone()).unwrap();
    assert_eq!(s.security.lockout_failures, 3);
    assert_eq!(s.security.session_idle_minutes, 10);
    assert!(!s.security.secure_cookies);
    assert_eq!(s.security.audit_retention_days, 365);
    assert_eq!(s.audit_key_file, PathBuf::from("/run/key"));
    let s = resolve(Layer::default(), env, file.clone()).unwrap();
    assert_eq!(s.security.lockout_failures, 9);
    let s = resolve(Layer::default(), Layer::default(), file).unwrap();
    assert_eq!(s.security.lockout_failures, 7);
    assert!(s.security.secure_cookies);
    assert_eq!(s.audit_key_file, PathBuf::from("/etc/shuniu/audit.key"));

    let a = s.security.auth_settings();
    assert_eq!(a.lockout.max_failures, 7);
    assert_eq!(a.lockout.lock_for, chrono::Duration::minutes(15));
    assert_eq!(a.session.absolute, chrono::Duration::hours(12));
    assert!(a.secure_cookies);
}

#[test]
fn retention_below_180_days_and_short_passwords_are_refused() {
    let e = resolve(
        Layer {
            audit_retention_days: Some(90),
            ..Layer::default()
        },
        Layer::default(),
        Layer::default(),
    )
    .unwrap_err();
    assert!(
        e.0.contains("audit_retention_days") && e.0.contains("180"),
        "{e}"
    );
    let e = resolve(
        Layer::default(),
        Layer::from_env(env_of(&[("SHUNIU_PASSWORD_MIN_LENGTH", "6")])).unwrap(),
        Layer::default(),
    )
    .unwrap_err();
    assert!(e.0.contains("password_min_length"), "{e}");
    let e = Layer::from_env(env_of(&[("SHUNIU_LOCKOUT_MINUTES", "soon")])).unwrap_err();
    assert!(e.0.contains("SHUNIU_LOCKOUT_MINUTES"), "{e}");
    let e = Layer::from_env(env_of(&[("SHUNIU_SECURE_COOKIES", "maybe")])).unwrap_err();
    assert!(e.0.contains("SHUNIU_SECURE_COOKIES"), "{e}");
}

#[test]
fn booking_rules_come_from_every_layer_with_a_fixed_slot() {
    let file = Layer::from_toml(
        "booking_opens_at_hour = 7\nbooking_closes_at_hour = 22\nbooking_horizon_days = 365\n",
        Path::new("shuniu.toml"),
    )
    .unwrap();
    let env = Layer::from_env(env_of(&[
        ("SHUNIU_BOOKING_OPENS_AT_HOUR", "6"),
        ("SHUNIU_BOOKING_MAX_HOURS", "4"),
    ]))
    .unwrap();
    let flags = Layer {
        booking_max_hours: Some(2),
        ..Layer::default()
    };
    let b = resolve(flags, env.clone(), file.clone()).unwrap().booking;
    assert_eq!(
        b,
        BookingRules {
            slot_minutes: BOOKING_SLOT_MINUTES,
            max_hours: 2,
            horizon_days: 365,
            opens_at_hour: 6,
            closes_at_hour: 22,
        }
    );
    let b = resolve(Layer::default(), env, file.clone())
        .unwrap()
        .booking;
    assert_eq!((b.opens_at_hour, b.max_hours), (6, 4));
    let b = resolve(Layer::default(), Layer::default(), file)
        .unwrap()
        .booking;
    assert_eq!((b.opens_at_hour, b.max_hours), (7, 8));
    // The slot is no key of the file.
    let e = Layer::from_toml("booking_slot_minutes = 15", Path::new("shuniu.toml")).unwrap_err();
    assert!(
        e.0.contains("booking_slot_minutes") && e.0.contains("booking_max_hours"),
        "{e}"
    );
}

#[test]
fn booking_rules_out_of_range_are_refused_by_name() {
    let refused = |l: Layer| {
        resolve(l, Layer::default(), Layer::default())
            .unwrap_err()
            .0
    };
    for (l, name) in [
        (
            Layer {
                booking_opens_at_hour: Some(24),
                ..Layer::default()
            },
            "booking_opens_at_hour",
        ),
        (
            Layer {
                booking_closes_at_hour: Some(0),
                ..Layer::default()
            },
            "booking_closes_at_hour",
        ),
        (
            Layer {
                booking_closes_at_hour: Some(24),
                ..Layer::default()
            },
            "booking_closes_at_hour",
        ),
        (
            Layer {
                booking_closes_at_hour: Some(25),
                ..Layer::default()
            },
            "booking_closes_at_hour",
        ),
        (
            Layer {
                booking_horizon_days: Some(0),
                ..Layer::default()
            },
            "booking_horizon_days",
        ),
        (
            Layer {
                booking_horizon_days: Some(731),
                ..Layer::default()
            },
            "booking_horizon_days",
        ),
        (
            Layer {
                booking_max_hours: Some(0),
                ..Layer::default()
            },
            "booking_max_hours",
        ),
        (
            Layer {
                booking_max_hours: Some(25),
                ..Layer::default()
            },
            "booking_max_hours",
        ),
    ] {
        let e = refused(l);
        assert!(e.contains(name) && e.contains("between"), "{name}: {e}");
    }
    // Closing at or before opening leaves no time to book.
    let e = refused(Layer {
        booking_opens_at_hour: Some(12),
        booking_closes_at_hour: Some(12),
        ..Layer::default()
    });
    assert!(
        e.contains("booking_closes_at_hour") && e.contains("booking_opens_at_hour = 12"),
        "{e}"
    );
    let e = resolve(
        Layer::default(),
        Layer::default(),
        Layer {
            booking_opens_at_hour: Some(22),
            ..Layer::default()
        },
    )
    .unwrap_err();
    assert!(e.0.contains("later than"), "{e}");
    // The edges are accepted.
    let b = resolve(
        Layer {
            booking_opens_at_hour: Some(0),
            booking_closes_at_hour: Some(23),
            booking_horizon_days: Some(730),
            booking_max_hours: Some(24),
            ..Layer::default()
        },
        Layer::default(),
        Layer::default(),
    )
    .unwrap()
    .booking;
    assert_eq!(
        (
            b.opens_at_hour,
            b.closes_at_hour,
            b.horizon_days,
            b.max_hours
        ),
        (0, 23, 730, 24)
    );
    let e = Layer::from_env(env_of(&[("SHUNIU_BOOKING_HORIZON_DAYS", "a year")])).unwrap_err();
    assert!(e.0.contains("SHUNIU_BOOKING_HORIZON_DAYS"), "{e}");
}

#[test]
fn redact_hides_passwords_only() {
    assert_eq!(
        redact("postgres://app:s3cr:et@db.example:5432/shuniu?sslmode=require"),
        "postgres://app:***@db.example:5432/shuniu?sslmode=require"
    );
    assert_eq!(
        redact("postgres://postgres@127.0.0.1/x"),
        "postgres://postgres@127.0.0.1/x"
    );
    assert_eq!(redact("sqlite://shuniu.db"), "sqlite://shuniu.db");
    assert_eq!(redact("sqlite::memory:"), "sqlite::memory:");
    assert_eq!(redact("sqlite:///tmp/a@b.db"), "sqlite:///tmp/a@b.db");
}

#[test]
fn sign_in_limits_and_hash_wait_are_layered_settings() {
    let file: Layer =
        toml::from_str("login_failures_per_name = 7\nhash_wait_seconds = 3\n").unwrap();
    let env = Layer::from_env(env_of(&[
        ("SHUNIU_LOGIN_FAILURES_PER_NAME", "9"),
        ("SHUNIU_LOGIN_FAILURES_PER_SOURCE", "40"),
    ]))
    .unwrap();
    let flags = Layer {
        login_limit_window_minutes: Some(30),
        ..Layer::default()
    };
    let s = resolve(flags, env, file).unwrap();
    assert_eq!(
        s.security.login_failures_per_name, 9,
        "environment over file"
    );
    assert_eq!(s.security.login_failures_per_source, 40);
    assert_eq!(s.security.hash_wait_seconds, 3, "file over default");
    let a = s.security.auth_settings();
    assert_eq!(a.login_limits.per_name, 9);
    assert_eq!(a.login_limits.per_source, 40);
    assert_eq!(
        a.login_limits.window,
        std::time::Duration::from_secs(30 * 60)
    );
    assert_eq!(a.hashing.wait, std::time::Duration::from_secs(3));
    assert!(a.hashing.permits >= 1);
    for (key, bad) in [
        ("login_failures_per_name", "0"),
        ("login_failures_per_source", "0"),
        ("login_limit_window_minutes", "0"),
        ("hash_wait_seconds", "61"),
    ] {
        let file: Layer = toml::from_str(&format!("{key} = {bad}")).unwrap();
        let e = resolve(Layer::default(), Layer::default(), file).unwrap_err();
        assert!(e.0.contains(key), "{e:?}");
    }
}

#[test]
fn credibility_weights_and_minimum_ratings_are_settings() {
    use shuniu_domain::credibility::{Part, Settings as Credibility};
    let d = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
    assert_eq!(d.supervision.credibility, Credibility::default());

    let file = Layer::from_toml(
        "credibility_weights = [20, 20, 10, 20, 10, 10, 5, 5]\ncredibility_min_ratings = 3\n",
        Path::new("shuniu.toml"),
    )
    .unwrap();
    let s = resolve(Layer::default(), Layer::default(), file.clone()).unwrap();
    assert_eq!(s.supervision.credibility.weights.of(Part::Registration), 20);
    assert_eq!(s.supervision.credibility.weights.of(Part::Grade), 10);
    assert_eq!(s.supervision.credibility.min_ratings, 3);

    // The environment beats the file, comma-separated.
    let env = Layer::from_env(env_of(&[
        ("SHUNIU_CREDIBILITY_WEIGHTS", "10, 20, 15, 20, 15, 10, 5, 5"),
        ("SHUNIU_CREDIBILITY_MIN_RATINGS", "8"),
    ]))
    .unwrap();
    let s = resolve(Layer::default(), env, file).unwrap();
    assert_eq!(
        s.supervision.credibility.weights,
        shuniu_domain::credibility::Weights::DEFAULT
    );
    assert_eq!(s.supervision.credibility.min_ratings, 8);

    // Refused, naming the field and why.
    for (weights, why) in [
        (vec![10, 20, 15, 20, 15, 10, 5], "7 numbers given"),
        (vec![10, 20, 15, 20, 15, 10, 5, 6], "add up to 100, not 101"),
        (vec![300, 0, 0, 0, 0, 0, 0, 0], "300 is over 100"),
        (vec![101, 0, 0, 0, 0, 0, 0, 0], "at most 100"),
    ] {
        let file = Layer {
            credibility_weights: Some(weights),
            ..Layer::default()
        };
        let e = resolve(Layer::default(), Layer::default(), file).unwrap_err();
        assert!(e.0.starts_with("credibility_weights = "), "{e}");
        assert!(e.0.contains(why), "{why}: {e}");
    }
    let file = Layer {
        credibility_min_ratings: Some(0),
        ..Layer::default()
    };
    let e = resolve(Layer::default(), Layer::default(), file).unwrap_err();
    assert!(e.0.contains("credibility_min_ratings"), "{e}");
    assert!(Layer::from_env(env_of(&[("SHUNIU_CREDIBILITY_WEIGHTS", "10,x")])).is_err());
}
