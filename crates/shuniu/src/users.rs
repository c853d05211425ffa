//! `shuniu user …` and `shuniu token …`: accounts and API tokens from the shell, and
//! the demo accounts of `serve --demo` / `demo`.
//!
//! A password or token is printed once, when it is made, on stdout; never logged.

use std::io::Read;

use chrono::{Duration, Utc};
use clap::{Args, Subcommand};
use rand::Rng;
use rand::seq::SliceRandom;
use shuniu_domain::access::Role;
use shuniu_domain::accounts::{Username, check_password};
use shuniu_store::accounts::{NewUser, User};
use shuniu_store::{OrgFilter, Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::cli::DbArg;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; prints a generated password once unless --password-stdin
    Add {
        #[command(flatten)]
        db: DbArg,
        /// User name: 3–32 characters of a-z 0-9 . _ -, starting with a letter
        name: String,
        /// admin, official, hub_staff, org_member or expert
        #[arg(long, value_parser = parse_role, value_name = "ROLE")]
        role: Role,
        /// Name shown in the UI [default: the user name]
        #[arg(long, value_name = "TEXT")]
        display_name: Option<String>,
        /// Jurisdiction code an official is bound to (e.g. 320102)
        #[arg(long, value_name = "CODE")]
        jurisdiction: Option<String>,
        /// Organization (UUID or unified social credit code) of hub staff and members
        #[arg(long, value_name = "UUID|USCC")]
        organization: Option<String>,
        /// Read the password from the first line of stdin instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// Reset a password (the user must change it at next login)
    Passwd {
        #[command(flatten)]
        db: DbArg,
        name: String,
        /// Read the new password from the first line of stdin instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: ends its sessions and revokes its API tokens
    Disable {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// Enable a disabled account again
    Enable {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// List the accounts
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

impl UserCommand {
    pub fn db(&self) -> &DbArg {
        match self {
            UserCommand::Add { db, .. }
            | UserCommand::Passwd { db, .. }
            | UserCommand::Disable { db, .. }
            | UserCommand::Enable { db, .. }
            | UserCommand::List { db } => db,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints it once
    Create {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        user: UserArg,
        /// A label to recognise the token by
        #[arg(long, value_name = "LABEL")]
        name: String,
        /// Days until the token expires
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
    /// List a user's API tokens (never the tokens themselves)
    List {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        user: UserArg,
    },
    /// Revoke an API token by its id
    Revoke {
        #[command(flatten)]
        db: DbArg,
        /// The token's id (from `token list`)
        id: Uuid,
    },
}

#[derive(Debug, Args)]
pub struct UserArg {
    /// The user name
    #[arg(long = "user", value_name = "NAME")]
    pub user: String,
}

impl TokenCommand {
    pub fn db(&self) -> &DbArg {
        match self {
            TokenCommand::Create { db, .. }
            | TokenCommand::List { db, .. }
            | TokenCommand::Revoke { db, .. } => db,
        }
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("expected one of {}", all.join(", "))
    })
}

/// Who writes from the shell: the operating-system user, else `cli`.
pub fn shell_ctx() -> WriteCtx {
    let actor = ["USER", "LOGNAME"]
        .into_iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "cli".to_string());
    WriteCtx::new(actor, "cli", "local")
}

/// A random password that meets the policy: at least 16 characters (or the minimum
/// if longer) from all four classes, without look-alike characters.
pub fn generate_password(username: &str, min_len: usize) -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"-_.!@#%+=";
    let all = [LOWER, UPPER, DIGIT, SYMBOL].concat();
    let mut rng = rand::rngs::OsRng;
    let len = min_len.max(16);
    loop {
        let mut pick = |set: &[u8]| set[rng.gen_range(0..set.len())];
        let mut chars = vec![pick(LOWER), pick(UPPER), pick(DIGIT), pick(SYMBOL)];
        while chars.len() < len {
            chars.push(pick(&all));
        }
        chars.shuffle(&mut rng);
        let password: String = chars.into_iter().map(char::from).collect();
        if check_password(&password, username, min_len).is_ok() {
            return password;
        }
    }
}

/// The first line of stdin, without its line ending.
fn password_from_stdin() -> Outcome<String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| Failure::new(format!("cannot read the password from stdin: {e}")))?;
    let line = input.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(Failure::new("no password on stdin"));
    }
    Ok(line.to_string())
}

/// The password to set: from stdin (checked against the policy) or generated.
/// The second value says whether it was generated (and must be shown).
fn new_password(username: &str, from_stdin: bool, min_len: usize) -> Outcome<(String, bool)> {
    if from_stdin {
        let password = password_from_stdin()?;
        check_password(&password, username, min_len)
            .map_err(|e| Failure::new(format!("the password is refused: it {}", e.en)))?;
        Ok((password, false))
    } else {
        Ok((generate_password(username, min_len), true))
    }
}

async fn hash(password: &str) -> Outcome<String> {
    shuniu_web::auth::hash_password(password)
        .await
        .map_err(|e| Failure::new(format!("cannot hash the password: {e:?}")))
}

fn store_failure(what: &str, e: StoreError) -> Failure {
    match e {
        StoreError::Invalid(fields) => Failure::new(format!("cannot {what}: {fields}")),
        StoreError::Conflict { field } => {
            Failure::new(format!("cannot {what}: the {field} is already taken"))
        }
        other => Failure::new(format!("cannot {what}: {other}")),
    }
}

async fn existing_user(store: &Store, name: &str) -> Outcome<User> {
    store
        .user_by_username(name)
        .await
        .map_err(|e| store_failure("look up the user", e))?
        .ok_or_else(|| Failure::new(format!("there is no user named {:?}", name.trim())))
}

/// An organization by id or unified social credit code.
async fn organization_id(store: &Store, given: &str) -> Outcome<Uuid> {
    let found = match Uuid::parse_str(given.trim()) {
        Ok(id) => store.organization(id).await,
        Err(_) => store.organization_by_uscc(given.trim()).await,
    }
    .map_err(|e| store_failure("look up the organization", e))?;
    found
        .map(|o| o.id)
        .ok_or_else(|| Failure::new(format!("there is no organization {given:?}")))
}

pub async fn user(store: &Store, command: UserCommand, min_len: usize) -> Outcome {
    match command {
        UserCommand::Add {
            name,
            role,
            display_name,
            jurisdiction,
            organization,
            password_stdin,
            ..
        } => {
            let username = Username::parse(&name)
                .map_err(|e| Failure::new(format!("bad user name {name:?}: it {}", e.en)))?;
            use shuniu_domain::access::Binding;
            let binding = role.binding();
            if jurisdiction.is_some() && binding != Binding::Jurisdiction {
                return Err(Failure::new(format!(
                    "--jurisdiction binds officials only, not a {} account",
                    role.as_str()
                )));
            }
            if organization.is_some() && binding != Binding::Organization {
                return Err(Failure::new(format!(
                    "--organization binds hub staff and organization members only, not a {} account",
                    role.as_str()
                )));
            }
            let organization_id = match &organization {
                Some(o) => Some(organization_id(store, o).await?),
                None => None,
            };
            let (password, generated) = new_password(username.as_str(), password_stdin, min_len)?;
            let new = NewUser {
                display_name: display_name
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| username.to_string()),
                username,
                role,
                jurisdiction_code: jurisdiction.map(|j| j.trim().to_string()),
                organization_id,
                password_hash: hash(&password).await?,
                must_change_password: true,
            };
            let user = store
                .create_user(&new, shell_ctx())
                .await
                .map_err(|e| store_failure("create the user", e))?;
            println!("Created user {} ({}).", user.username, user.role.as_str());
            if generated {
                println!("Password (shown only this once): {password}");
            }
            println!("The password must be changed at first login.");
            Ok(())
        }
        UserCommand::Passwd {
            name,
            password_stdin,
            ..
        } => {
            let user = existing_user(store, &name).await?;
            let (password, generated) = new_password(&user.username, password_stdin, min_len)?;
            store
                .set_password(user.id, &hash(&password).await?, true, None, shell_ctx())
                .await
                .map_err(|e| store_failure("set the password", e))?;
            println!(
                "Password of {} reset; their sessions are ended.",
                user.username
            );
            if generated {
                println!("New password (shown only this once): {password}");
            }
            println!("The password must be changed at next login.");
            Ok(())
        }
        UserCommand::Disable { name, .. } => set_disabled(store, &name, true).await,
        UserCommand::Enable { name, .. } => set_disabled(store, &name, false).await,
        UserCommand::List { .. } => list_users(store).await,
    }
}

async fn set_disabled(store: &Store, name: &str, disabled: bool) -> Outcome {
    let user = existing_user(store, name).await?;
    if user.disabled == disabled {
        println!(
            "{} is already {}.",
            user.username,
            if disabled { "disabled" } else { "enabled" }
        );
        return Ok(());
    }
    store
        .set_user_disabled(user.id, disabled, shell_ctx())
        .await
        .map_err(|e| store_failure("change the account", e))?;
    if disabled {
        println!(
            "{} disabled: their sessions are ended and their API tokens revoked.",
            user.username
        );
    } else {
        println!("{} enabled.", user.username);
    }
    Ok(())
}

async fn list_users(store: &Store) -> Outcome {
    let mut users = Vec::new();
    let mut page = 1;
    loop {
        let p = store
            .list_users(page, 200)
            .await
            .map_err(|e| store_failure("list the users", e))?;
        let n = p.items.len();
        users.extend(p.items);
        if n == 0 || users.len() as i64 >= p.total {
            break;
        }
        page += 1;
    }
    let now = Utc::now();
    let mut rows = vec![[
        "NAME".to_string(),
        "ROLE".to_string(),
        "DISABLED".to_string(),
        "LOCKED".to_string(),
        "BINDING".to_string(),
    ]];
    for u in &users {
        let binding = match (&u.jurisdiction_code, u.organization_id) {
            (Some(code), _) => match store.jurisdiction(code).await {
                Ok(Some(j)) => format!("{code} {}", j.name_zh),
                _ => code.clone(),
            },
            (None, Some(id)) => match store.organization(id).await {
                Ok(Some(o)) => o.data.name,
                _ => id.to_string(),
            },
            (None, None) => "-".to_string(),
        };
        let locked = match u.login.locked_until {
            Some(t) if t > now => format!("until {}", t.format("%Y-%m-%d %H:%M UTC")),
            _ => "no".to_string(),
        };
        rows.push([
            u.username.clone(),
            u.role.as_str().to_string(),
            if u.disabled { "yes" } else { "no" }.to_string(),
            locked,
            binding,
        ]);
    }
    print_table(&rows);
    println!("{} user(s).", users.len());
    Ok(())
}

/// Prints rows as aligned columns (the last column is not padded, so that wide
/// characters there do not matter).
fn print_table<const N: usize>(rows: &[[String; N]]) {
    let mut widths = [0usize; N];
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 < N {
                line.push_str(c);
                line.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            } else {
                line.push_str(c);
            }
        }
        println!("{}", line.trim_end());
    }
}

