//! A small JSON reader and writer for the documents the console reads and writes: the saved
//! state, the server's snapshot, journal and answers, and the commands it sends. They read and
//! write exactly what this crate's serde derives do (serde is what the server uses):
//! `domain/tests/json.rs` checks that every command, answer and state is written byte for byte as
//! serde writes it and reads back equal, and, over every prefix and single-character damage of
//! such documents, that the reader accepts and refuses what serde's reader does.
//!
//! Forms serde's reader also takes but nothing writes are refused (a struct as an array, a unit
//! variant as `{"name": null}`, a date in a looser form than RFC 3339); a member written twice is
//! read from its first occurrence, where serde refuses the object.
//!
//! Why not serde in the browser: its generated code for every type was about 62 KB of the browser
//! build's 326 KB (brotli), more than any other part. This is a parser and a writer of under 800
//! lines plus one short declaration per type (`json_struct!`, `json_names!`, `json_text!`), next
//! to the type.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A parsed JSON value; strings without escapes and numbers borrow from the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (read as the type that needs it).
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in the order written.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Why a document could not be read: what was wrong, and where (a byte position for text that is
/// not JSON, the path of fields for JSON that does not fit the type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(Box<Why>);

/// Kept behind one pointer: a `Result` of every type read stays as small as the type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Why {
    path: Vec<String>,
    message: String,
}

impl JsonError {
    /// An error about the value itself (the caller adds where it is).
    pub fn new(message: impl Into<String>) -> Self {
        JsonError(Box::new(Why {
            path: Vec::new(),
            message: message.into(),
        }))
    }

    fn within(mut self, key: &str) -> Self {
        self.0.path.push(key.to_owned());
        self
    }

    fn unknown(variant: &str) -> Self {
        JsonError::new(format!("unknown value `{variant}`"))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Why { path, message } = &*self.0;
        if !path.is_empty() {
            for (i, key) in path.iter().rev().enumerate() {
                f.write_str(if i == 0 { "" } else { "." })?;
                f.write_str(key)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(message)
    }
}

impl std::error::Error for JsonError {}

/// Nesting deeper than this is refused rather than risking the stack (the deepest document, the
/// server's snapshot, nests 10 deep: snapshot, state, catalog, offers, offer, plans, …).
const MAX_DEPTH: u32 = 64;

/// Parses `text` as one JSON value.
pub fn parse(text: &str) -> Result<Json<'_>, JsonError> {
    let mut parser = Parser {
        text,
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_space();
    if parser.at < text.len() {
        return Err(parser.error("unexpected text after the document"));
    }
    Ok(value)
}

/// Reads `text` as a `T`.
pub fn read<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json(&parse(text)?)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> JsonError {
        JsonError::new(format!("{what} at byte {}", self.at))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips space, then takes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", char::from(byte))))
        }
    }

