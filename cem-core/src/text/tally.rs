//! The term tally of one group of comments: how many comments, how many term occurrences, and per term the
//! comments mentioning it and its occurrences. Counts only, so tallies of partitions, threads or chunks
//! add up to the tally of the whole ([`TermTally::merge`]), and a tally serializes (terms in sorted order)
//! to travel between processes. It records its [`TokenOptions`] and refuses to merge with a tally counted
//! under others.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::tokens::{for_each_term, Comment, Scratch, TokenOptions};
use crate::error::{CemError, Result};

/// The default memory cap of a tally: distinct terms (≈ 100 bytes each, so about 1 GB).
pub const MAX_TERMS: u64 = 10_000_000;

/// A multiply-rotate hash (FxHash's) for the term map: terms are short and SipHash's flooding defence
/// costs a third of the tally's time. Never iterated for output: results are sorted.
#[derive(Default, Clone, Copy)]
pub(crate) struct TermHasher(u64);

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type TermMap = HashMap<Box<str>, Counts, BuildHasherDefault<TermHasher>>;

/// A term's counts in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TermCount {
    /// Comments mentioning the term at least once.
    pub mentions: u64,
    /// Its occurrences, every mention counted.
    pub occurrences: u64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    count: TermCount,
    /// The comment (1-based, of this tally) that last mentioned the term: a comment's second mention of a
    /// term adds an occurrence, not a mention, without a set of terms per comment.
    last: u64,
}

/// The term tally of one group of comments (see the module's doc).
///
/// ```
/// use cem_core::{TermTally, TokenOptions};
/// let mut a = TermTally::new(TokenOptions::default())?;
/// a.update(&[Some("On hold for an hour. On hold!"), None, Some("refund please")], None)?;
/// assert_eq!((a.texts(), a.term("on hold").unwrap().mentions, a.term("on hold").unwrap().occurrences), (2, 1, 2));
/// let mut b = TermTally::new(TokenOptions::default())?;
/// b.update(&[Some("still on hold")], None)?;
/// a.merge(&b)?;
/// assert_eq!(a.term("on hold").unwrap().mentions, 2);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TermTally {
    options: TokenOptions,
    texts: u64,
    tokens: u64,
    terms: TermMap,
}

impl PartialEq for TermTally {
    fn eq(&self, other: &Self) -> bool {
        self.options == other.options
            && self.texts == other.texts
            && self.tokens == other.tokens
            && self.terms.len() == other.terms.len()
            && self.terms.iter().all(|(t, c)| other.terms.get(t).is_some_and(|o| o.count == c.count))
    }
}

impl TermTally {
    /// An empty tally counting terms under `options`.
    ///
    /// # Errors
    /// `invalid_parameter` for n-gram bounds [`TokenOptions::check`] refuses.
    pub fn new(options: TokenOptions) -> Result<TermTally> {
        options.check()?;
        Ok(TermTally { options, ..Default::default() })
    }

    /// The options the terms were counted under.
    pub fn options(&self) -> &TokenOptions {
        &self.options
    }

    /// Comments counted (a missing or blank comment is none).
    pub fn texts(&self) -> u64 {
        self.texts
    }

    /// Occurrences of every counted term: the denominators of the occurrence statistics.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term was counted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// A term's counts, if it was seen.
    pub fn term(&self, term: &str) -> Option<TermCount> {
        self.terms.get(term).map(|c| c.count)
    }

    /// Every term with its counts, sorted by term.
    pub fn terms(&self) -> Vec<(&str, TermCount)> {
        let all: Vec<(&str, TermCount)> = self.terms.iter().map(|(t, c)| (&**t, c.count)).collect();
        let order = crate::order::argsort(all.len(), &|a, b| all[a].0.cmp(all[b].0));
        crate::order::permute(all, &order)
    }

    pub(crate) fn term_counts(&self) -> impl Iterator<Item = (&str, TermCount)> {
        self.terms.iter().map(|(t, c)| (&**t, c.count))
    }

