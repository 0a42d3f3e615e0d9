//! Comments into terms, the same in every surface: case folded (Rust's `to_lowercase`, full Unicode), the
//! typographic apostrophe ’ folded to ', split into words at Unicode word boundaries (UAX #29, crate
//! `unicode-segmentation`; a word is a segment holding a letter or a digit, so punctuation, spaces and
//! emoji are dropped and "don't", "3.5" and "e-mail"'s parts stay whole as UAX #29 says), then n-grams of
//! consecutive words within one comment — never across comments.
//!
//! Stop words are removed **after** the n-grams are formed, and only an n-gram made of stop words alone
//! is dropped: "on hold" keeps both its words as a bigram ("hold" is not a stop word) while "on the" goes.
//! The English list is Snowball's, less the words that carry a customer's meaning: negations (*no*,
//! *not*, *nor*, *cannot* and every *n't* form) and intensifiers or quantities (*too*, *very*, *more*,
//! *most*, *few*, *only*, *against*).
//!
//! Not supported: scripts written without spaces between words (Chinese, Japanese, Thai…), whose words
//! UAX #29 does not find; a comment in such a script becomes runs of characters, not words. Token lists
//! (a customer's journey steps) skip all of this: each token is a word as given.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::error::{CemError, Result};

/// Snowball's English stop list (snowballstem.org, `english/stop.txt`), sorted, without the negations and
/// intensifiers a comment's meaning turns on (see the module's doc).
pub(crate) const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "let's",
    "me",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "under",
    "until",
    "up",
    "was",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "why",
    "why's",
    "with",
    "would",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// The longest n-gram counted.
pub const MAX_NGRAM: u8 = 3;

/// Which words are dropped as stop words (an n-gram only when all its words are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StopWords {
    /// Keep every word (`"none"`; Python's `None`).
    None,
    /// Snowball's English list, keeping negations and intensifiers (`"english"`, the default).
    #[default]
    English,
    /// The caller's own list, folded as comments are (lower case, ’ → '); sorted and without repeats.
    List(Vec<String>),
}

impl StopWords {
    /// The caller's list, folded, sorted and without repeats.
    ///
    /// ```
    /// use cem_core::StopWords;
    /// assert_eq!(StopWords::list(["Hi", "hi", "Thanks"]), StopWords::List(vec!["hi".into(), "thanks".into()]));
    /// ```
    pub fn list<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> StopWords {
        let list: Vec<String> = words.into_iter().map(|w| fold(w.as_ref())).collect();
        let order = crate::order::argsort(list.len(), &|a, b| list[a].cmp(&list[b]));
        let mut list = crate::order::permute(list, &order);
        list.dedup();
        StopWords::List(list)
    }

    /// Whether `word` (already folded) is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        match self {
            StopWords::None => false,
            StopWords::English => ENGLISH.binary_search(&word).is_ok(),
            StopWords::List(list) => list.binary_search_by(|w| w.as_str().cmp(word)).is_ok(),
        }
    }
}

impl Serialize for StopWords {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            StopWords::None => s.serialize_str("none"),
            StopWords::English => s.serialize_str("english"),
            StopWords::List(list) => list.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for StopWords {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        // Read as a JSON value, then matched: the same answers as an untagged enum of a name or a list,
        // without serde's buffering of untagged content (607 bytes of the lean .wasm, docs/src/javascript.md).
        let given = serde_json::Value::deserialize(d)?;
        let list =
            || -> Option<Vec<String>> { given.as_array()?.iter().map(|w| w.as_str().map(str::to_owned)).collect() };
        match given.as_str() {
            Some("none") => Ok(StopWords::None),
            Some("english") => Ok(StopWords::English),
            Some(name) => Err(serde::de::Error::custom(format!(
                "unknown stop_words \"{name}\": use \"english\", \"none\" or a list of words"
            ))),
            None => match list() {
                Some(list) => Ok(StopWords::list(list)),
                None => Err(serde::de::Error::custom("stop_words is \"english\", \"none\" or a list of words")),
            },
        }
    }
}

/// How comments become terms; a term tally records them and refuses to merge with a tally built otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenOptions {
    /// `[shortest, longest]` n-gram counted: `[1, 2]` (default) counts words and pairs of consecutive words.
    pub ngrams: [u8; 2],
    /// Stop words (default English).
    pub stop_words: StopWords,
    /// Whether the input was token lists (each token a word as given) rather than comments to split.
    pub token_lists: bool,
}

impl Default for TokenOptions {
    fn default() -> Self {
        TokenOptions { ngrams: [1, 2], stop_words: StopWords::English, token_lists: false }
    }
}

