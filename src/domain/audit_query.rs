//! The audit log's search language, as people type it and links write it:
//! `actor:ada@acme.test action:role.* target:"Field Agents" created:>=2026-11-01`,
//! `created:2026-11-01..2026-11-30`, `member:42` (one target, for Activity tabs), free words,
//! and `-` before any of them to exclude. Every part must hold (AND). Dates are days in the
//! viewer's time zone; the caller turns them into instants.

use time::Date;
use time::macros::format_description;

use crate::domain::audit::TargetKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// The actor's email (exact, or a prefix with a trailing `*`), or `system`.
    Actor(Pattern),
    /// The action (exact, or a prefix with a trailing `*`: `role.*`).
    Action(Pattern),
    /// The target's name as it was then, case-insensitive.
    Target(Pattern),
    /// One target by kind and id (`member:42`).
    TargetOf(TargetKind, i64),
    /// Created on or after the start of `from` and before the end of `to` (days, inclusive).
    Created {
        from: Option<Date>,
        to: Option<Date>,
    },
    /// A word found in the actor, the action or the target.
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Exact(String),
    Prefix(String),
}

impl Pattern {
    fn parse(value: &str, fold: bool) -> Self {
        let value = if fold {
            value.to_lowercase()
        } else {
            value.to_owned()
        };
        match value.strip_suffix('*') {
            Some(prefix) => Pattern::Prefix(prefix.to_owned()),
            None => Pattern::Exact(value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub negated: bool,
    pub term: Term,
    /// The part as typed, normalized: what its chip shows and what removing it removes.
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub filters: Vec<Filter>,
}

/// A part of the search that could not be read, with the text that was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The catalog key of the message (`audit-query-bad-date`, ...).
    pub key: &'static str,
    pub part: String,
}

/// A search has at most this many parts (each is a condition on an index).
pub const MAX_PARTS: usize = 12;

impl Query {
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let mut filters = Vec::new();
        for raw in split(input) {
            if filters.len() == MAX_PARTS {
                return Err(QueryError {
                    key: "audit-query-too-long",
                    part: raw,
                });
            }
            filters.push(parse_part(&raw)?);
        }
        Ok(Query { filters })
    }

    /// The search as text, each part normalized (what goes in the URL).
    pub fn to_text(&self) -> String {
        self.filters
            .iter()
            .map(|filter| filter.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The search without its part at `index` (the link of that part's chip).
    pub fn without(&self, index: usize) -> String {
        self.filters
            .iter()
            .enumerate()
            .filter(|(at, _)| *at != index)
            .map(|(_, filter)| filter.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The search with one more part, unless it already has it (the links in the table).
    pub fn with(&self, part: &str) -> String {
        let mut parts: Vec<&str> = self.filters.iter().map(|f| f.text.as_str()).collect();
        if !parts.contains(&part) {
            parts.push(part);
        }
        parts.join(" ")
    }
}

/// A value as a qualifier writes it: quoted when it has spaces or quotes.
pub fn quoted(value: &str) -> String {
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c == '"') {
        format!("\"{}\"", value.replace('"', ""))
    } else {
        value.to_owned()
    }
}

/// Splits on whitespace outside double quotes; the quotes stay in the part.
fn split(input: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn unquote(value: &str) -> String {
    value.replace('"', "")
}

fn parse_part(raw: &str) -> Result<Filter, QueryError> {
    let error = |key| QueryError {
        key,
        part: raw.to_owned(),
    };
    let (negated, body) = match raw.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, raw),
    };
    let sign = if negated { "-" } else { "" };
    let Some((key, value)) = body.split_once(':').filter(|(key, _)| !key.contains('"')) else {
        let word = unquote(body).to_lowercase();
        if word.is_empty() {
            return Err(error("audit-query-empty"));
        }
        return Ok(Filter {
            negated,
            text: format!("{sign}{}", quoted(&word)),
            term: Term::Text(word),
        });
    };
    let value = unquote(value);
    let key = key.to_lowercase();
    if value.is_empty() {
        return Err(error("audit-query-empty"));
    }
    let term = match key.as_str() {
        "actor" => Term::Actor(Pattern::parse(&value, true)),
        "action" => Term::Action(Pattern::parse(&value, true)),
        "target" => Term::Target(Pattern::parse(&value, true)),
        "created" => parse_created(&value).ok_or_else(|| error("audit-query-bad-date"))?,
        other => match TargetKind::parse(other) {
            Some(kind) => Term::TargetOf(
                kind,
                value
                    .parse()
                    .map_err(|_| error("audit-query-bad-target-id"))?,
            ),
            None => return Err(error("audit-query-unknown-qualifier")),
        },
    };
    let text = match &term {
        Term::Created { .. } => format!("{sign}created:{value}"),
        _ => format!("{sign}{key}:{}", quoted(&value)),
    };
    Ok(Filter {
        negated,
        term,
        text,
    })
}

fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// `2026-11-01`, `>=2026-11-01`, `>2026-11-01`, `<=…`, `<…`, `2026-11-01..2026-11-30`,
/// `2026-11-01..`, `..2026-11-30`.
fn parse_created(value: &str) -> Option<Term> {
    let next = |day: Date| day.next_day();
    let previous = |day: Date| day.previous_day();
    let (from, to) = if let Some(rest) = value.strip_prefix(">=") {
        (Some(parse_date(rest)?), None)
    } else if let Some(rest) = value.strip_prefix("<=") {
        (None, Some(parse_date(rest)?))
    } else if let Some(rest) = value.strip_prefix('>') {
        (Some(next(parse_date(rest)?)?), None)
    } else if let Some(rest) = value.strip_prefix('<') {
        (None, Some(previous(parse_date(rest)?)?))
    } else if let Some((start, end)) = value.split_once("..") {
        let from = if start.is_empty() {
            None
        } else {
            Some(parse_date(start)?)
        };
        let to = if end.is_empty() {
            None
        } else {
            Some(parse_date(end)?)
        };
        if from.is_none() && to.is_none() {
            return None;
        }
        (from, to)
    } else {
        let day = parse_date(value)?;
        (Some(day), Some(day))
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return None;
    }
    Some(Term::Created { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn terms(input: &str) -> Vec<(bool, Term)> {
        Query::parse(input)
            .expect("parses")
            .filters
            .into_iter()
            .map(|f| (f.negated, f.term))
            .collect()
    }

    #[test]
    fn qualifiers_quotes_negation_and_words() {
        assert_eq!(
            terms(r#"actor:Ada@Acme.test action:role.* target:"Field Agents" -member:42 audit"#),
            vec![
                (false, Term::Actor(Pattern::Exact("ada@acme.test".into()))),
                (false, Term::Action(Pattern::Prefix("role.".into()))),
                (false, Term::Target(Pattern::Exact("field agents".into()))),
                (true, Term::TargetOf(TargetKind::Member, 42)),
                (false, Term::Text("audit".into())),
            ]
        );
    }

    #[test]
    fn created_ranges() {
        let created = |input: &str| terms(input).remove(0).1;
        assert_eq!(
            created("created:>=2026-11-01"),
            Term::Created {
                from: Some(date!(2026 - 11 - 01)),
                to: None
            }
        );
        assert_eq!(
            created("created:>2026-11-01"),
            Term::Created {
                from: Some(date!(2026 - 11 - 02)),
                to: None
            }
        );
        assert_eq!(
            created("created:<2026-11-01"),
            Term::Created {
                from: None,
                to: Some(date!(2026 - 10 - 31))
            }
        );
        assert_eq!(
            created("created:2026-11-01..2026-11-30"),
            Term::Created {
                from: Some(date!(2026 - 11 - 01)),
                to: Some(date!(2026 - 11 - 30))
            }
        );
        assert_eq!(
            created("created:2026-11-05"),
            Term::Created {
                from: Some(date!(2026 - 11 - 05)),
                to: Some(date!(2026 - 11 - 05))
            }
        );
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        let key = |input: &str| Query::parse(input).unwrap_err().key;
        assert_eq!(key("created:yesterday"), "audit-query-bad-date");
        assert_eq!(
            key("created:2026-11-30..2026-11-01"),
            "audit-query-bad-date"
        );
        assert_eq!(key("colour:red"), "audit-query-unknown-qualifier");
        assert_eq!(key("member:ada"), "audit-query-bad-target-id");
        assert_eq!(key("actor:"), "audit-query-empty");
    }

    #[test]
    fn chips_remove_their_part_and_links_add_one_once() {
        let query = Query::parse(r#"action:role.*  target:"Field Agents""#).unwrap();
        assert_eq!(query.to_text(), r#"action:role.* target:"Field Agents""#);
        assert_eq!(query.without(0), r#"target:"Field Agents""#);
        assert_eq!(query.with("action:role.*"), query.to_text());
        assert_eq!(
            query.with("actor:ada@acme.test"),
            r#"action:role.* target:"Field Agents" actor:ada@acme.test"#
        );
    }
}
