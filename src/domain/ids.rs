//! Ids as types. An organization's id is not a role's, so a function that takes a membership and
//! a role cannot be handed them the other way round: that no longer compiles. Each is a `BIGINT`
//! in both databases, read and written through one `FromSql`/`ToSql` pair, shown and parsed as the
//! plain number (in URLs, forms and the JSON API).

use std::fmt;
use std::str::FromStr;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow,
            serde::Serialize, serde::Deserialize,
        )]
        #[diesel(sql_type = BigInt)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl<DB> ToSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.to_sql(out)
            }
        }

        impl<DB> FromSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(bytes).map(Self)
            }
        }
    )*};
}

ids! {
    /// An organization (a customer, or a registered partner company).
    OrganizationId;
    /// A person's account, across organizations.
    AccountId;
    /// An account's membership in one organization.
    MembershipId;
    /// A role of one organization.
    RoleId;
    /// An environment of one organization.
    EnvironmentId;
    /// A personal access token.
    TokenId;
    /// An organization's webhook.
    WebhookId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_show_as_their_number() {
        let role: RoleId = "42".parse().unwrap();
        assert_eq!(role.get(), 42);
        assert_eq!(role.to_string(), "42");
        assert!("4x".parse::<RoleId>().is_err());
        assert_eq!(serde_json::to_string(&role).unwrap(), "42");
        assert_eq!(serde_json::from_str::<RoleId>("7").unwrap(), RoleId::new(7));
    }
}