impl TokenOptions {
    /// Refuses n-gram bounds outside 1 ≤ shortest ≤ longest ≤ [`MAX_NGRAM`].
    ///
    /// # Errors
    /// `invalid_parameter` naming `ngrams`.
    pub fn check(&self) -> Result<()> {
        let [lo, hi] = self.ngrams;
        if lo >= 1 && lo <= hi && hi <= MAX_NGRAM {
            Ok(())
        } else {
            Err(CemError::param(
                "ngrams",
                format!("[{lo}, {hi}]"),
                &format!("give [shortest, longest] with 1 ≤ shortest ≤ longest ≤ {MAX_NGRAM}, e.g. [1, 2]"),
            ))
        }
    }
}

/// A text folded as every comment is: lower case (full Unicode case mapping), ’ → '.
pub(crate) fn fold(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains('\u{2019}') {
        lower.replace('\u{2019}', "'")
    } else {
        lower
    }
}

/// The words of a comment: folded, split at UAX #29 word boundaries, keeping segments with a letter or a
/// digit.
///
/// ```
/// assert_eq!(cem_core::words("Don’t put me ON HOLD!! 3.5 stars 😡"), ["don't", "put", "me", "on", "hold", "3.5", "stars"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    fold(text).unicode_words().map(str::to_string).collect()
}

/// A byte's UAX #29 word-break class, for ASCII text (`ascii_words`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ALetter: a–z, A–Z.
    Letter,
    /// Numeric: 0–9.
    Digit,
    /// ExtendNumLet: `_`, which joins anything on either side of it.
    Underscore,
    /// MidLetter (`:`), MidNumLet (`.`) and Single_Quote (`'`), MidNum (`,` `;`): between two letters
    /// (`:` `.` `'`) or two digits (`,` `;` `.` `'`) they do not break a word.
    Mid { letters: bool, digits: bool },
    /// Everything else: a boundary on both sides (WB999).
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Underscore,
        b':' => Class::Mid { letters: true, digits: false },
        b'.' | b'\'' => Class::Mid { letters: true, digits: true },
        b',' | b';' => Class::Mid { letters: false, digits: true },
        _ => Class::Other,
    }
}

/// The words of an ASCII text as UAX #29 finds them (`unicode_words`: the segments holding a letter or a
/// digit), in one pass over the bytes without an iterator of segments: the rules that join ASCII
/// characters are WB5–WB13b (letters, digits and `_` join each other; a mid character joins two letters or
/// two digits); every other pair breaks, and a segment without a letter or digit is no word. The tests
/// check it against `unicode-segmentation` on random ASCII text.
pub(crate) fn ascii_words(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let first = class(bytes[i]);
        if !matches!(first, Class::Letter | Class::Digit | Class::Underscore) {
            i += 1;
            continue;
        }
        let (start, mut prev, mut alphanumeric) = (i, first, first != Class::Underscore);
        i += 1;
        while i < bytes.len() {
            match class(bytes[i]) {
                c @ (Class::Letter | Class::Digit | Class::Underscore) => {
                    alphanumeric |= c != Class::Underscore;
                    prev = c;
                    i += 1;
                }
                Class::Mid { letters, digits } if i + 1 < bytes.len() => {
                    let next = class(bytes[i + 1]);
                    let joins = (letters && prev == Class::Letter && next == Class::Letter)
                        || (digits && prev == Class::Digit && next == Class::Digit);
                    if !joins {
                        break;
                    }
                    prev = next;
                    i += 2;
                }
                _ => break,
            }
        }
        if alphanumeric {
            f(&text[start..i]);
        }
    }
}

/// Something whose terms can be counted: a comment (`str`, `String`), split into words here, or a list
/// of tokens (`[S]`, `Vec<S>`), each a word as given.
pub trait Comment {
    /// Whether the words are given as they are (token lists).
    const TOKEN_LISTS: bool;
    /// Calls `f` with each word of this comment, in order; `folded` is scratch space.
    fn for_each_word(&self, folded: &mut String, f: impl FnMut(&str));
    /// Whether this is no comment at all: nothing but white space, or no tokens.
    fn is_blank(&self) -> bool;
}

impl Comment for str {
    const TOKEN_LISTS: bool = false;
    fn for_each_word(&self, folded: &mut String, f: impl FnMut(&str)) {
        if self.is_ascii() {
            folded.clear();
            folded.push_str(self);
            folded.make_ascii_lowercase();
            ascii_words(folded, f);
        } else {
            *folded = fold(self);
            folded.unicode_words().for_each(f);
        }
    }
    fn is_blank(&self) -> bool {
        self.trim().is_empty()
    }
}

impl Comment for &str {
    const TOKEN_LISTS: bool = false;
    fn for_each_word(&self, folded: &mut String, f: impl FnMut(&str)) {
        (**self).for_each_word(folded, f)
    }
    fn is_blank(&self) -> bool {
        (**self).is_blank()
    }
}

