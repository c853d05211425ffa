//! Accounts as a capability: signing in and out, changing a password, API tokens and
//! the administration of users. Pages and API share this code; every decision about
//! who may do what is the policy's (`Caller::require`), every write is audited (by the
//! store, in the same transaction, or here for security events). Passwords and tokens
//! are never logged nor written to the audit trail.

use chrono::{Duration, Utc};
use serde::Deserialize;
use shuniu_domain::access::{Action, Binding, Resource, Role};
use shuniu_domain::accounts::{LoginState, Username, check_password};
use shuniu_domain::audit::{AuditEvent, Outcome};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::accounts::{ApiToken, NewUser, User};
use shuniu_store::Store;
use uuid::Uuid;

use crate::auth::{Caller, DUMMY_HASH, Via, random_token, token_hash};
use crate::{AppError, AppState};

/// Why a sign-in failed. Callers show one message for all of them: whether an account
/// exists, is locked or disabled is not revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    UnknownUser,
    WrongPassword,
    Locked,
    Disabled,
    /// Too many failures from this source or for this name: 429, nothing checked.
    Throttled {
        retry_after_secs: u64,
    },
    /// No turn to hash the password in time: 503.
    Busy {
        retry_after_secs: u64,
    },
}

impl LoginFailure {
    fn as_str(self) -> &'static str {
        match self {
            LoginFailure::UnknownUser => "unknown_user",
            LoginFailure::WrongPassword => "wrong_password",
            LoginFailure::Locked => "locked",
            LoginFailure::Disabled => "disabled",
            LoginFailure::Throttled { .. } => "throttled",
            LoginFailure::Busy { .. } => "busy",
        }
    }
}

/// A new browser session: the cookie value (shown once, stored hashed) and its user.
pub struct NewSession {
    pub token: String,
    pub user: User,
}

/// An event about `user` (sign-in events are the user's, though nobody is signed in yet).
fn user_event(
    caller: &Caller,
    user: Option<&User>,
    action: &str,
    outcome: Outcome,
    details: serde_json::Value,
) -> AuditEvent {
    shuniu_domain::audit::kinds::debug_assert_known(action);
    AuditEvent {
        at: AuditEvent::now_micros(),
        actor: user
            .map(|u| u.username.clone())
            .unwrap_or_else(|| "-".into()),
        role: user
            .map(|u| u.role.as_str().to_string())
            .unwrap_or_else(|| "anonymous".into()),
        source: caller.source.clone(),
        action: action.into(),
        // An unknown name is not recorded: people type passwords into that field.
        object: user
            .map(|u| format!("user:{}", u.username))
            .unwrap_or_else(|| "user:?".into()),
        outcome,
        details: details.to_string(),
        jurisdiction_path: user.and_then(|u| u.jurisdiction_path.clone()),
    }
}