    fn value(&mut self) -> Result<Json<'a>, JsonError> {
        self.skip_space();
        match self.peek() {
            Some(b'{') => self
                .nested(b'}', |p| {
                    let key = p.string()?;
                    p.expect(b':')?;
                    Ok((key, p.value()?))
                })
                .map(Json::Object),
            Some(b'[') => self.nested(b']', Parser::value).map(Json::Array),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("the document ends early")),
        }
    }

    /// The items of an array or object after its opening byte, up to `close`.
    fn nested<T>(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.at += 1;
        let mut items = Vec::new();
        if !self.eat(close) {
            loop {
                items.push(item(self)?);
                if self.eat(close) {
                    break;
                }
                self.expect(b',')?;
            }
        }
        self.depth -= 1;
        Ok(items)
    }

    fn word(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, JsonError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number as JSON writes it: `-`, no leading zeros, optional fraction and exponent.
    fn number(&mut self) -> Result<Json<'a>, JsonError> {
        let start = self.at;
        self.at += usize::from(self.peek() == Some(b'-'));
        let first = self.at;
        let whole = self.digits();
        if whole == 0 || (whole > 1 && self.text.as_bytes()[first] == b'0') {
            return Err(self.error("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(Json::Number(&self.text[start..self.at]))
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.skip_space();
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string"));
        }
        self.at += 1;
        let start = self.at;
        self.plain();
        if self.peek() == Some(b'"') {
            self.at += 1;
            return Ok(Cow::Borrowed(&self.text[start..self.at - 1]));
        }
        self.string_rest(self.text[start..self.at].to_owned())
            .map(Cow::Owned)
    }

    /// Skips the characters of a string that need no unescaping.
    fn plain(&mut self) {
        while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
            self.at += 1;
        }
    }

    /// The rest of a string that needs unescaping: `text` holds what came before.
    fn string_rest(&mut self, mut text: String) -> Result<String, JsonError> {
        loop {
            let start = self.at;
            self.plain();
            text.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.at += 1;
                    text.push(self.escape()?);
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("the document ends inside a string")),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let byte = self.peek();
        self.at += 1;
        Ok(match byte {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    if !self.text[self.at..].starts_with("\\u") {
                        return Err(self.error("unpaired surrogate in a string"));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("unpaired surrogate in a string"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                char::from_u32(code).ok_or_else(|| self.error("unpaired surrogate in a string"))?
            }
            _ => return Err(self.error("invalid escape in a string")),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.at..self.at + 4);
        let code = digits
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("invalid escape in a string"))?;
        self.at += 4;
        Ok(code)
    }
}

impl<'a> Json<'a> {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    fn expected(&self, what: &str) -> JsonError {
        JsonError::new(format!("expected {what}, found {}", self.kind()))
    }

    /// The string this is.
    pub fn as_str(&self) -> Result<&str, JsonError> {
        match self {
            Json::String(text) => Ok(text),
            other => Err(other.expected("a string")),
        }
    }

    /// The members of the object this is.
    pub fn fields(&self) -> Result<Fields<'_, 'a>, JsonError> {
        match self {
            Json::Object(members) => Ok(Fields(members)),
            other => Err(other.expected("an object")),
        }
    }

    /// A value of an enum as serde writes it by default: a unit variant as its name, any other
    /// as an object with one member, the variant's name, holding its content.
    pub fn variant(&self) -> Result<(&str, Option<&Json<'a>>), JsonError> {
        match self {
            Json::String(name) => Ok((name, None)),
            Json::Object(members) if members.len() == 1 => Ok((&members[0].0, Some(&members[0].1))),
            other => Err(other.expected("a variant name or an object with one member")),
        }
    }
}

/// The members of an object, read by name.
pub struct Fields<'j, 'a>(&'j [(Cow<'a, str>, Json<'a>)]);

impl Fields<'_, '_> {
    /// The member `key` read as a `T`; a missing member is an error unless `T` is an `Option`.
    pub fn get<T: FromJson>(&self, key: &str) -> Result<T, JsonError> {
        match self.find(key) {
            Some(value) => T::from_json(value).map_err(|e| e.within(key)),
            None => T::missing().ok_or_else(|| missing(key)),
        }
    }

    fn find(&self, key: &str) -> Option<&Json<'_>> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value)
    }
}

fn missing(key: &str) -> JsonError {
    JsonError::new(format!("missing field `{key}`"))
}

/// A type read from JSON the way its serde derive writes it.
pub trait FromJson: Sized {
    /// Reads the value.
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError>;

    /// The value of a missing member, if the type has one (serde reads a missing `Option` as
    /// `None`).
    fn missing() -> Option<Self> {
        None
    }
}

/// Reads an enum that serde writes by default: `unit` for a unit variant, `data` with the
/// variant's content for the others; either answers `None` for a name it does not know.
pub fn read_variant<T>(
    json: &Json<'_>,
    unit: impl FnOnce(&str) -> Option<T>,
    data: impl FnOnce(&str, &Json<'_>) -> Option<Result<T, JsonError>>,
) -> Result<T, JsonError> {
    let (name, value) = json.variant()?;
    let read = match value {
        None => unit(name).map(Ok),
        Some(value) => data(name, value).map(|r| r.map_err(|e| e.within(name))),
    };
    read.unwrap_or_else(|| Err(JsonError::unknown(name)))
}

/// Reads a unit-only enum from its name.
pub fn read_name<T>(
    json: &Json<'_>,
    named: impl FnOnce(&str) -> Option<T>,
) -> Result<T, JsonError> {
    let name = json.as_str()?;
    named(name).ok_or_else(|| JsonError::unknown(name))
}

impl FromJson for bool {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        match json {
            Json::Bool(b) => Ok(*b),
            other => Err(other.expected("a boolean")),
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
                match json {
                    Json::Number(text) => text.parse().map_err(|_| {
                        JsonError::new(format!(
                            concat!("`{}` is not a whole number in the range of ", stringify!($t)),
                            text
                        ))
                    }),
                    other => Err(other.expected("a number")),
                }
            }
        }
    )*};
}

