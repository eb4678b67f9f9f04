//! The message catalog. Every piece of UI text is looked up here by key, in the language of the
//! request, so that translations are files, not template edits. Fluent handles plurals and
//! arguments, which Polish needs (one, few, many).

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub mod format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    PtBr,
    Pl,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::PtBr, Lang::Pl];

    /// The BCP 47 tag, as stored in `accounts.language` and written in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::PtBr => "pt-BR",
            Self::Pl => "pl",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            // Brazilian Portuguese is what we have; it serves pt-PT readers better than English.
            "pt" => Some(Self::PtBr),
            "pl" => Some(Self::Pl),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut ranges: Vec<(f32, &str)> = accept_language
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty() && quality > 0.0).then_some((quality, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges
            .into_iter()
            .find_map(|(_, tag)| Self::from_tag(tag))
            .unwrap_or_default()
    }
}

struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.tag().parse().expect("valid language tag");
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("catalog {} does not parse: {errors:?}", lang.tag()));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would show up inside HTML attributes and emails.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("catalog {} has duplicates: {errors:?}", lang.tag()));
    bundle
}

/// One catalog file per area and language (`src/i18n/<lang>/<area>.ftl`), joined into one
/// bundle per language; every language lists the same areas.
macro_rules! catalog_files {
    ($lang:literal) => {
        [
            include_str!(concat!($lang, "/console.ftl")),
            include_str!(concat!($lang, "/apis.ftl")),
            include_str!(concat!($lang, "/external_users.ftl")),
            include_str!(concat!($lang, "/portal.ftl")),
            include_str!(concat!($lang, "/partners.ftl")),
            include_str!(concat!($lang, "/clients.ftl")),
            include_str!(concat!($lang, "/tokens.ftl")),
            include_str!(concat!($lang, "/webhooks.ftl")),
            include_str!(concat!($lang, "/audit.ftl")),
            include_str!(concat!($lang, "/authenticator.ftl")),
            include_str!(concat!($lang, "/sso.ftl")),
        ]
    };
}

const ENGLISH: [&str; 11] = catalog_files!("en");
const PORTUGUESE: [&str; 11] = catalog_files!("pt-BR");
const POLISH: [&str; 11] = catalog_files!("pl");

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    bundles: HashMap::from([
        (Lang::En, bundle(Lang::En, &ENGLISH.join("\n"))),
        (Lang::PtBr, bundle(Lang::PtBr, &PORTUGUESE.join("\n"))),
        (Lang::Pl, bundle(Lang::Pl, &POLISH.join("\n"))),
    ]),
});

/// A translator for one language; templates call `t.t("key")`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn lang(&self) -> Lang {
        self.0
    }

    /// Whether the catalog has a message for `key`.
    pub fn has(&self, key: &str) -> bool {
        CATALOG.bundles[&Lang::En].has_message(key)
    }

    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// A message with one argument, e.g. `t.t1("remaining", "count", 3)`.
    pub fn t1<'a>(&self, key: &str, name: &'a str, value: impl MessageArg<'a>) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.into_fluent());
        self.format(key, Some(&args))
    }

    /// Arguments for a message with two placeholders, for `t_args`.
    pub fn args2<'a>(
        &self,
        first: &'a str,
        first_value: impl MessageArg<'a>,
        second: &'a str,
        second_value: impl MessageArg<'a>,
    ) -> FluentArgs<'a> {
        let mut args = FluentArgs::new();
        args.set(first, first_value.into_fluent());
        args.set(second, second_value.into_fluent());
        args
    }

    /// Arguments for a message with three placeholders, for `t_args`.
    pub fn args3<'a>(
        &self,
        first: &'a str,
        first_value: impl MessageArg<'a>,
        second: &'a str,
        second_value: impl MessageArg<'a>,
        third: &'a str,
        third_value: impl MessageArg<'a>,
    ) -> FluentArgs<'a> {
        let mut args = self.args2(first, first_value, second, second_value);
        args.set(third, third_value.into_fluent());
        args
    }

    pub fn t_args(&self, key: &str, args: &FluentArgs<'_>) -> String {
        self.format(key, Some(args))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        for lang in [self.0, Lang::En] {
            let bundle = &CATALOG.bundles[&lang];
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(key, lang = lang.tag(), ?errors, "message formatting failed");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(key, "missing message");
        key.to_owned()
    }
}

