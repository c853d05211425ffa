//! `shuniu export hsds DIR`: the service directory as Open Referral HSDS 3.0 files —
//! `organizations.json` and `services.json`, each a JSON array — written page by page
//! (keyset pages by id), so memory stays bounded whatever the size of the registry.
//! The objects are the ones `/api/v1/hsds/…` answers (one builder, in the web crate).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use shuniu_store::Store;
use shuniu_web::services::hsds::{organization_json, service_json};

use crate::cli::DbArg;
use crate::{Failure, Outcome};

/// Rows read per page.
const PAGE: u32 = 500;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the service directory as HSDS 3.0 JSON files into DIR (created if missing):
    /// organizations.json and services.json. Only organizations in good standing and
    /// their services not ended; only organizations' own declared phones.
    Hsds {
        #[command(flatten)]
        db: DbArg,
        /// The directory to write into
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

impl ExportCommand {
    pub fn db(&self) -> &DbArg {
        match self {
            ExportCommand::Hsds { db, .. } => db,
        }
    }
}

pub async fn run(store: &Store, command: ExportCommand) -> Outcome {
    match command {
        ExportCommand::Hsds { dir, .. } => hsds(store, &dir).await,
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::new(format!("cannot write {}: {e}", path.display()))
}

/// A JSON array written one element at a time.
struct ArrayFile {
    out: BufWriter<File>,
    path: PathBuf,
    count: usize,
}

impl ArrayFile {
    fn create(path: PathBuf) -> Outcome<Self> {
        let mut out = BufWriter::new(File::create(&path).map_err(io(&path))?);
        out.write_all(b"[\n").map_err(io(&path))?;
        Ok(ArrayFile {
            out,
            path,
            count: 0,
        })
    }
    fn push(&mut self, v: &serde_json::Value) -> Outcome {
        if self.count > 0 {
            self.out.write_all(b",\n").map_err(io(&self.path))?;
        }
        serde_json::to_writer(&mut self.out, v)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", self.path.display())))?;
        self.count += 1;
        Ok(())
    }
    fn finish(mut self) -> Outcome<usize> {
        self.out.write_all(b"\n]\n").map_err(io(&self.path))?;
        self.out.flush().map_err(io(&self.path))?;
        Ok(self.count)
    }
}

fn store_failure(e: shuniu_store::StoreError) -> Failure {
    Failure::new(format!("cannot read the directory: {e}"))
}

async fn hsds(store: &Store, dir: &Path) -> Outcome {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut orgs = ArrayFile::create(dir.join("organizations.json"))?;
    let mut after = None;
    loop {
        let page = store
            .directory_organizations_after(after, PAGE)
            .await
            .map_err(store_failure)?;
        for d in &page {
            orgs.push(&organization_json(d))?;
        }
        match page.last() {
            Some(d) if page.len() == PAGE as usize => after = Some(d.org.id),
            _ => break,
        }
    }
    let n_orgs = orgs.finish()?;
    let mut services = ArrayFile::create(dir.join("services.json"))?;
    let mut after = None;
    loop {
        let page = store
            .public_services_after(after, PAGE)
            .await
            .map_err(store_failure)?;
        for l in &page {
            services.push(&service_json(l, None))?;
        }
        match page.last() {
            Some(l) if page.len() == PAGE as usize => after = Some(l.service.id),
            _ => break,
        }
    }
    let n_services = services.finish()?;
    println!(
        "wrote {n_orgs} organizations and {n_services} services (HSDS 3.0) to {}",
        dir.display()
    );
    Ok(())
}
