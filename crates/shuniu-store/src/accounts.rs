//! Accounts, server-side sessions and API tokens. Secrets never reach this layer in
//! clear: passwords arrive as Argon2id hashes, session and API tokens as SHA-256 hashes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shuniu_domain::access::{Actor, Role};
use shuniu_domain::accounts::{LockoutPolicy, LoginState, Username};
use shuniu_domain::audit::Outcome;
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, Taken, Unique, WriteCtx, on_pool};

/// A stored account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub jurisdiction_code: Option<String>,
    /// Path of the jurisdiction (officials), for the policy.
    pub jurisdiction_path: Option<String>,
    pub organization_id: Option<Uuid>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub login: LoginStateView,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LoginStateView {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl From<LoginStateView> for LoginState {
    fn from(v: LoginStateView) -> Self {
        LoginState {
            failures: v.failures,
            locked_until: v.locked_until,
        }
    }
}

impl User {
    /// The policy's view of this user.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            username: self.username.clone(),
            role: self.role,
            jurisdiction_path: self.jurisdiction_path.clone(),
            organization_id: self.organization_id,
        }
    }
}

/// A new account, validated by the caller except for the bindings (checked here).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub jurisdiction_code: Option<String>,
    pub organization_id: Option<Uuid>,
    pub password_hash: String,
    pub must_change_password: bool,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    username: String,
    display_name: String,
    role: String,
    jurisdiction_code: Option<String>,
    jurisdiction_path: Option<String>,
    organization_id: Option<Uuid>,
    must_change_password: bool,
    disabled: bool,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
    password_changed_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        Ok(User {
            role: Role::parse(&r.role).ok_or_else(|| {
                StoreError::Corrupt(format!("corrupt role of user {}", r.username))
            })?,
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            jurisdiction_code: r.jurisdiction_code,
            jurisdiction_path: r.jurisdiction_path,
            organization_id: r.organization_id,
            must_change_password: r.must_change_password,
            disabled: r.disabled,
            login: LoginStateView {
                failures: r.failed_logins.max(0) as u32,
                locked_until: r.locked_until,
            },
            password_changed_at: r.password_changed_at,
            created_at: r.created_at,
        })
    }
}

/// A user name is one account's: a second is a `Conflict` on `username`.
pub(crate) const UNIQUES: &[Unique] = &[Unique {
    pg: "users_username_key",
    sqlite: "users.username",
    taken: Taken::Conflict("username"),
}];

const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.role, u.jurisdiction_code, j.path AS jurisdiction_path, \
    u.organization_id, u.must_change_password, u.disabled, u.failed_logins, u.locked_until, u.password_changed_at, u.created_at \
    FROM users u LEFT JOIN jurisdictions j ON j.code = u.jurisdiction_code";

