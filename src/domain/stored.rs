//! Enums stored as text. Each is declared once with its stored words; `stored_enum!` gives it the
//! one `ToSql`/`FromSql` pair both databases use. Reading a word the enum does not know is an
//! error, never a quiet default: a row written by a newer version, or edited by hand, must not
//! turn a suspended partnership into an active one.

/// Declares a text-stored enum: `as_str`, `parse`, `ALL`, `Display` and the diesel mapping.
macro_rules! stored_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $($(#[$variant_doc:meta])* $variant:ident = $word:literal,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$variant_doc])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            pub fn parse(word: &str) -> Option<Self> {
                match word {
                    $($word => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let word = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                Self::parse(&word).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " {:?} in the database"), word)
                        .into()
                })
            }
        }
    };
}

pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    stored_enum! {
        pub enum MembershipStatus {
            Active = "active",
            Pending = "pending",
        }
    }

    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = Text)]
        word: MembershipStatus,
    }

    fn read(word: &str) -> QueryResult<MembershipStatus> {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::sql_query("SELECT ? AS word")
            .bind::<Text, _>(word)
            .get_result::<Stored>(&mut conn)
            .map(|row| row.word)
    }

    #[test]
    fn stored_words_read_back_and_unknown_words_are_errors() {
        for status in MembershipStatus::ALL {
            assert_eq!(read(status.as_str()).unwrap(), *status);
            assert_eq!(MembershipStatus::parse(&status.to_string()), Some(*status));
        }
        let error = read("archived").unwrap_err().to_string();
        assert!(
            error.contains("unknown MembershipStatus \"archived\""),
            "{error}"
        );
        assert!(read("Active").is_err(), "words are matched exactly");
    }
}