pub async fn token(store: &Store, command: TokenCommand) -> Outcome {
    match command {
        TokenCommand::Create {
            user, name, days, ..
        } => {
            let label = name.trim();
            if label.is_empty() || label.chars().count() > 100 {
                return Err(Failure::new("--name must be 1–100 characters"));
            }
            let user = existing_user(store, &user.user).await?;
            if user.disabled {
                return Err(Failure::new(format!(
                    "{} is disabled: enable the account first",
                    user.username
                )));
            }
            let token = shuniu_web::auth::random_token();
            let expires_at = Utc::now() + Duration::days(i64::from(days));
            let t = store
                .create_api_token(
                    user.id,
                    label,
                    &shuniu_web::auth::token_hash(&token),
                    expires_at,
                    shell_ctx(),
                )
                .await
                .map_err(|e| store_failure("create the token", e))?;
            println!(
                "API token {:?} for {} created (id {}), expires {}.",
                t.name,
                user.username,
                t.id,
                t.expires_at.format("%Y-%m-%d %H:%M UTC")
            );
            println!("Token (shown only this once): {token}");
            println!("Send it as the header `Authorization: Bearer <token>`.");
            Ok(())
        }
        TokenCommand::List { user, .. } => {
            let user = existing_user(store, &user.user).await?;
            let tokens = store
                .api_tokens_of(user.id)
                .await
                .map_err(|e| store_failure("list the tokens", e))?;
            let now = Utc::now();
            let when = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
            let mut rows = vec![[
                "ID".to_string(),
                "STATUS".to_string(),
                "CREATED".to_string(),
                "EXPIRES".to_string(),
                "LAST USED".to_string(),
                "NAME".to_string(),
            ]];
            for t in &tokens {
                let status = if t.revoked_at.is_some() {
                    "revoked"
                } else if t.expires_at <= now {
                    "expired"
                } else {
                    "active"
                };
                rows.push([
                    t.id.to_string(),
                    status.to_string(),
                    when(t.created_at),
                    when(t.expires_at),
                    t.last_used_at.map(when).unwrap_or_else(|| "-".into()),
                    t.name.clone(),
                ]);
            }
            print_table(&rows);
            println!("{} token(s) of {}.", tokens.len(), user.username);
            Ok(())
        }
        TokenCommand::Revoke { id, .. } => match store.revoke_api_token(id, shell_ctx()).await {
            Ok(()) => {
                println!("Token {id} revoked.");
                Ok(())
            }
            Err(StoreError::NotFound) => Err(Failure::new(format!(
                "there is no unrevoked token with id {id}"
            ))),
            Err(e) => Err(store_failure("revoke the token", e)),
        },
    }
}

