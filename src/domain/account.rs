//! Accounts: one person, one email, one password, across every organization they belong to.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::accounts;
use crate::domain::ids::AccountId;

/// An email address as we store it: trimmed and lower-cased, so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld`; refuses whitespace, control characters, over-long input, and
    /// anything the mailer would refuse as a recipient (it parses addresses with lettre's rules, so
    /// an address accepted here never fails for good in the outbox). Deliverability is proven by
    /// the emailed link, not by this check.
    pub fn parse(candidate: &str) -> Result<Self, &'static str> {
        let email = candidate.trim().to_lowercase();
        if email.is_empty() {
            return Err("email-required");
        }
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid
            && email.parse::<lettre::Address>().is_ok()
            && email.parse::<lettre::message::Mailbox>().is_ok()
        {
            Ok(Self(email))
        } else {
            Err("email-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// A display name: trimmed, 1 to 100 characters, no control characters (names reach email headers).
pub fn parse_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("name-required")
    } else if name.chars().count() > 100 || name.chars().any(char::is_control) {
        Err("name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: AccountId,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub password_changed_at: Option<PrimitiveDateTime>,
    pub last_sign_in_at: Option<PrimitiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub language: Option<&'a str>,
    pub created_at: PrimitiveDateTime,
    pub password_changed_at: Option<PrimitiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, account: &NewAccount<'_>) -> QueryResult<Account> {
    // MultiConnection cannot return a whole row; the id, then a select, works on both backends.
    let id: AccountId = diesel::insert_into(accounts::table)
        .values(account)
        .returning(accounts::id)
        .get_result(conn)?;
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
}

pub fn find_by_email(
    conn: &mut DbConnection,
    email: &EmailAddress,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::email.eq(email.as_str()))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn any_exists(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(accounts::table.select(accounts::id))).get_result(conn)
}

pub fn record_sign_in(
    conn: &mut DbConnection,
    id: AccountId,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::last_sign_in_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

/// Sets a new password (already hashed) from the profile page or the expired-password page: records
/// it in the password history, ends every other session of the account, keeps `keep_session_hash`
/// (the one that asked) and lifts its "password change required" mark, and records
/// `account.password-changed`. The policy and history checks (which need bcrypt, off this
/// connection) are the caller's, before. Call it inside a write transaction.
pub fn change_password(
    conn: &mut DbConnection,
    account_id: AccountId,
    new_hash: &str,
    keep_session_hash: &str,
    actor: &crate::domain::audit::Actor,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(account_id))
        .set((
            accounts::password_hash.eq(new_hash),
            accounts::password_changed_at.eq(actor.at),
        ))
        .execute(conn)?;
    crate::domain::password_history::record(conn, account_id, new_hash, actor.at)?;
    crate::domain::session::delete_others(conn, account_id, keep_session_hash)?;
    crate::domain::session::clear_password_change_required(conn, keep_session_hash)?;
    let email: String = accounts::table
        .find(account_id)
        .select(accounts::email)
        .first(conn)?;
    crate::domain::audit::record(
        conn,
        &actor.event(None, "account.password-changed", Some(email)),
    )
}

/// The stored password hash of an account (None for an invited account that never registered).
pub fn password_hash(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Option<String>> {
    accounts::table
        .find(account_id)
        .select(accounts::password_hash)
        .first(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_the_mailer_would_refuse_are_refused() {
        for refused in [
            "\"<img/src=x>\"@a.test",
            "a b@a.test",
            "a@b@c.test",
            "ada@localhost",
            "ada@-a.test",
            "<ada@a.test>",
            "ada@a.test>",
            "Ada <ada@a.test>",
        ] {
            assert_eq!(
                EmailAddress::parse(refused),
                Err("email-invalid"),
                "{refused}"
            );
        }
        assert_eq!(
            EmailAddress::parse(" Ada.O'Brien+x@Example.COM ").map(|e| e.as_str().to_owned()),
            Ok("ada.o'brien+x@example.com".to_owned())
        );
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            EmailAddress::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@x.com",
            "ada@x..com",
            "ada@x.com\r\nBcc: e@vil.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_refuse_control_characters() {
        assert_eq!(parse_name("  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert!(parse_name("Ada\r\nBcc: x").is_err());
        assert!(parse_name("   ").is_err());
    }
}