    /// Adds comments (`None` is no comment; so is a comment without a single character other than white
    /// space). The tally is unchanged on error. `max_terms` caps the distinct terms (default [`MAX_TERMS`]).
    ///
    /// # Errors
    /// `incompatible` for token lists given to a tally of comments or the reverse; `invalid_parameter`
    /// naming `ngrams` when the tally would pass `max_terms` distinct terms.
    pub fn update<C: Comment>(&mut self, comments: &[Option<C>], max_terms: Option<u64>) -> Result<()> {
        let mut more = TermTally { options: self.options.clone(), ..Default::default() };
        more.add_all(comments.iter().map(Option::as_ref), max_terms.unwrap_or(MAX_TERMS))?;
        self.merge(&more)
    }

    /// Adds comments to this (new) tally under a cap of `max_terms` distinct terms.
    pub(crate) fn add_all<'c, C: Comment + ?Sized + 'c>(
        &mut self,
        comments: impl Iterator<Item = Option<&'c C>>,
        max_terms: u64,
    ) -> Result<()> {
        self.check_input(C::TOKEN_LISTS)?;
        let mut scratch = Scratch::default();
        for comment in comments.flatten() {
            self.add(comment, &mut scratch);
            if self.terms.len() as u64 > max_terms {
                return Err(too_many_terms(&self.options, max_terms));
            }
        }
        Ok(())
    }

    pub(crate) fn check_input(&self, token_lists: bool) -> Result<()> {
        match token_lists == self.options.token_lists {
            true => Ok(()),
            false => Err(CemError::Incompatible {
                reason: "a tally of comments and one of token lists count different things".into(),
            }),
        }
    }

    /// Adds one comment (skipped when it has nothing but white space: no comment).
    pub(crate) fn add<C: Comment + ?Sized>(&mut self, comment: &C, scratch: &mut Scratch) {
        let id = self.texts + 1;
        let (terms, mut tokens) = (&mut self.terms, 0u64);
        let words = for_each_term(comment, &self.options, scratch, |term| {
            tokens += 1;
            let counts = match terms.get_mut(term) {
                Some(c) => c,
                None => terms.entry(term.into()).or_default(),
            };
            counts.count.occurrences += 1;
            if counts.last != id {
                counts.last = id;
                counts.count.mentions += 1;
            }
        });
        if words > 0 || !comment.is_blank() {
            self.texts = id;
            self.tokens += tokens;
        }
    }

    /// Adds another tally's counts (a partition's, a thread's, a chunk's).
    ///
    /// # Errors
    /// `incompatible` when the two were counted under different [`TokenOptions`]; `overflow` past u64.
    pub fn merge(&mut self, other: &TermTally) -> Result<()> {
        if self.options != other.options {
            return Err(CemError::Incompatible {
                reason: format!(
                    "term tallies counted with different token options ({} and {}); count both the same way",
                    serde_json::to_string(&self.options).unwrap_or_default(),
                    serde_json::to_string(&other.options).unwrap_or_default()
                ),
            });
        }
        let overflow = || CemError::Overflow { what: "a term tally's counts".into() };
        let texts = self.texts.checked_add(other.texts).ok_or_else(overflow)?;
        let tokens = self.tokens.checked_add(other.tokens).ok_or_else(overflow)?;
        // Each term's counts are at most the tokens: no per-term overflow once the totals fit.
        self.texts = texts;
        self.tokens = tokens;
        for (term, c) in &other.terms {
            let mine = match self.terms.get_mut(term) {
                Some(mine) => mine,
                None => self.terms.entry(term.clone()).or_default(),
            };
            mine.count.mentions += c.count.mentions;
            mine.count.occurrences += c.count.occurrences;
        }
        Ok(())
    }
}

/// The memory cap's error: what to change so the tally fits.
pub(crate) fn too_many_terms(options: &TokenOptions, max_terms: u64) -> CemError {
    let [lo, hi] = options.ngrams;
    CemError::param(
        "ngrams",
        format!("[{lo}, {hi}]"),
        &format!(
            "the term tally passed {max_terms} distinct terms (max_terms, its memory cap); count shorter n-grams \
             (ngrams=[1, 1]), drop stop words, or tally the comments in chunks and keep the terms each \
             needs (min_count mentions), or raise max_terms"
        ),
    )
}

/// A tally as it travels: options, totals, and terms in sorted order with [mentions, occurrences].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    options: TokenOptions,
    texts: u64,
    tokens: u64,
    terms: BTreeMap<String, [u64; 2]>,
}

