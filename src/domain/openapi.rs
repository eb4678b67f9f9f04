//! OpenAPI documents as admins upload them: JSON or YAML, OpenAPI 3.0 / 3.1 or Swagger 2.0.
//! `parse` checks the few things the catalog relies on (a version, `info.title` and
//! `info.version`, and `paths`) and lists the operations in document order. It reads the document
//! in one pass without building its whole tree: everything it does not need is skipped.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::domain::api_catalog::ApiOperation;
use crate::i18n::Tr;

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// The longest file name kept (in characters).
const MAX_FILENAME_CHARS: usize = 100;

/// The HTTP methods a path item can hold operations for, in OpenAPI's own order.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Yaml => "application/yaml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Yaml => "yaml",
        }
    }
}

/// A document that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The text as uploaded.
    pub text: String,
    pub format: Format,
    /// `3.1.0`, `3.0.3`, `2.0`…
    pub spec_version: String,
    pub title: String,
    pub version: String,
    pub operations: Vec<ApiOperation>,
}

/// Why a document was refused. Each names a message in the catalog (`apis-openapi-…`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenApiError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge,
    #[error("the file is not UTF-8 text")]
    NotText,
    /// Neither JSON nor YAML; the line of the parser's complaint when it gave one.
    #[error("not JSON or YAML (line {line:?})")]
    Syntax { line: Option<u64> },
    #[error("the top level is not a mapping")]
    NotMapping,
    #[error("no openapi or swagger version")]
    NoVersion,
    #[error("unsupported version {found}")]
    UnsupportedVersion { found: String },
    #[error("info.title and info.version are missing")]
    NoInfo,
    #[error("paths is missing or not a mapping")]
    NoPaths,
    #[error("path {path:?} is not valid")]
    InvalidPath { path: String },
}

impl OpenApiError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "apis-openapi-empty",
            Self::TooLarge => "apis-openapi-too-large",
            Self::NotText => "apis-openapi-not-text",
            Self::Syntax { line: Some(_) } => "apis-openapi-syntax-line",
            Self::Syntax { line: None } => "apis-openapi-syntax",
            Self::NotMapping => "apis-openapi-not-mapping",
            Self::NoVersion => "apis-openapi-no-version",
            Self::UnsupportedVersion { .. } => "apis-openapi-unsupported-version",
            Self::NoInfo => "apis-openapi-no-info",
            Self::NoPaths => "apis-openapi-no-paths",
            Self::InvalidPath { .. } => "apis-openapi-invalid-path",
        }
    }
}

impl OpenApiError {
    /// What to tell the person who sent the document, in their language.
    pub fn message(&self, t: Tr) -> String {
        let key = self.message_key();
        match self {
            Self::Syntax { line: Some(line) } => {
                t.t1(key, "line", i64::try_from(*line).unwrap_or(i64::MAX))
            }
            Self::UnsupportedVersion { found } => t.t1(key, "found", found.as_str()),
            Self::InvalidPath { path } => t.t1(key, "path", path.as_str()),
            _ => t.t(key),
        }
    }
}

/// Checks an uploaded document and lists its operations.
pub fn parse(bytes: &[u8]) -> Result<Document, OpenApiError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(OpenApiError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| OpenApiError::NotText)?;
    // Neither JSON nor YAML allows NUL, and PostgreSQL text cannot hold it.
    if text.contains('\0') {
        return Err(OpenApiError::NotText);
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(OpenApiError::Empty);
    }
    let (top, format) = read(body)?;
    let Top::Mapping(top) = top else {
        return Err(OpenApiError::NotMapping);
    };
    let spec_version = check_version(&top)?;
    let (title, version) = match top.info {
        Some(Info::Mapping {
            title: Some(Scalar::Text(title)),
            version: Some(Scalar::Text(version)),
        }) => (title, version),
        _ => return Err(OpenApiError::NoInfo),
    };
    let Some(Paths::Mapping(paths)) = top.paths else {
        return Err(OpenApiError::NoPaths);
    };
    let mut operations = Vec::new();
    for item in paths {
        let path = match item.path {
            Some(path) if path.starts_with('/') => path,
            Some(path) => return Err(OpenApiError::InvalidPath { path }),
            None => {
                return Err(OpenApiError::InvalidPath {
                    path: String::new(),
                });
            }
        };
        let Some(entries) = item.operations else {
            return Err(OpenApiError::InvalidPath { path });
        };
        for (method, operation) in entries {
            let Some(operation) = operation else {
                return Err(OpenApiError::InvalidPath { path });
            };
            let summary = operation
                .summary
                .filter(|s| !s.trim().is_empty())
                .or(operation.operation_id)
                .unwrap_or_default();
            operations.push(ApiOperation {
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                summary: summary.trim().to_owned(),
            });
        }
    }
    Ok(Document {
        text: text.to_owned(),
        format,
        spec_version,
        title,
        version,
        operations,
    })
}