/// An API token's record (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Session {
    pub user_id: Uuid,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Creates an account; the role's binding must be present and exist.
    pub async fn create_user(&self, u: &NewUser, ctx: impl Into<WriteCtx>) -> Result<User> {
        let ctx = ctx.into();
        let mut e = FieldErrors::new();
        use shuniu_domain::access::Binding;
        match u.role.binding() {
            Binding::Jurisdiction => match &u.jurisdiction_code {
                Some(c) if self.jurisdiction(c).await?.is_some() => {}
                Some(_) => e.add("jurisdiction", FieldError::unknown_jurisdiction()),
                None => e.add(
                    "jurisdiction",
                    shuniu_domain::accounts::jurisdiction_binding_required(),
                ),
            },
            Binding::Organization => match u.organization_id {
                Some(id) if self.organization(id).await?.is_some() => {}
                Some(_) => e.add("organization", FieldError::unknown_organization()),
                None => e.add(
                    "organization",
                    shuniu_domain::accounts::organization_binding_required(),
                ),
            },
            Binding::None => {}
        }
        let (jurisdiction_code, organization_id) = match u.role.binding() {
            Binding::Jurisdiction => (u.jurisdiction_code.clone(), None),
            Binding::Organization => (None, u.organization_id),
            Binding::None => (None, None),
        };
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let id = Uuid::now_v7();
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query(
                "INSERT INTO users (id, username, display_name, role, jurisdiction_code, organization_id, password_hash, \
                 must_change_password, disabled, failed_logins, password_changed_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, 0, $9, $10)",
            )
            .bind(id)
            .bind(u.username.as_str())
            .bind(&u.display_name)
            .bind(u.role.as_str())
            .bind(&jurisdiction_code)
            .bind(organization_id)
            .bind(&u.password_hash)
            .bind(u.must_change_password)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let details = serde_json::json!({
                "username": {"from": null, "to": u.username.as_str()},
                "role": {"from": null, "to": u.role.as_str()},
                "jurisdiction": {"from": null, "to": jurisdiction_code},
                "organization": {"from": null, "to": organization_id},
            });
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "user.create",
                    format!("user:{}", u.username),
                    Outcome::Success,
                    details.to_string(),
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.user_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn user_by_id(&self, id: Uuid) -> Result<Option<User>> {
        let sql = format!("{USER_SELECT} WHERE u.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, UserRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("{USER_SELECT} WHERE u.username = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, UserRow>(&sql)
            .bind(username.trim().to_ascii_lowercase())
            .fetch_optional(p)
            .await)?;
        row.map(User::try_from).transpose()
    }

    /// The stored password hash (for verification only).
    pub async fn password_hash(&self, user_id: Uuid) -> Result<Option<String>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, String>(
            "SELECT password_hash FROM users WHERE id = $1"
        )
        .bind(user_id)
        .fetch_optional(p)
        .await)?)
    }

    /// One keyset page of the accounts by user name (walking the name's unique
    /// index), with a bounded total.
    pub async fn users_keyset(
        &self,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<User>> {
        self.list_page::<UserRow, _>(users_list(), at, per_page, User::try_from)
            .await
    }

    pub async fn list_users(&self, page: u32, per_page: u32) -> Result<crate::Page<User>> {
        let sql = format!("{USER_SELECT} ORDER BY u.username");
        self.paged::<UserRow, _>(
            crate::Paging::new(page, per_page, 200),
            ("SELECT COUNT(*) FROM users", &[]),
            (&sql, &[]),
            User::try_from,
        )
        .await
    }

    /// Sets a new password hash; `must_change` for admin resets. Ends the user's
    /// sessions except `keep_session` (the one that made the change).
    pub async fn set_password(
        &self,
        user_id: Uuid,
        hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<()> {
        let ctx = ctx.into();
        let user = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query("UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = $4, failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(user_id)
                .bind(hash)
                .bind(must_change)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL AND token_hash <> $3")
                .bind(user_id)
                .bind(now)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            let details = serde_json::json!({"must_change_password": {"from": user.must_change_password, "to": must_change}});
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "user.password",
                    format!("user:{}", user.username),
                    Outcome::Success,
                    details.to_string(),
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Disables or re-enables an account; disabling ends its sessions and tokens.
    pub async fn set_user_disabled(
        &self,
        user_id: Uuid,
        disabled: bool,
        ctx: impl Into<WriteCtx>,
    ) -> Result<()> {
        let ctx = ctx.into();
        let user = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
                .bind(user_id)
                .bind(disabled)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query(
                    "UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL",
                )
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL").bind(user_id).bind(now).execute(&mut *tx).await?;
            }
            let details = serde_json::json!({"disabled": {"from": user.disabled, "to": disabled}});
            let action = if disabled {
                "user.disable"
            } else {
                "user.enable"
            };
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    action,
                    format!("user:{}", user.username),
                    Outcome::Success,
                    details.to_string(),
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Stores the login failure counter and lock after an attempt.
    pub async fn set_login_state(&self, user_id: Uuid, s: LoginState) -> Result<()> {
        on_pool!(self, |p| sqlx::query(
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1"
        )
        .bind(user_id)
        .bind(i64::from(s.failures))
        .bind(s.locked_until)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Counts one wrong password in a single statement, so that parallel attempts are
    /// all counted, and locks the account when the count reaches the limit (the rule is
    /// [`LoginState::after_failure`]). Returns the state written, `None` if there is no
    /// such user.
    pub async fn record_login_failure(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
        policy: LockoutPolicy,
    ) -> Result<Option<LoginState>> {
        // Every SET expression reads the row as it was before the statement (both
        // engines), and the row is locked for the statement's duration.
        let lock_until = now + policy.lock_for;
        let row: Option<(i64, Option<DateTime<Utc>>)> = on_pool!(self, |p| {
            sqlx::query_as(
            "UPDATE users SET \
               failed_logins = CASE \
                 WHEN locked_until IS NOT NULL AND locked_until > $2 THEN failed_logins + 1 \
                 WHEN locked_until IS NOT NULL THEN 1 \
                 ELSE failed_logins + 1 END, \
               locked_until = CASE \
                 WHEN locked_until IS NOT NULL AND locked_until > $2 THEN locked_until \
                 WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_logins + 1 END) >= $3 THEN $4 \
                 ELSE NULL END \
             WHERE id = $1 RETURNING failed_logins, locked_until"
        )
        .bind(user_id)
        .bind(now)
        .bind(i64::from(policy.max_failures))
        .bind(lock_until)
        .fetch_optional(p)
        .await
        })?;
        Ok(row.map(|(failures, locked_until)| LoginState {
            failures: u32::try_from(failures.max(0)).unwrap_or(u32::MAX),
            locked_until,
        }))
    }

    /// After the right password: resets the failure count — in the same statement that
    /// checks the account is not locked (nor disabled), so that a right password racing
    /// with wrong ones that locked the account does not sign in. `false`: it is locked.
    pub async fn record_login_success(&self, user_id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let row: Option<(Uuid,)> = on_pool!(self, |p| sqlx::query_as(
            "UPDATE users SET failed_logins = 0, locked_until = NULL \
             WHERE id = $1 AND disabled = $3 AND (locked_until IS NULL OR locked_until <= $2) \
             RETURNING id"
        )
        .bind(user_id)
        .bind(now)
        .bind(false)
        .fetch_optional(p)
        .await)?;
        Ok(row.is_some())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        csrf_token: &str,
    ) -> Result<()> {
        let now = crate::now();
        on_pool!(self, |p| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// A session that has not been ended, with its user.
    pub async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>> {
        let row: Option<Session> = on_pool!(self, |p| {
            sqlx::query_as::<_, Session>(
            "SELECT user_id, csrf_token, created_at, last_seen_at, ended_at FROM sessions WHERE token_hash = $1 AND ended_at IS NULL"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await
        })?;
        let Some(s) = row else { return Ok(None) };
        Ok(self.user_by_id(s.user_id).await?.map(|u| (s, u)))
    }

    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        on_pool!(self, |p| sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1"
        )
        .bind(token_hash)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, |p| sqlx::query(
            "UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL"
        )
        .bind(token_hash)
        .bind(crate::now())
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Stores a new API token's hash; the caller shows the token once.
    pub async fn create_api_token(
        &self,
        user_id: Uuid,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ApiToken> {
        let ctx = ctx.into();
        let user = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let t = ApiToken {
            id: Uuid::now_v7(),
            user_id,
            name: name.to_string(),
            created_at: crate::now(),
            expires_at,
            revoked_at: None,
            last_used_at: None,
        };
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(t.id)
                .bind(user_id)
                .bind(name)
                .bind(token_hash)
                .bind(t.created_at)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
            let details =
                serde_json::json!({"name": name, "expires_at": expires_at, "user": user.username});
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "token.create",
                    format!("token:{}", t.id),
                    Outcome::Success,
                    details.to_string(),
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(t)
    }

    /// The user of a live (not revoked, not expired, not disabled) token; notes its use.
    pub async fn api_token_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let row: Option<(Uuid, Uuid)> = on_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(p)
        .await
        })?;
        let Some((id, user_id)) = row else {
            return Ok(None);
        };
        on_pool!(self, |p| sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(self.user_by_id(user_id).await?.filter(|u| !u.disabled))
    }

    pub async fn api_tokens_of(&self, user_id: Uuid) -> Result<Vec<ApiToken>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT 200"
        )
        .bind(user_id)
        .fetch_all(p)
        .await
        })?)
    }

    pub async fn revoke_api_token(&self, token_id: Uuid, ctx: impl Into<WriteCtx>) -> Result<()> {
        let ctx = ctx.into();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let n = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(token_id)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "token.revoke",
                    format!("token:{token_id}"),
                    Outcome::Success,
                    "{}".into(),
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}

/// The accounts as their keyset page reads them: by user name (unique), counted over
/// the accounts alone.
pub(crate) fn users_list() -> crate::paging::keyset::ListQuery {
    const KEYS: &[(&str, crate::paging::Key)] = &[("u.username", crate::paging::Key::Text)];
    let tables = (USER_SELECT, "FROM users u");
    crate::paging::keyset::ListQuery::filtered("users", tables, "1 = 1", vec![], KEYS)
}