/// Checks a user name and password; on success opens a session. Unknown users are
/// checked against a dummy hash so that they take as long as known ones. Five failures
/// (settings) lock the account; a locked account is refused before any hashing, and a
/// locked or disabled account fails even with the right password. Failures are counted
/// in the database, one statement each, so that parallel guesses are all counted, and
/// the right password signs in only if that same statement finds the account unlocked.
/// Every attempt is audited.
pub async fn login(
    state: &AppState,
    caller: &Caller,
    username: &str,
    password: &str,
) -> Result<NewSession, LoginFailure> {
    let store = &state.store;
    let now = shuniu_store::now();
    let throttle = &state.login_throttle;
    if let Some(secs) = throttle.check(&caller.source, username, std::time::Instant::now()) {
        tracing::debug!(source = %caller.source, "sign-in refused: too many failures");
        return Err(LoginFailure::Throttled {
            retry_after_secs: secs,
        });
    }
    let user = match Username::parse(username) {
        Ok(name) => store.user_by_username(name.as_str()).await.ok().flatten(),
        Err(_) => None,
    };
    let fail = |reason: LoginFailure| {
        throttle.failed(&caller.source, username, std::time::Instant::now());
        // Unknown names are recorded once per source and minute, with the count of
        // those left unrecorded before: a spray of made-up names cannot flood the trail.
        let unrecorded = match (&user, reason) {
            (None, LoginFailure::UnknownUser) => state
                .unknown_logins
                .admit(&caller.source, std::time::Instant::now()),
            _ => Some(0),
        };
        let event = unrecorded.map(|n| {
            let details = if n > 0 {
                serde_json::json!({ "reason": reason.as_str(), "unrecorded_failures_before": n })
            } else {
                serde_json::json!({ "reason": reason.as_str() })
            };
            user_event(
                caller,
                user.as_ref(),
                "login.failure",
                Outcome::Failure,
                details,
            )
        });
        async move {
            if let Some(event) = event {
                let _ = store.audit(event).await;
            }
            Err(reason)
        }
    };
    // A locked account is refused before the (costly) hashing.
    if let Some(u) = &user
        && !u.disabled
        && LoginState::from(u.login).is_locked(now)
    {
        return fail(LoginFailure::Locked).await;
    }
    let hash = match &user {
        Some(u) => store
            .password_hash(u.id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| DUMMY_HASH.to_string()),
        None => DUMMY_HASH.to_string(),
    };
    let ok = match state.hashing.verify(&hash, password).await {
        Ok(ok) => ok,
        Err(busy) => {
            return Err(LoginFailure::Busy {
                retry_after_secs: busy.retry_after_secs,
            });
        }
    };
    let Some(u) = user.clone() else {
        return fail(LoginFailure::UnknownUser).await;
    };
    if u.disabled {
        return fail(LoginFailure::Disabled).await;
    }
    if !ok {
        let policy = state.auth.lockout;
        let counted = store.record_login_failure(u.id, now, policy).await;
        let r = fail(LoginFailure::WrongPassword).await;
        match counted {
            Ok(Some(next)) if policy.locks_at(next.failures) && next.is_locked(now) => {
                let _ = store
                    .audit(user_event(
                        caller,
                        Some(&u),
                        "login.lockout",
                        Outcome::Failure,
                        serde_json::json!({
                            "locked_until": next.locked_until,
                            "failures": next.failures,
                        }),
                    ))
                    .await;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "could not count a failed sign-in"),
        }
        return r;
    }
    // The right password: it signs in only if the account is (still) not locked, as
    // checked by the statement that resets the count.
    match store.record_login_success(u.id, now).await {
        Ok(true) => {}
        Ok(false) => return fail(LoginFailure::Locked).await,
        Err(e) => {
            tracing::error!(error = %e, "could not reset the failure count");
            return fail(LoginFailure::WrongPassword).await;
        }
    }
    let token = random_token();
    let opened = async {
        store
            .create_session(&token_hash(&token), u.id, &random_token())
            .await?;
        store
            .audit(user_event(
                caller,
                Some(&u),
                "login.success",
                Outcome::Success,
                serde_json::json!({}),
            ))
            .await
    };
    match opened.await {
        Ok(_) => Ok(NewSession { token, user: u }),
        Err(e) => {
            tracing::error!(error = %e, "could not open a session");
            Err(LoginFailure::WrongPassword)
        }
    }
}

/// Ends the caller's browser session server-side (its cookie no longer works).
pub async fn logout(store: &Store, caller: &Caller) -> Result<(), AppError> {
    if let Via::Session { token_hash, .. } = &caller.via {
        store.end_session(token_hash).await?;
        store
            .audit(
                caller.event(
                    "logout",
                    caller
                        .user
                        .as_ref()
                        .map(|u| format!("user:{}", u.username))
                        .unwrap_or_default(),
                    Outcome::Success,
                    "{}".into(),
                ),
            )
            .await?;
    }
    Ok(())
}

/// The signed-in user, or "sign in first".
pub fn me(caller: &Caller) -> Result<&User, AppError> {
    caller.user.as_ref().ok_or(AppError::Unauthenticated)
}