impl Comment for String {
    const TOKEN_LISTS: bool = false;
    fn for_each_word(&self, folded: &mut String, f: impl FnMut(&str)) {
        self.as_str().for_each_word(folded, f)
    }
    fn is_blank(&self) -> bool {
        self.as_str().is_blank()
    }
}

impl<S: AsRef<str>> Comment for [S] {
    const TOKEN_LISTS: bool = true;
    fn for_each_word(&self, _: &mut String, f: impl FnMut(&str)) {
        self.iter().map(AsRef::as_ref).for_each(f);
    }
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl<S: AsRef<str>> Comment for Vec<S> {
    const TOKEN_LISTS: bool = true;
    fn for_each_word(&self, folded: &mut String, f: impl FnMut(&str)) {
        self.as_slice().for_each_word(folded, f)
    }
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

/// Reusable buffers for turning comments into terms.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(crate) folded: String,
    /// A comment's words as the tally's word ids.
    pub(crate) ids: Vec<u32>,
    /// A comment's n-gram keys (the tally's).
    pub(crate) keys: Vec<u128>,
    term: String,
    words: Vec<(usize, usize)>,
    stops: Vec<bool>,
    joined: String,
}

/// Calls `f` with each term of `comment` under `options` (each occurrence, n-grams in order of length
/// then position), after dropping the n-grams made of stop words alone. Returns the number of words.
pub(crate) fn for_each_term<C: Comment + ?Sized>(
    comment: &C,
    options: &TokenOptions,
    scratch: &mut Scratch,
    mut f: impl FnMut(&str),
) -> usize {
    let Scratch { folded, term, words, stops, joined, .. } = scratch;
    // The words as ranges of one joined string, so the buffers are reused from comment to comment.
    joined.clear();
    words.clear();
    comment.for_each_word(folded, |w| {
        let start = joined.len();
        joined.push_str(w);
        words.push((start, joined.len()));
    });
    stops.clear();
    stops.extend(words.iter().map(|&(a, b)| options.stop_words.contains(&joined[a..b])));
    let [lo, hi] = options.ngrams;
    for n in usize::from(lo)..=usize::from(hi) {
        for (i, window) in words.windows(n).enumerate() {
            if stops[i..i + n].iter().all(|&s| s) {
                continue;
            }
            if n == 1 {
                f(&joined[window[0].0..window[0].1]);
            } else {
                term.clear();
                for (k, &(a, b)) in window.iter().enumerate() {
                    if k > 0 {
                        term.push(' ');
                    }
                    term.push_str(&joined[a..b]);
                }
                f(term);
            }
        }
    }
    words.len()
}

/// The terms of one comment with their occurrences, sorted by term: what an engine groups by
/// (`cemscore.terms`).
///
/// ```
/// use cem_core::{terms_of, TokenOptions};
/// let t = terms_of("On hold, on hold again.", &TokenOptions::default());
/// assert_eq!(t, [("hold".to_string(), 2), ("hold again".to_string(), 1), ("hold on".to_string(), 1), ("on hold".to_string(), 2)]);
/// ```
pub fn terms_of<C: Comment + ?Sized>(comment: &C, options: &TokenOptions) -> Vec<(String, u64)> {
    let mut all: Vec<String> = Vec::new();
    for_each_term(comment, options, &mut Scratch::default(), |t| all.push(t.to_string()));
    let order = crate::order::argsort(all.len(), &|a, b| all[a].cmp(&all[b]));
    let all = crate::order::permute(all, &order);
    let mut out: Vec<(String, u64)> = Vec::new();
    for t in all {
        match out.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => out.push((t, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, options: &TokenOptions) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, options, &mut Scratch::default(), |t| out.push(t.to_string()));
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The ASCII fast path finds exactly UAX #29's words (`unicode-segmentation`, both its ASCII path
        /// and its general word bounds) on text of letters, digits, apostrophes, dots, commas, colons,
        /// hyphens, underscores, @ and other punctuation, and white space.
        #[test]
        fn ascii_words_are_uax29_words(text in "[aZ9_'.,:;@ \\-!?\"()/\t\n\r#&+=xy0-]{0,24}|[a-z0-9'.,:;@_ -]{0,40}") {
            let mut fast = Vec::new();
            ascii_words(&text, |w| fast.push(w.to_string()));
            let words: Vec<&str> = text.unicode_words().collect();
            let bounds: Vec<&str> =
                text.split_word_bounds().filter(|s| s.chars().any(char::is_alphanumeric)).collect();
            proptest::prop_assert_eq!(&fast, &words);
            proptest::prop_assert_eq!(&fast, &bounds);
        }
    }

    #[test]
    fn ascii_words_on_the_hard_cases() {
        for text in [
            "don't stop",
            "3.5 stars, 1,000.50 $",
            "e-mail me@x.co.uk",
            "v2.3a_b",
            "a:b 1:2 a.1 1.a",
            "it's'' ok.. '' _ __x a'",
            "x1,2;3 a..b 'quoted' 4'5",
        ] {
            let mut fast = Vec::new();
            ascii_words(text, |w| fast.push(w.to_string()));
            assert_eq!(fast, text.unicode_words().collect::<Vec<_>>(), "{text}");
        }
        let mut fast = Vec::new();
        ascii_words("me@x.co.uk 1,000.50", |w| fast.push(w.to_string()));
        assert_eq!(fast, ["me", "x.co.uk", "1,000.50"]);
    }

    #[test]
    fn the_english_list_is_sorted_and_keeps_negations_and_intensifiers() {
        assert!(ENGLISH.windows(2).all(|w| w[0] < w[1]));
        for kept in ["no", "not", "nor", "too", "very", "don't", "cannot", "isn't", "more", "only"] {
            assert!(!StopWords::English.contains(kept), "{kept}");
        }
        assert!(StopWords::English.contains("the") && StopWords::English.contains("i'm"));
    }

    #[test]
    fn words_follow_uax29_and_drop_what_has_no_letter_or_digit() {
        assert_eq!(words("Straße ÉTÉ — naïve café!"), ["straße", "été", "naïve", "café"]);
        assert_eq!(
            words("I can’t log in 😡😡 after v2.3 update..."),
            ["i", "can't", "log", "in", "after", "v2.3", "update"]
        );
        assert_eq!(words("Служба поддержки ужасна"), ["служба", "поддержки", "ужасна"]);
        assert_eq!(words("  ... !!! 🙂"), Vec::<String>::new());
    }

    #[test]
    fn stop_words_go_after_ngrams_and_only_when_the_whole_ngram_is_stop_words() {
        let o = TokenOptions::default();
        assert_eq!(terms("I was on hold", &o), ["hold", "on hold"]);
        assert_eq!(terms("not easy", &o), ["not", "easy", "not easy"]);
        let none = TokenOptions { stop_words: StopWords::None, ..o.clone() };
        assert_eq!(terms("on the", &none), ["on", "the", "on the"]);
        let mine = TokenOptions { stop_words: StopWords::list(["Hold"]), ngrams: [1, 1], ..o };
        assert_eq!(terms("on hold", &mine), ["on"]);
    }

    #[test]
    fn token_lists_are_words_as_given_and_ngram_bounds_are_checked() {
        let o = TokenOptions { stop_words: StopWords::None, ngrams: [2, 3], ..Default::default() };
        let mut out = Vec::new();
        for_each_term(&["App", "Call"][..], &o, &mut Scratch::default(), |t| out.push(t.to_string()));
        assert_eq!(out, ["App Call"]);
        for bad in [[0, 1], [2, 1], [1, 4]] {
            let e = TokenOptions { ngrams: bad, ..Default::default() }.check().unwrap_err();
            assert!(e.to_string().starts_with("invalid ngrams"), "{e}");
        }
    }
}

#[cfg(test)]
mod stop_words_reading {
    use crate::{Operation, Options};