/// JSON when it parses as JSON, else YAML. When neither parses, the complaint of the parser the
/// text looks written for.
fn read(text: &str) -> Result<(Top, Format), OpenApiError> {
    let json_error = match serde_json::from_str::<Top>(text) {
        Ok(top) => return Ok((top, Format::Json)),
        Err(err) => err,
    };
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 200_000;
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_nodes: 250_000,
            max_total_scalar_bytes: 8 * 1024 * 1024,
        },
        alias_limits: alias_limits,
    };
    match serde_saphyr::from_str_with_options::<Top>(text, options) {
        Ok(top) => Ok((top, Format::Yaml)),
        Err(yaml_error) => {
            let looks_like_json = text.trim_start().starts_with(['{', '[']);
            let line = if looks_like_json {
                Some(json_error.line() as u64).filter(|line| *line > 0)
            } else {
                yaml_error.location().map(|location| location.line())
            };
            Err(OpenApiError::Syntax { line })
        }
    }
}

fn check_version(top: &TopMapping) -> Result<String, OpenApiError> {
    match (&top.openapi, &top.swagger) {
        (Some(Scalar::Text(version)), _) => {
            let mut parts = version.trim().split('.');
            let supported = parts.next() == Some("3")
                && matches!(parts.next(), Some("0" | "1"))
                && parts.next().is_some_and(|patch| {
                    !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit())
                })
                && parts.next().is_none();
            if supported {
                Ok(version.trim().to_owned())
            } else {
                Err(OpenApiError::UnsupportedVersion {
                    found: format!("openapi {}", shorten(version)),
                })
            }
        }
        (Some(_), _) => Err(OpenApiError::NoVersion),
        (None, Some(Scalar::Text(version))) if version.trim() == "2.0" => Ok("2.0".to_owned()),
        (None, Some(Scalar::Text(version))) => Err(OpenApiError::UnsupportedVersion {
            found: format!("swagger {}", shorten(version)),
        }),
        (None, _) => Err(OpenApiError::NoVersion),
    }
}

/// A value quoted back in a message: short, on one line.
fn shorten(value: &str) -> String {
    let one_line: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut short: String = one_line.trim().chars().take(20).collect();
    if one_line.trim().chars().count() > 20 {
        short.push('…');
    }
    short
}

/// The format of a stored (already accepted) document, for its download.
pub fn format_of(text: &str) -> Format {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if serde_json::from_str::<IgnoredAny>(body).is_ok() {
        Format::Json
    } else {
        Format::Yaml
    }
}

/// The base name of an uploaded file, safe to store and to send back in a header: no folders,
/// no control characters or quotes, at most 100 characters; `openapi.<ext>` when nothing is left.
pub fn sanitize_filename(name: &str, format: Format) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    let mut kept: String = trimmed.chars().take(MAX_FILENAME_CHARS).collect();
    kept = kept.trim().to_owned();
    if kept.is_empty() || kept.chars().all(|c| c == '_') {
        format!("openapi.{}", format.extension())
    } else {
        kept
    }
}

// ---------------------------------------------------------------------------------------------
// One pass over the document: only the parts the catalog needs are kept.

