//! Enumerated vocabularies — interval methods, tests, corrections, alternatives, missing policies, metric
//! kinds — each declared once, here or beside its type, by [`vocabulary!`](crate::vocabulary).
//!
//! A declaration gives the names as options and JSON spell them, the aliases accepted when parsing
//! (statsmodels' and scipy's spellings), `FromStr` and serde by name, and the "use one of …" message.
//! [`vocabularies`](crate::vocabularies) (in `api`, the one place that sees every room) lists them all: the Python `Literal` aliases and the TypeScript unions are generated
//! from it, and a test fails when the generated files drift (`cem-core/tests/vocabulary.rs`).

/// One enumerated vocabulary, as the generated Python and TypeScript types spell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    /// The type's name in Python and TypeScript (`Method`, `Correction`, …).
    pub name: &'static str,
    /// The canonical names, in documentation order.
    pub names: Vec<&'static str>,
    /// Other spellings accepted when parsing (e.g. `fdr_bh` for `benjamini_hochberg`).
    pub aliases: Vec<&'static str>,
}

/// "use one of a, b, c", for a vocabulary's parse error.
pub(crate) fn use_one_of(names: &[&str]) -> String {
    format!("use one of {}", names.join(", "))
}

/// Declares an enumerated vocabulary: the enum, its names and aliases, `name()`, `ALL`, `FromStr` (an
/// `invalid_parameter` error naming `$key`), `Display`, and serde by name.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $Name:ident as $key:literal {
            $( $(#[$vmeta:meta])* $Variant:ident = $name:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $Name { $( $(#[$vmeta])* $Variant ),+ }

        impl $Name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$Name] = &[$($Name::$Variant),+];

            /// The name as written in options and JSON.
            pub fn name(self) -> &'static str {
                match self { $($Name::$Variant => $name),+ }
            }

            /// Parses a name or an accepted alias; the error names the option `key`.
            pub fn parse_as(key: &str, s: &str) -> crate::error::Result<Self> {
                match s {
                    $($name $(| $alias)* => Ok($Name::$Variant),)+
                    _ => Err(crate::error::CemError::param(
                        key, s, &crate::vocabulary::use_one_of(&[$($name),+]),
                    )),
                }
            }

            /// This vocabulary's names and aliases.
            pub fn vocabulary() -> crate::vocabulary::Vocabulary {
                crate::vocabulary::Vocabulary {
                    name: stringify!($Name),
                    names: vec![$($name),+],
                    aliases: vec![$($($alias,)*)+],
                }
            }
        }

        impl std::str::FromStr for $Name {
            type Err = crate::error::CemError;
            fn from_str(s: &str) -> crate::error::Result<Self> {
                $Name::parse_as($key, s)
            }
        }

        impl std::fmt::Display for $Name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl serde::Serialize for $Name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $Name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $Name::parse_as($key, &s).map_err(|_| {
                    serde::de::Error::custom(format!(
                        "unknown {} \"{}\": {}", $key, s, crate::vocabulary::use_one_of(&[$($name),+])
                    ))
                })
            }
        }
    };
}
pub(crate) use vocabulary;