impl Serialize for TermTally {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let terms = self.terms.iter().map(|(t, c)| (t.to_string(), [c.count.mentions, c.count.occurrences])).collect();
        Record { options: self.options.clone(), texts: self.texts, tokens: self.tokens, terms }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for TermTally {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let r = Record::deserialize(d)?;
        r.options.check().map_err(D::Error::custom)?;
        let mut sum = 0u64;
        let mut terms = TermMap::default();
        for (term, [mentions, occurrences]) in r.terms {
            if mentions > occurrences || mentions > r.texts || (mentions == 0) != (occurrences == 0) {
                return Err(D::Error::custom(format!(
                    "term {term:?} has {mentions} mentions and {occurrences} occurrences in {} texts",
                    r.texts
                )));
            }
            sum = sum.saturating_add(occurrences);
            terms.insert(term.into(), Counts { count: TermCount { mentions, occurrences }, last: 0 });
        }
        if sum != r.tokens {
            return Err(D::Error::custom(format!("tokens is {} but the terms' occurrences add up to {sum}", r.tokens)));
        }
        Ok(TermTally { options: r.options, texts: r.texts, tokens: r.tokens, terms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::StopWords;

    const COMMENTS: [Option<&str>; 6] = [
        Some("Refund, refund, REFUND!"),
        Some("   "),
        None,
        Some("on hold on hold"),
        Some("🙂"),
        Some("Easy app, very easy"),
    ];

    #[test]
    fn mentions_count_comments_and_occurrences_count_every_use() {
        let mut t = TermTally::new(TokenOptions::default()).unwrap();
        t.update(&COMMENTS, None).unwrap();
        assert_eq!(t.texts(), 4); // blank and None are no comment; an emoji alone is a comment
        assert_eq!(t.term("refund"), Some(TermCount { mentions: 1, occurrences: 3 }));
        assert_eq!(t.term("refund refund"), Some(TermCount { mentions: 1, occurrences: 2 }));
        assert_eq!(t.term("on hold"), Some(TermCount { mentions: 1, occurrences: 2 }));
        assert_eq!(t.term("very easy"), Some(TermCount { mentions: 1, occurrences: 1 }));
        assert_eq!(t.tokens(), t.terms().iter().map(|(_, c)| c.occurrences).sum::<u64>());
    }

    #[test]
    fn merged_chunks_equal_one_pass_and_the_record_round_trips() {
        let mut whole = TermTally::new(TokenOptions::default()).unwrap();
        whole.update(&COMMENTS, None).unwrap();
        let mut a = TermTally::new(TokenOptions::default()).unwrap();
        a.update(&COMMENTS[..3], None).unwrap();
        let mut b = TermTally::new(TokenOptions::default()).unwrap();
        b.update(&COMMENTS[3..], None).unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a, whole);
        let text = serde_json::to_string(&whole).unwrap();
        let back: TermTally = serde_json::from_str(&text).unwrap();
        assert_eq!(back, whole);
        assert!(text.find("\"easy\"").unwrap() < text.find("\"refund\"").unwrap()); // sorted terms
                                                                                    // Counted on after a round trip: the first comment after it is a new comment for every term.
        let mut again = back.clone();
        again.update(&[Some("refund")], None).unwrap();
        assert_eq!(again.term("refund").unwrap().mentions, 2);
    }

    #[test]
    fn other_token_options_are_refused_and_the_cap_names_ngrams() {
        let mut a = TermTally::new(TokenOptions::default()).unwrap();
        let b = TermTally::new(TokenOptions { stop_words: StopWords::None, ..Default::default() }).unwrap();
        assert_eq!(a.merge(&b).unwrap_err().code(), "incompatible");
        let e = a.update(&COMMENTS, Some(3)).unwrap_err();
        assert!(e.to_string().starts_with("invalid ngrams = [1, 2]"), "{e}");
        assert!(e.to_string().contains("min_count"), "{e}");
        assert_eq!(a.texts(), 0); // unchanged on error
        assert_eq!(a.update(&[Some(vec!["app"])], None).unwrap_err().code(), "incompatible");
        let bad = r#"{"options": {"ngrams": [1, 2], "stop_words": "english", "token_lists": false}, "texts": 1, "tokens": 2, "terms": {"a": [2, 2]}}"#;
        assert!(serde_json::from_str::<TermTally>(bad).is_err());
    }
}