/// A scalar the checks look at: text, or anything else.
enum Scalar {
    Text(String),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// A mapping key as text: strings as they are, numbers and booleans spelt out (`200:` in YAML),
/// `None` for anything else.
struct Key(Option<String>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key(Some(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(Key(Some(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
        Ok(Key(Some(v.to_string())))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Key, E> {
        Ok(Key(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        Key::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Key(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Key(None))
    }
}

/// Implements `Deserialize` for a type read from a mapping, where any other value gives
/// `$other`: the visitor's `visit_map` does the work.
macro_rules! mapping_or {
    ($type:ty, $visitor:ident, $other:expr, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor)
            }
        }

        impl<'de> Visitor<'de> for $visitor {
            type Value = $type;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str($expecting)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$type, A::Error> {
                self.mapping(map)
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_i128<E: de::Error>(self, _: i128) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_u128<E: de::Error>(self, _: u128) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_unit<E: de::Error>(self) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_none<E: de::Error>(self) -> Result<$type, E> {
                Ok($other)
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<$type, D::Error> {
                <$type>::deserialize(deserializer)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$type, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok($other)
            }
        }
    };
}

/// The top level of a document.
enum Top {
    Mapping(TopMapping),
    Other,
}

#[derive(Default)]
struct TopMapping {
    openapi: Option<Scalar>,
    swagger: Option<Scalar>,
    info: Option<Info>,
    paths: Option<Paths>,
}

struct TopVisitor;

impl TopVisitor {
    fn mapping<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = TopMapping::default();
        while let Some(Key(key)) = map.next_key()? {
            match key.as_deref() {
                Some("openapi") => top.openapi = Some(map.next_value()?),
                Some("swagger") => top.swagger = Some(map.next_value()?),
                Some("info") => top.info = Some(map.next_value()?),
                Some("paths") => top.paths = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Top::Mapping(top))
    }
}

mapping_or!(Top, TopVisitor, Top::Other, "an OpenAPI document");

enum Info {
    Mapping {
        title: Option<Scalar>,
        version: Option<Scalar>,
    },
    Other,
}

struct InfoVisitor;

impl InfoVisitor {
    fn mapping<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Info, A::Error> {
        let (mut title, mut version) = (None, None);
        while let Some(Key(key)) = map.next_key()? {
            match key.as_deref() {
                Some("title") => title = Some(map.next_value()?),
                Some("version") => version = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Info::Mapping { title, version })
    }
}

mapping_or!(Info, InfoVisitor, Info::Other, "the info object");

/// `paths`: each path with its operations, in document order.
enum Paths {
    Mapping(Vec<PathEntry>),
    Other,
}

struct PathEntry {
    /// `None` when the key is not text.
    path: Option<String>,
    /// `None` when the path item is not a mapping.
    operations: Option<Vec<(&'static str, Option<OperationFields>)>>,
}

struct PathsVisitor;

impl PathsVisitor {
    fn mapping<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Paths, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(path)) = map.next_key()? {
            let item: PathItem = map.next_value()?;
            entries.push(PathEntry {
                path,
                operations: match item {
                    PathItem::Mapping(operations) => Some(operations),
                    PathItem::Other => None,
                },
            });
        }
        Ok(Paths::Mapping(entries))
    }
}

mapping_or!(Paths, PathsVisitor, Paths::Other, "the paths object");

enum PathItem {
    /// Each method with its operation (`None` when the operation is not a mapping).
    Mapping(Vec<(&'static str, Option<OperationFields>)>),
    Other,
}

struct PathItemVisitor;

impl PathItemVisitor {
    fn mapping<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<PathItem, A::Error> {
        let mut operations = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let method = key
                .as_deref()
                .and_then(|key| METHODS.into_iter().find(|method| *method == key));
            match method {
                Some(method) => {
                    let operation = match map.next_value::<Operation>()? {
                        Operation::Mapping(fields) => Some(fields),
                        Operation::Other => None,
                    };
                    operations.push((method, operation));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(PathItem::Mapping(operations))
    }
}

mapping_or!(PathItem, PathItemVisitor, PathItem::Other, "a path item");

#[derive(Default)]
struct OperationFields {
    summary: Option<String>,
    operation_id: Option<String>,
}

enum Operation {
    Mapping(OperationFields),
    Other,
}

struct OperationVisitor;

impl OperationVisitor {
    fn mapping<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Operation, A::Error> {
        let mut fields = OperationFields::default();
        while let Some(Key(key)) = map.next_key()? {
            let text = |scalar: Scalar| match scalar {
                Scalar::Text(text) => Some(text),
                Scalar::Other => None,
            };
            match key.as_deref() {
                Some("summary") => fields.summary = text(map.next_value()?),
                Some("operationId") => fields.operation_id = text(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Operation::Mapping(fields))
    }
}

mapping_or!(
    Operation,
    OperationVisitor,
    Operation::Other,
    "an operation"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str, summary: &str) -> ApiOperation {
        ApiOperation {
            method: method.to_owned(),
            path: path.to_owned(),
            summary: summary.to_owned(),
        }
    }

    const PETSTORE_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Pet Store", "version": "1.0.0", "description": "Pets"},
  "servers": [{"url": "https://pets.example.com/v1"}],
  "paths": {
    "/pets": {
      "parameters": [{"name": "limit", "in": "query"}],
      "post": {"summary": "Add a pet", "operationId": "addPet"},
      "get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}
    },
    "/pets/{id}": {
      "summary": "One pet",
      "delete": {"responses": {}},
      "get": {"summary": "Show a pet"}
    }
  },
  "components": {"schemas": {"Pet": {"type": "object"}}}
}"#;

    const PETSTORE_YAML: &str = "\
openapi: 3.1.0
info:
  title: Pet Store
  version: '2.1'
paths:
  /pets:
    get:
      summary: List pets
      responses:
        200:
          description: ok
    patch:
      operationId: patchPets
  /pets/{id}:
    $ref: '#/components/pathItems/pet'
    trace: {}
components:
  pathItems:
    pet: {}
";

    #[test]
    fn reads_json_in_document_order() {
        let document = parse(PETSTORE_JSON.as_bytes()).unwrap();
        assert_eq!(document.format, Format::Json);
        assert_eq!(document.spec_version, "3.0.3");
        assert_eq!(document.title, "Pet Store");
        assert_eq!(document.version, "1.0.0");
        assert_eq!(
            document.operations,
            vec![
                op("POST", "/pets", "Add a pet"),
                op("GET", "/pets", "listPets"),
                op("DELETE", "/pets/{id}", ""),
                op("GET", "/pets/{id}", "Show a pet"),
            ]
        );
        assert_eq!(document.text, PETSTORE_JSON, "the text is kept as uploaded");
    }

    #[test]
    fn reads_yaml_in_document_order() {
        let document = parse(PETSTORE_YAML.as_bytes()).unwrap();
        assert_eq!(document.format, Format::Yaml);
        assert_eq!(document.spec_version, "3.1.0");
        assert_eq!(document.version, "2.1");
        assert_eq!(
            document.operations,
            vec![
                op("GET", "/pets", "List pets"),
                op("PATCH", "/pets", "patchPets"),
                op("TRACE", "/pets/{id}", ""),
            ]
        );
    }

    #[test]
    fn reads_swagger_2() {
        let yaml = "swagger: \"2.0\"\ninfo:\n  title: Old\n  version: v1\nbasePath: /v1\npaths:\n  /things:\n    head:\n      summary: '  Check  '\n    options: {operationId: opts}\n";
        let document = parse(yaml.as_bytes()).unwrap();
        assert_eq!(document.spec_version, "2.0");
        assert_eq!(
            document.operations,
            vec![
                op("HEAD", "/things", "Check"),
                op("OPTIONS", "/things", "opts")
            ]
        );
        let json = r#"{"swagger":"2.0","info":{"title":"T","version":"1"},"paths":{}}"#;
        let document = parse(json.as_bytes()).unwrap();
        assert_eq!(document.format, Format::Json);
        assert!(document.operations.is_empty());
    }

    #[test]
    fn a_byte_order_mark_is_allowed() {
        let text = format!("\u{feff}{PETSTORE_JSON}");
        let document = parse(text.as_bytes()).unwrap();
        assert_eq!(document.format, Format::Json);
        assert_eq!(document.operations.len(), 4);
    }

    #[test]
    fn refuses_what_is_not_a_document() {
        assert_eq!(parse(b""), Err(OpenApiError::Empty));
        assert_eq!(parse(b"  \n "), Err(OpenApiError::Empty));
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(OpenApiError::NotText));
        assert_eq!(parse(b"openapi: 3.0.0\0"), Err(OpenApiError::NotText));
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(parse(&big), Err(OpenApiError::TooLarge));
        assert_eq!(parse(b"just words"), Err(OpenApiError::NotMapping));
        assert_eq!(parse(b"[1, 2]"), Err(OpenApiError::NotMapping));
        assert_eq!(parse(b"- a\n- b\n"), Err(OpenApiError::NotMapping));
    }

    #[test]
    fn syntax_errors_give_their_line() {
        let json =
            "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"x\"\n  \"paths\": {}\n}";
        match parse(json.as_bytes()) {
            Err(OpenApiError::Syntax { line: Some(line) }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
        let yaml = "openapi: 3.0.0\ninfo:\n  title: x\n  version: 1\npaths:\n  /a: [unclosed\n";
        match parse(yaml.as_bytes()) {
            Err(OpenApiError::Syntax { line: Some(line) }) => {
                assert!((6..=7).contains(&line), "{line}")
            }
            other => panic!("{other:?}"),
        }
        let duplicate = "openapi: 3.0.0\nopenapi: 3.1.0\n";
        assert!(matches!(
            parse(duplicate.as_bytes()),
            Err(OpenApiError::Syntax { .. })
        ));
    }

    #[test]
    fn refuses_missing_or_unknown_versions() {
        let missing = "info: {title: x, version: '1'}\npaths: {}\n";
        assert_eq!(parse(missing.as_bytes()), Err(OpenApiError::NoVersion));
        let number = "openapi: 3.1\ninfo: {title: x, version: '1'}\npaths: {}\n";
        assert_eq!(parse(number.as_bytes()), Err(OpenApiError::NoVersion));
        for (text, found) in [
            ("openapi: 4.0.0", "openapi 4.0.0"),
            ("openapi: 3.2.0", "openapi 3.2.0"),
            ("openapi: '3.0'", "openapi 3.0"),
            ("openapi: 3.0.x", "openapi 3.0.x"),
            ("swagger: '1.2'", "swagger 1.2"),
        ] {
            let document = format!("{text}\ninfo: {{title: x, version: '1'}}\npaths: {{}}\n");
            assert_eq!(
                parse(document.as_bytes()),
                Err(OpenApiError::UnsupportedVersion {
                    found: found.to_owned()
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_missing_info() {
        for info in [
            "",
            "info: text\n",
            "info: {title: x}\n",
            "info: {version: '1'}\n",
            "info: {title: [x], version: '1'}\n",
            "info: {title: x, version: 1}\n",
        ] {
            let document = format!("openapi: 3.0.0\n{info}paths: {{}}\n");
            assert_eq!(
                parse(document.as_bytes()),
                Err(OpenApiError::NoInfo),
                "{info}"
            );
        }
    }

    #[test]
    fn refuses_missing_or_invalid_paths() {
        let head = "openapi: 3.0.0\ninfo: {title: x, version: '1'}\n";
        for paths in ["", "paths: []\n", "paths: text\n", "paths:\n"] {
            let document = format!("{head}{paths}");
            assert_eq!(
                parse(document.as_bytes()),
                Err(OpenApiError::NoPaths),
                "{paths:?}"
            );
        }
        for (paths, path) in [
            ("paths:\n  pets: {}\n", "pets"),
            ("paths:\n  /pets: []\n", "/pets"),
            ("paths:\n  /pets:\n", "/pets"),
            ("paths:\n  /pets:\n    get: yes\n", "/pets"),
            ("paths:\n  200: {}\n", "200"),
        ] {
            let document = format!("{head}{paths}");
            assert_eq!(
                parse(document.as_bytes()),
                Err(OpenApiError::InvalidPath {
                    path: path.to_owned()
                }),
                "{paths:?}"
            );
        }
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            bomb.push_str(&format!(
                "{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
            ));
        }
        assert!(matches!(
            parse(bomb.as_bytes()),
            Err(OpenApiError::Syntax { .. })
        ));
    }

    #[test]
    fn format_of_stored_documents() {
        assert_eq!(format_of(PETSTORE_JSON), Format::Json);
        assert_eq!(format_of(PETSTORE_YAML), Format::Yaml);
    }

    #[test]
    fn file_names_are_base_names_without_surprises() {
        assert_eq!(
            sanitize_filename("petstore.yaml", Format::Yaml),
            "petstore.yaml"
        );
        assert_eq!(
            sanitize_filename("C:\\Users\\ada\\api v2.json", Format::Json),
            "api v2.json"
        );
        assert_eq!(
            sanitize_filename("../../etc/passwd", Format::Yaml),
            "passwd"
        );
        assert_eq!(
            sanitize_filename("we\"ird;\r\nname.json", Format::Json),
            "we_ird___name.json"
        );
        assert_eq!(sanitize_filename("", Format::Json), "openapi.json");
        assert_eq!(sanitize_filename("..", Format::Yaml), "openapi.yaml");
        assert_eq!(sanitize_filename("ação.yaml", Format::Yaml), "ação.yaml");
        let long = format!("{}.json", "a".repeat(200));
        assert_eq!(sanitize_filename(&long, Format::Json).chars().count(), 100);
    }
}