/// Changes the caller's own password: the current one must be right, the new one must
/// meet the policy and be typed twice. Keeps this session, ends the others.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<(), AppError> {
    let u = me(caller)?;
    let mut errors = FieldErrors::new();
    let hash = state
        .store
        .password_hash(u.id)
        .await?
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    if !state.hashing.verify(&hash, current).await? {
        errors.add(
            "current_password",
            FieldError::new("当前密码不正确", "is not right"),
        );
    }
    if let Err(e) = check_password(new, &u.username, state.auth.password_min_len) {
        errors.add("new_password", e);
    } else if new == current {
        errors.add(
            "new_password",
            FieldError::new(
                "新密码不能与当前密码相同",
                "must differ from the current one",
            ),
        );
    }
    if new != repeat {
        errors.add(
            "repeat_password",
            FieldError::new("两次输入的新密码不一致", "does not match the new password"),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let keep = match &caller.via {
        Via::Session { token_hash, .. } => Some(token_hash.as_str()),
        _ => None,
    };
    let new_hash = state.hashing.hash(new).await?;
    state
        .store
        .set_password(u.id, &new_hash, false, keep, caller.ctx())
        .await?;
    Ok(())
}

/// The caller's API tokens, newest first.
pub async fn my_tokens(store: &Store, caller: &Caller) -> Result<Vec<ApiToken>, AppError> {
    let u = me(caller)?;
    Ok(store.api_tokens_of(u.id).await?)
}

/// A new API token for the caller: the secret is returned once and stored hashed.
pub async fn create_token(
    state: &AppState,
    caller: &Caller,
    name: &str,
    days: Option<&str>,
) -> Result<(ApiToken, String), AppError> {
    let u = me(caller)?;
    let mut errors = FieldErrors::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        errors.add(
            "token_name",
            FieldError::new("请填写1–60个字符的名称", "must be 1–60 characters"),
        );
    }
    let days = match days.map(str::trim).filter(|d| !d.is_empty()) {
        None => state.auth.token_days,
        Some(d) => match d.parse::<i64>() {
            Ok(n) if (1..=365).contains(&n) => n,
            _ => {
                errors.add(
                    "token_days",
                    FieldError::new("有效期为1–365天", "must be 1–365 days"),
                );
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let secret = random_token();
    let t = state
        .store
        .create_api_token(
            u.id,
            name,
            &token_hash(&secret),
            Utc::now() + Duration::days(days),
            caller.ctx(),
        )
        .await?;
    Ok((t, secret))
}

/// Revokes one of the caller's own tokens (another's answers 404).
pub async fn revoke_token(store: &Store, caller: &Caller, id: Uuid) -> Result<(), AppError> {
    let mine = my_tokens(store, caller).await?;
    if !mine.iter().any(|t| t.id == id) {
        return Err(AppError::NotFound);
    }
    Ok(store.revoke_api_token(id, caller.ctx()).await?)
}

/// Only admins manage accounts.
pub fn require_admin(caller: &Caller) -> Result<(), AppError> {
    caller.require(Action::ManageUsers, &Resource::Accounts)
}

/// Only admins manage an account; to anyone else another's account is not there (404).
pub fn require_admin_over(caller: &Caller, id: Uuid) -> Result<(), AppError> {
    caller.require(Action::ManageUsers, &Resource::Account { id })
}

/// One page of the accounts by user name (admins only), by cursor or by a number within
/// the first 10,000.
pub async fn list_users(
    store: &Store,
    caller: &Caller,
    at: shuniu_store::At<'_>,
    per_page: u32,
) -> Result<shuniu_store::KeyPage<User>, AppError> {
    require_admin(caller)?;
    Ok(store.users_keyset(at, per_page).await?)
}

/// The admin's new-user form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserDraft {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub jurisdiction: Option<String>,
    pub organization: Option<String>,
    pub password: Option<String>,
}

/// Creates an account with a temporary password that must be changed at first sign-in.
pub async fn create_user(
    state: &AppState,
    caller: &Caller,
    d: &UserDraft,
) -> Result<User, AppError> {
    require_admin(caller)?;
    let s = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    let mut errors = FieldErrors::new();
    let username = Username::parse(&s(&d.username));
    if let Err(e) = &username {
        errors.add("username", e.clone());
    }
    let display_name = s(&d.display_name);
    if display_name.is_empty() || display_name.chars().count() > 60 {
        errors.add(
            "display_name",
            FieldError::new("请填写1–60个字符的姓名", "must be 1–60 characters"),
        );
    }
    let role = Role::parse(&s(&d.role));
    if role.is_none() {
        errors.add("role", FieldError::new("请选择角色", "choose a role"));
    }
    let mut jurisdiction_code = None;
    let mut organization_id = None;
    match role.map(Role::binding) {
        Some(Binding::Jurisdiction) => {
            let c = s(&d.jurisdiction);
            if c.is_empty() {
                errors.add(
                    "jurisdiction",
                    shuniu_domain::accounts::jurisdiction_binding_required(),
                );
            } else {
                jurisdiction_code = Some(c);
            }
        }
        Some(Binding::Organization) => match Uuid::parse_str(&s(&d.organization)) {
            Ok(id) => organization_id = Some(id),
            Err(_) => errors.add(
                "organization",
                FieldError::new(
                    "请填写所属社会组织的编号（UUID）",
                    "must be the organization's id (a UUID)",
                ),
            ),
        },
        _ => {}
    }
    let password = d.password.clone().unwrap_or_default();
    if let Err(e) = check_password(
        &password,
        username.as_ref().map(|u| u.as_str()).unwrap_or(""),
        state.auth.password_min_len,
    ) {
        errors.add("password", e);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Ok(username), Some(role)) = (username, role) else {
        return Err(AppError::Validation(errors));
    };
    let new = NewUser {
        username,
        display_name,
        role,
        jurisdiction_code,
        organization_id,
        password_hash: state.hashing.hash(&password).await?,
        must_change_password: true,
    };
    Ok(state.store.create_user(&new, caller.ctx()).await?)
}

/// Disables or re-enables an account (disabling ends its sessions and tokens). An
/// admin cannot disable their own account.
pub async fn set_disabled(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    disabled: bool,
) -> Result<(), AppError> {
    require_admin_over(caller, id)?;
    if caller.user.as_ref().is_some_and(|u| u.id == id) && disabled {
        return Err(AppError::State("cannot disable yourself".into()));
    }
    store.user_by_id(id).await?.ok_or(AppError::NotFound)?;
    Ok(store.set_user_disabled(id, disabled, caller.ctx()).await?)
}

/// Sets a temporary password that must be changed at the next sign-in; ends the
/// user's sessions.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    password: &str,
) -> Result<(), AppError> {
    require_admin_over(caller, id)?;
    let u = state
        .store
        .user_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Err(e) = check_password(password, &u.username, state.auth.password_min_len) {
        let mut errors = FieldErrors::new();
        errors.add("password", e);
        return Err(AppError::Validation(errors));
    }
    let hash = state.hashing.hash(password).await?;
    Ok(state
        .store
        .set_password(id, &hash, true, None, caller.ctx())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unknown users are checked against the dummy hash: it must be a real Argon2id
    /// hash with the default cost, or they would answer faster than known users.
    #[test]
    fn the_dummy_hash_costs_as_much_as_a_real_one() {
        use argon2::password_hash::PasswordHash;
        let h = PasswordHash::new(DUMMY_HASH).expect("a well-formed hash");
        assert_eq!(h.algorithm.as_str(), "argon2id");
        let params = argon2::Params::try_from(&h).unwrap();
        let default = argon2::Params::default();
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (default.m_cost(), default.t_cost(), default.p_cost())
        );
    }

    #[test]
    fn failures_have_one_name_each() {
        let all = [
            LoginFailure::UnknownUser,
            LoginFailure::WrongPassword,
            LoginFailure::Locked,
            LoginFailure::Disabled,
            LoginFailure::Throttled {
                retry_after_secs: 1,
            },
            LoginFailure::Busy {
                retry_after_secs: 1,
            },
        ];
        let names: std::collections::BTreeSet<_> = all.iter().map(|f| f.as_str()).collect();
        assert_eq!(names.len(), all.len());
    }
}
