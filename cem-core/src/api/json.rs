//! Reading serialized inputs (options, estimates, tallies, counts) from a JSON value, noting the path of
//! the value at fault (`scale[1]`, `against.value`), so an error names the key the caller wrote.
//!
//! Every input is read as a [`Value`] first — JSON text is parsed once by [`parse`], Python's dicts arrive
//! converted — and then by serde's derived readers through [`At`], a deserializer of a `&Value` that
//! keeps the path of the entry being read. This is what `serde_path_to_error` did, for the one deserializer
//! cem reads from: it wraps no visitor (it hands each reader its own map and sequence accessors), so it
//! adds little code per type read, which matters in the .wasm (19 KB smaller than `serde_path_to_error`
//! around serde_json's text reader, whose per-type readers it also makes unnecessary).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, value::BorrowedStrDeserializer, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Error, Map, Value};

/// One step into a value: a key of a map or an index of a sequence.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps to the entry being read; after an error, the steps to the entry at fault.
#[derive(Default)]
pub(crate) struct Path<'a>(RefCell<Vec<Step<'a>>>);

impl Path<'_> {
    /// No step taken: the error concerns the input as a whole.
    pub(crate) fn is_root(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// `.` for the root, else keys joined by `.` and indexes as `[i]` (`against.value`, `scale[1]`).
impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let steps = self.0.borrow();
        if steps.is_empty() {
            return f.write_str(".");
        }
        for (i, step) in steps.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl<'a> Path<'a> {
    /// Reads with `step` noted; the step stays noted if reading fails.
    fn within<T>(&self, step: Step<'a>, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        self.enter(step);
        let value = read()?;
        self.leave();
        Ok(value)
    }

    // Not inlined: `within` is made once per type read, and these two (a `RefCell` borrow and a `Vec`
    // that may grow) would otherwise be copied into each (measured in the .wasm: docs/src/javascript.md).
    #[inline(never)]
    fn enter(&self, step: Step<'a>) {
        self.0.borrow_mut().push(step);
    }

    #[inline(never)]
    fn leave(&self) {
        self.0.borrow_mut().pop();
    }
}

/// A `&Value` to be read, with the path that led to it.
pub(crate) struct At<'p, 'a> {
    pub(crate) value: &'a Value,
    pub(crate) path: &'p Path<'a>,
}

impl<'p, 'a> At<'p, 'a> {
    fn map<V: Visitor<'a>>(m: &'a Map<String, Value>, path: &'p Path<'a>, visitor: V) -> Result<V::Value, Error> {
        let mut entries = Entries { iter: m.iter(), value: None, path };
        let read = visitor.visit_map(&mut entries)?;
        match entries.iter.len() {
            0 => Ok(read),
            _ => Err(de::Error::invalid_length(m.len(), &"fewer elements in map")),
        }
    }

    fn seq<V: Visitor<'a>>(a: &'a [Value], path: &'p Path<'a>, visitor: V) -> Result<V::Value, Error> {
        let mut items = Items { iter: a.iter().enumerate(), path };
        let read = visitor.visit_seq(&mut items)?;
        match items.iter.len() {
            0 => Ok(read),
            _ => Err(de::Error::invalid_length(a.len(), &"fewer elements in array")),
        }
    }
}

/// Scalars as `&Value` reads them (same messages as from any other JSON value).
macro_rules! scalars {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            self.value.$method(visitor)
        }
    )*};
}

impl<'a> Deserializer<'a> for At<'_, 'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => At::map(m, self.path, visitor),
            Value::Array(a) => At::seq(a, self.path, visitor),
            v => v.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => At::map(m, self.path, visitor),
            v => v.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => At::map(m, self.path, visitor),
            Value::Array(a) => At::seq(a, self.path, visitor),
            v => v.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(a) => At::seq(a, self.path, visitor),
            v => v.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.value.deserialize_unit_struct(name, visitor)
    }

    scalars!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_identifier
    );
}

/// A map's entries, each key noted while it and its value are read.
struct Entries<'p, 'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<(&'a str, &'a Value)>,
    path: &'p Path<'a>,
}

impl<'a> MapAccess<'a> for Entries<'_, 'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else { return Ok(None) };
        self.value = Some((key, value));
        self.path.within(Step::Key(key), || seed.deserialize(BorrowedStrDeserializer::new(key))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self.value.take().ok_or_else(|| de::Error::custom("value is missing"))?;
        self.path.within(Step::Key(key), || seed.deserialize(At { value, path: self.path }))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A sequence's items, each index noted while its item is read.
struct Items<'p, 'a> {
    iter: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p Path<'a>,
}

impl<'a> SeqAccess<'a> for Items<'_, 'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((i, value)) = self.iter.next() else { return Ok(None) };
        self.path.within(Step::Index(i), || seed.deserialize(At { value, path: self.path })).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// JSON text as a value, refusing a key given twice in one object (as serde's readers of records do,
/// and a map would not: the last would silently win).
pub(crate) fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str::<Strict>(text).map(|s| s.0)
}

struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(v) = map.next_value()?;
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            entries.insert(key, v);
        }
        Ok(Value::Object(entries))
    }
}

/// A value as compact JSON text, as its `Display` writes it (`{}`), through the writer that writes every
/// result: `Display` goes through an `io::Write` adapter that brings in io errors' messages and the
/// pretty printer (883 bytes of the lean .wasm, docs/src/javascript.md).
pub(crate) fn text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