/// One demo account: name, role, binding.
struct DemoAccount {
    name: &'static str,
    display: &'static str,
    role: Role,
    jurisdiction: Option<&'static str>,
    organization: Option<&'static str>,
}

const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        name: "admin",
        display: "平台管理员",
        role: Role::Admin,
        jurisdiction: None,
        organization: None,
    },
    DemoAccount {
        name: "official",
        display: "玄武区民政局",
        role: Role::Official,
        jurisdiction: Some("320102"),
        organization: None,
    },
    DemoAccount {
        name: "hub",
        display: "梅园新村街道枢纽",
        role: Role::HubStaff,
        jurisdiction: None,
        organization: Some("梅园新村街道社会组织发展促进会"),
    },
    DemoAccount {
        name: "member",
        display: "一家圆工作人员",
        role: Role::OrgMember,
        jurisdiction: None,
        organization: Some("南京玄武一家圆心灵保姆服务中心"),
    },
    DemoAccount {
        name: "expert",
        display: "专家",
        role: Role::Expert,
        jurisdiction: None,
        organization: None,
    },
];

/// An organization of the demo data by its exact name.
async fn organization_named(store: &Store, name: &str) -> Outcome<Option<Uuid>> {
    let filter = OrgFilter {
        q: Some(name.to_string()),
        ..OrgFilter::default()
    };
    let page = store
        .list_organizations(&filter, 1, 50)
        .await
        .map_err(|e| store_failure("look up a demo organization", e))?;
    Ok(page
        .items
        .into_iter()
        .find(|o| o.data.name == name)
        .map(|o| o.id))
}