/// Values a message argument can take. Templates hand over references to their fields, so the
/// references are accepted as well.
pub trait MessageArg<'a> {
    fn into_fluent(self) -> FluentValue<'a>;
}

impl<'a> MessageArg<'a> for &'a str {
    fn into_fluent(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

impl<'a> MessageArg<'a> for &'a String {
    fn into_fluent(self) -> FluentValue<'a> {
        FluentValue::from(self.as_str())
    }
}

impl<'a> MessageArg<'a> for i64 {
    fn into_fluent(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

impl<'a> MessageArg<'a> for usize {
    fn into_fluent(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

/// References to arguments (askama hands templates' fields over by reference).
impl<'a, T: MessageArg<'a> + Copy> MessageArg<'a> for &'a T {
    fn into_fluent(self) -> FluentValue<'a> {
        (*self).into_fluent()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each message's id with the `$arguments` it uses, attributes included.
    fn messages(source: &str) -> Vec<(String, Vec<String>)> {
        let mut messages: Vec<(String, Vec<String>)> = Vec::new();
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with([' ', '\t']) && line.contains(" =") {
                let id = line
                    .split(" =")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                messages.push((id, Vec::new()));
            }
            if let Some((_, arguments)) = messages.last_mut() {
                for piece in line.split('$').skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if !name.is_empty() && !arguments.contains(&name) {
                        arguments.push(name);
                    }
                }
            }
        }
        for (_, arguments) in &mut messages {
            arguments.sort();
        }
        messages.sort();
        messages
    }

    #[test]
    fn every_language_has_every_message_with_the_same_arguments() {
        let english = messages(&ENGLISH.join("\n"));
        for (lang, files) in [(Lang::PtBr, &PORTUGUESE), (Lang::Pl, &POLISH)] {
            let translated = messages(&files.join("\n"));
            let ids = |list: &[(String, Vec<String>)]| -> Vec<String> {
                list.iter().map(|(id, _)| id.clone()).collect()
            };
            let (english_ids, translated_ids) = (ids(&english), ids(&translated));
            let missing: Vec<_> = english_ids
                .iter()
                .filter(|k| !translated_ids.contains(k))
                .collect();
            let extra: Vec<_> = translated_ids
                .iter()
                .filter(|k| !english_ids.contains(k))
                .collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag());
            assert!(
                extra.is_empty(),
                "{} has keys English lacks: {extra:?}",
                lang.tag()
            );
            let differing: Vec<_> = english
                .iter()
                .zip(&translated)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, b)| (&a.0, &a.1, &b.1))
                .collect();
            assert!(
                differing.is_empty(),
                "{} uses other arguments: {differing:?}",
                lang.tag()
            );
            // Parsing panics on syntax errors or duplicates.
            let _ = Tr(lang).t("app-name");
        }
    }

    #[test]
    fn polish_counts_take_their_plural_forms() {
        let roles = |count: i64| Tr(Lang::Pl).t1("roles-count", "count", count);
        let forms: Vec<String> = [1, 2, 5, 22, 25].into_iter().map(roles).collect();
        assert_ne!(forms[0], forms[1]);
        assert_ne!(forms[1], forms[2]);
        assert_eq!(forms[1].replace('2', ""), forms[3].replace("22", ""));
        assert_eq!(forms[2].replace('5', ""), forms[4].replace("25", ""));
    }

    #[test]
    fn negotiation_honours_quality() {
        assert_eq!(Lang::negotiate("pt-BR,pt;q=0.9,en;q=0.8"), Lang::PtBr);
        assert_eq!(Lang::negotiate("de-DE,en;q=0.5,pt;q=0.4"), Lang::En);
        assert_eq!(Lang::negotiate("de, pt;q=0.3"), Lang::PtBr);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("pt;q=0, en"), Lang::En);
        assert_eq!(Lang::negotiate("pl-PL,pl;q=0.9,en;q=0.5"), Lang::Pl);
    }

    #[test]
    fn arguments_and_fallback() {
        assert_eq!(Tr(Lang::En).t("no-such-key"), "no-such-key");
        assert_eq!(
            Tr(Lang::PtBr).t1("overview-welcome", "name", "Ana"),
            "Olá de novo, Ana."
        );
    }
}