integers!(u32, u64, i64, usize);

impl FromJson for String {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        json.as_str().map(str::to_owned)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        match json {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        match json {
            Json::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(T::from_json(item).map_err(|e| e.within(&i.to_string()))?);
                }
                Ok(list)
            }
            other => Err(other.expected("an array")),
        }
    }
}

impl<K: FromJson + Ord, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        // Inserted one by one: collecting would sort, and a sort is much more code.
        let mut map = BTreeMap::new();
        for (key, value) in json.fields()?.0 {
            let at = |e: JsonError| e.within(key);
            let k = K::from_json(&Json::String(Cow::Borrowed(key))).map_err(at)?;
            map.insert(k, V::from_json(value).map_err(at)?);
        }
        Ok(map)
    }
}

impl FromJson for crate::time::Timestamp {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        let text = json.as_str()?;
        // Strict RFC 3339, as serde writes it (serde's own reader also takes looser forms, such as
        // a year padded with a space).
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|at| at.to_utc())
            .map_err(|_| JsonError::new(format!("`{text}` is not a date and time")))
    }
}

/// `FromJson` and `ToJson` for types serde reads and writes as a string through `TryFrom<String>`
/// and `Into<String>`.
macro_rules! json_text {
    ($($t:ty),*) => {$(
        impl $crate::json::FromJson for $t {
            fn from_json(
                json: &$crate::json::Json<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                <$t>::try_from(json.as_str()?.to_owned())
                    .map_err(|e| $crate::json::JsonError::new(e.to_string()))
            }
        }

        impl $crate::json::ToJson for $t {
            fn write_json(&self, out: &mut String) {
                String::from(self.clone()).write_json(out);
            }
        }
    )*};
}

pub(crate) use json_text;

/// `FromJson` and `ToJson` for a struct, as its serde derive reads and writes it: an object with
/// the given member for each field, in the order of the fields.
#[macro_export]
macro_rules! json_struct {
    ($t:ident { $($field:ident: $key:literal),* $(,)? }) => {
        impl $crate::json::FromJson for $t {
            // Kept out of line: smaller than inlining the members' error paths into every caller.
            #[inline(never)]
            fn from_json(
                json: &$crate::json::Json<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                let f = json.fields()?;
                Ok($t { $($field: f.get($key)?),* })
            }
        }

        impl $crate::json::ToJson for $t {
            fn write_json(&self, out: &mut String) {
                let mut object = $crate::json::Object::new(out);
                $(object.member($key, &self.$field);)*
                object.end();
            }
        }
    };
}

pub use json_struct;

/// `FromJson` and `ToJson` for an enum of unit variants, as the names serde writes: the variants'
/// own names, or the ones given.
macro_rules! json_names {
    ($t:ident: $($variant:ident),* $(,)?) => {
        $crate::json::json_names!($t { $($variant = stringify!($variant)),* });
    };
    ($t:ident { $($variant:ident = $name:expr),* $(,)? }) => {
        impl $crate::json::FromJson for $t {
            fn from_json(
                json: &$crate::json::Json<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                $crate::json::read_name(json, |name| {
                    [$(($name, $t::$variant)),*]
                        .into_iter()
                        .find_map(|(n, v)| (n == name).then_some(v))
                })
            }
        }

        impl $crate::json::ToJson for $t {
            fn write_json(&self, out: &mut String) {
                $crate::json::write_str(
                    out,
                    match self {
                        $($t::$variant => $name,)*
                    },
                );
            }
        }
    };
}

