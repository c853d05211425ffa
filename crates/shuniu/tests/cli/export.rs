//! `shuniu export hsds DIR` over the demo: the files are JSON arrays of HSDS 3.0
//! organizations and services, each valid against the specification's schemas
//! (`SHUNIU_HSDS_SCHEMAS`, else `<workspace>/../shared/hsds-3.0`; missing fails), and
//! no person's mobile number appears — only organizations' own service phones.

use super::*;

fn schemas_dir() -> PathBuf {
    let dir = std::env::var_os("SHUNIU_HSDS_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/hsds-3.0")
        });
    assert!(
        dir.join("compiled/service.json").is_file(),
        "the HSDS 3.0 schemas are not at {} (set SHUNIU_HSDS_SCHEMAS)",
        dir.display()
    );
    dir
}

fn validator(name: &str) -> jsonschema::Validator {
    let path = schemas_dir().join("compiled").join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn items(path: PathBuf) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str::<Vec<serde_json::Value>>(&text).unwrap()
}

#[tokio::test]
async fn export_hsds_writes_valid_files_without_persons_phones() {
    let dir = TempDir::new();
    let url = fresh_postgres_url().await;
    assert_ok(&run(shuniu(&dir).args(["demo", "--db", &url])));
    let out_dir = dir.path("hsds");
    let out = run(shuniu(&dir)
        .args(["export", "hsds", "--db", &url])
        .arg(&out_dir));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("services (HSDS 3.0)"),
        "{}",
        text(&out.stdout)
    );

    let orgs = items(out_dir.join("organizations.json"));
    let services = items(out_dir.join("services.json"));
    assert!(orgs.len() > 1000, "{}", orgs.len());
    assert!(services.len() > 1000, "{}", services.len());
    let (org_schema, service_schema) = (validator("organization.json"), validator("service.json"));
    for (schema, list) in [(&org_schema, &orgs), (&service_schema, &services)] {
        for v in list {
            let errors: Vec<String> = schema.iter_errors(v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{errors:?}\n{v:#}");
        }
    }
    // The article's organizations are there with their own services.
    assert!(services.iter().any(|s| s["name"] == "独居老人心灵陪护"));
    // Phones are the organizations' own landlines, never a mobile (a person's).
    for o in &orgs {
        for p in o["phones"].as_array().unwrap() {
            let n = p["number"].as_str().unwrap();
            assert!(n.starts_with("0"), "{n}");
        }
    }
}
