// `sqlx::migrate!` embeds the migration files at compile time; rebuild when they change
// (a new migration file alone does not touch any Rust source).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