    /// Every shape of `stop_words`, good and bad, as the options reader answers it: the messages an
    /// untagged enum of a name or a list of words gave (the reader was rewritten for the .wasm's size).
    #[test]
    fn names_lists_and_everything_else() {
        let read = |v: &str| match Options::read(Operation::Keyness, format!(r#"{{"stop_words": {v}}}"#).as_str()) {
            Ok(o) => format!("{:?}", o.stop_words),
            Err(e) => e.to_string(),
        };
        let cases = [
            r#""english""#,
            r#""none""#,
            "null",
            r#"["The", "a", "the"]"#,
            "[]",
            r#""french""#,
            "5",
            "true",
            r#"["a", 1]"#,
            r#"[["a"]]"#,
            r#"{"a": 1}"#,
            r#"["a", null]"#,
        ];
        let type_error = |v: &str| {
            format!(
                r#"invalid stop_words = {{"stop_words": {v}}}: {}"#,
                r#"stop_words is "english", "none" or a list of words"#
            )
        };
        let mut expected = vec![
            "Some(English)".to_string(),
            "Some(None)".into(),
            "None".into(),
            r#"Some(List(["a", "the"]))"#.into(),
            "Some(List([]))".into(),
            r#"invalid stop_words = {"stop_words": "french"}: unknown stop_words "french": use "english", "none" or a list of words"#.into(),
        ];
        expected.extend(cases[6..].iter().map(|c| type_error(c)));
        let got: Vec<String> = cases.iter().map(|c| read(c)).collect();
        assert_eq!(got, expected);
    }
}