/// Creates one account per role if the database has no users, and prints their
/// passwords once. Returns whether accounts were created.
pub async fn create_demo_accounts(store: &Store, min_len: usize) -> Outcome<bool> {
    let existing = store
        .list_users(1, 1)
        .await
        .map_err(|e| store_failure("count the users", e))?
        .total;
    if existing > 0 {
        tracing::info!(
            users = existing,
            "accounts exist: demo accounts not created"
        );
        return Ok(false);
    }
    let ctx = WriteCtx::new("demo", "system", "local");
    let mut rows = vec![[
        "USER".to_string(),
        "ROLE".to_string(),
        "PASSWORD".to_string(),
        "BINDING".to_string(),
    ]];
    for a in &DEMO_ACCOUNTS {
        let organization_id = match a.organization {
            Some(name) => match organization_named(store, name).await? {
                Some(id) => Some(id),
                None => {
                    tracing::warn!(
                        user = a.name,
                        organization = name,
                        "demo organization not found: demo account not created"
                    );
                    continue;
                }
            },
            None => None,
        };
        let password = generate_password(a.name, min_len);
        let new = NewUser {
            username: Username::parse(a.name).expect("demo user names are valid"),
            display_name: a.display.to_string(),
            role: a.role,
            jurisdiction_code: a.jurisdiction.map(String::from),
            organization_id,
            password_hash: hash(&password).await?,
            must_change_password: false,
        };
        store
            .create_user(&new, &ctx)
            .await
            .map_err(|e| store_failure("create the demo accounts", e))?;
        let binding = a
            .jurisdiction
            .map(|j| format!("玄武区 {j}"))
            .or(a.organization.map(String::from))
            .unwrap_or_else(|| "-".into());
        rows.push([
            a.name.to_string(),
            a.role.as_str().to_string(),
            password,
            binding,
        ]);
    }
    println!("Demo accounts (passwords shown only this once):");
    print_table(&rows);
    tracing::info!(accounts = rows.len() - 1, "demo accounts created");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_meet_the_policy_and_differ() {
        let a = generate_password("admin", 8);
        let b = generate_password("admin", 8);
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), 16);
        assert!(check_password(&a, "admin", 8).is_ok());
        let long = generate_password("bob", 24);
        assert_eq!(long.chars().count(), 24);
        assert!(check_password(&long, "bob", 24).is_ok());
    }

    #[test]
    fn roles_parse_by_their_names() {
        assert_eq!(parse_role("hub_staff"), Ok(Role::HubStaff));
        assert!(parse_role("root").unwrap_err().contains("org_member"));
    }
}