pub(crate) use json_names;

/// A type written as JSON the way its serde derive writes it (compact, members in field order).
pub trait ToJson {
    /// Appends the value to `out`.
    fn write_json(&self, out: &mut String);
}

/// `value` as JSON text.
pub fn write<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Appends `text` as a JSON string, escaped as serde writes it.
pub fn write_str(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// An object being written: its members, then [`Object::end`].
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    /// Starts an object.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    /// Writes the member `key`.
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// Ends the object.
    pub fn end(self) {
        self.out.push('}');
    }
}

/// Writes a variant of an enum with content as serde does: `{"name":content}`.
pub fn write_variant<T: ToJson + ?Sized>(out: &mut String, name: &str, content: &T) {
    let mut object = Object::new(out);
    object.member(name, content);
    object.end();
}

/// Writes a variant of an enum with named fields as serde does: `{"name":{members}}`.
pub fn write_struct_variant(out: &mut String, name: &str, members: impl FnOnce(&mut Object<'_>)) {
    out.push('{');
    write_str(out, name);
    out.push(':');
    let mut object = Object::new(out);
    members(&mut object);
    object.end();
    out.push('}');
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! write_integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

write_integers!(u32, u64, i64, usize);

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<K: fmt::Display, V: ToJson> ToJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::new(out);
        for (key, value) in self {
            object.member(&key.to_string(), value);
        }
        object.end();
    }
}

impl ToJson for crate::time::Timestamp {
    fn write_json(&self, out: &mut String) {
        write_str(
            out,
            &self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_numbers_and_nesting_parse() {
        let doc =
            parse(r#" {"a": [1, -2.5e3, true, null], "b\n": "x\"\u00e9\ud83d\ude00y"} "#).unwrap();
        let f = doc.fields().unwrap();
        assert_eq!(f.get::<String>("b\n").unwrap(), "x\"é😀y");
        assert_eq!(
            f.get::<Vec<Option<u64>>>("missing")
                .unwrap_err()
                .to_string(),
            "missing field `missing`"
        );
        assert_eq!(f.get::<Option<u64>>("missing").unwrap(), None);
        let Json::Object(members) = &doc else {
            panic!()
        };
        assert_eq!(
            members[0].1,
            Json::Array(vec![
                Json::Number("1"),
                Json::Number("-2.5e3"),
                Json::Bool(true),
                Json::Null
            ])
        );
    }

    #[test]
    fn malformed_text_is_refused_with_where() {
        for (text, message) in [
            ("", "the document ends early at byte 0"),
            ("[1,]", "expected a value at byte 3"),
            ("01", "invalid number at byte 2"),
            ("1.", "invalid number at byte 2"),
            ("{\"a\" 1}", "expected `:` at byte 5"),
            ("\"a\u{1}\"", "control character in a string at byte 2"),
            ("\"\\ud800x\"", "unpaired surrogate in a string at byte 7"),
            ("[1] 2", "unexpected text after the document at byte 4"),
            ("nul", "expected a value at byte 0"),
        ] {
            assert_eq!(parse(text).unwrap_err().to_string(), message, "{text}");
        }
        let deep = "[".repeat(100);
        assert!(
            parse(&deep)
                .unwrap_err()
                .to_string()
                .starts_with("nesting too deep")
        );
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_the_path() {
        let doc = parse(r#"{"lines": [{"n": 1}, {"n": "x"}]}"#).unwrap();
        #[derive(Debug)]
        struct Line(#[allow(dead_code)] u32);
        impl FromJson for Line {
            fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
                Ok(Line(json.fields()?.get("n")?))
            }
        }
        let error = doc.fields().unwrap().get::<Vec<Line>>("lines").unwrap_err();
        assert_eq!(
            error.to_string(),
            "lines.1.n: expected a number, found a string"
        );
        assert_eq!(
            read::<u32>("4294967296").unwrap_err().to_string(),
            "`4294967296` is not a whole number in the range of u32"
        );
    }
}
