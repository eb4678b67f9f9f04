//! The message catalog. Every piece of UI text is looked up here by key, in the language of the
//! request, so that translations are files, not template edits. Fluent handles plurals and
//! arguments, which Polish (coming later) needs.

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
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::PtBr];

    /// The BCP 47 tag, as stored in `accounts.language` and written in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::PtBr => "pt-BR",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            // Brazilian Portuguese is what we have; it serves pt-PT readers better than English.
            "pt" => Some(Self::PtBr),
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
        ]
    };
}

const ENGLISH: [&str; 9] = catalog_files!("en");
const PORTUGUESE: [&str; 9] = catalog_files!("pt-BR");

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    bundles: HashMap::from([
        (Lang::En, bundle(Lang::En, &ENGLISH.join("\n"))),
        (Lang::PtBr, bundle(Lang::PtBr, &PORTUGUESE.join("\n"))),
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

    fn keys(source: &str) -> Vec<String> {
        let mut keys: Vec<String> = source
            .lines()
            .filter(|line| !line.starts_with([' ', '#', '\t']) && line.contains(" ="))
            .map(|line| {
                line.split(" =")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn every_language_has_every_message() {
        let english = keys(&ENGLISH.join("\n"));
        let portuguese = keys(&PORTUGUESE.join("\n"));
        let missing: Vec<_> = english.iter().filter(|k| !portuguese.contains(k)).collect();
        let extra: Vec<_> = portuguese.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty(), "pt-BR lacks {missing:?}");
        assert!(extra.is_empty(), "pt-BR has keys English lacks: {extra:?}");
        // Parsing panics on syntax errors or duplicates.
        let _ = Tr(Lang::PtBr).t("app-name");
    }

    #[test]
    fn negotiation_honours_quality() {
        assert_eq!(Lang::negotiate("pt-BR,pt;q=0.9,en;q=0.8"), Lang::PtBr);
        assert_eq!(Lang::negotiate("de-DE,en;q=0.5,pt;q=0.4"), Lang::En);
        assert_eq!(Lang::negotiate("de, pt;q=0.3"), Lang::PtBr);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("pt;q=0, en"), Lang::En);
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
