//! The term tally of one group of comments: how many comments, how many term occurrences, and per term the
//! comments mentioning it and its occurrences. Counts only, so tallies of partitions, threads or chunks
//! add up to the tally of the whole ([`TermTally::merge`]), and a tally serializes (terms in sorted order)
//! to travel between processes. It records its [`TokenOptions`] and refuses to merge with a tally counted
//! under others.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::tokens::{Comment, Scratch, StopWords, TokenOptions};
use crate::error::{CemError, Result};

/// The default memory cap of a tally: distinct terms (≈ 100 bytes each, so about 1 GB).
pub const MAX_TERMS: u64 = 10_000_000;

/// A multiply-rotate hash (FxHash's) with a folded multiply at the end (so the high bits of a key reach
/// the low bits the table indexes with): words are short and n-gram keys are integers, and SipHash's
/// flooding defence would cost a third of the tally's time. Never iterated for output: results are sorted.
#[derive(Default, Clone, Copy)]
pub(crate) struct TermHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(tail) ^ chunks.remainder().len() as u64);
    }
    fn write_u8(&mut self, b: u8) {
        self.write_u64(u64::from(b));
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
    fn write_u128(&mut self, key: u128) {
        self.write_u64(key as u64);
        self.write_u64((key >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        let m = u128::from(self.0) * u128::from(K);
        (m as u64) ^ ((m >> 64) as u64)
    }
}

type Fast = BuildHasherDefault<TermHasher>;

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

impl Counts {
    fn add(&mut self, comment: u64) {
        self.count.occurrences += 1;
        if self.last != comment {
            self.last = comment;
            self.count.mentions += 1;
        }
    }
}

/// The words a tally has seen, each with a number (its id, in order of first sight) and whether it is a
/// stop word, so a term is counted under a key of numbers rather than its text: the text of a term is only
/// built for the terms a result lists.
#[derive(Debug, Clone, Default)]
struct Lexicon {
    ids: HashMap<Box<str>, u32, Fast>,
    words: Vec<Box<str>>,
    stop: Vec<bool>,
}

impl Lexicon {
    fn intern(&mut self, word: &str, stop_words: &StopWords) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        self.stop.push(stop_words.contains(word));
        id
    }
}

/// A term's key: its words' ids + 1, 32 bits each, the first word highest; a word's key is below 2³², an
/// n-gram's above (ids stay below 2³² − 1: a tally holds at most `max_terms` terms).
type Key = u128;

fn key(ids: &[u32]) -> Key {
    ids.iter().fold(0, |k, &id| (k << 32) | Key::from(id + 1))
}

/// The ids of a key's words, in order, and how many.
fn unkey(mut k: Key) -> ([u32; 3], usize) {
    let (mut ids, mut n) = ([0u32; 3], 0);
    while k != 0 {
        ids[n] = (k as u32) - 1;
        k >>= 32;
        n += 1;
    }
    ids[..n].reverse();
    (ids, n)
}

/// A key with each id replaced by its id in another lexicon (`None`: a word that lexicon has not seen).
fn rekey(k: Key, map: &[Option<u32>]) -> Option<Key> {
    let (ids, n) = unkey(k);
    let mut out = 0;
    for &id in &ids[..n] {
        out = (out << 32) | Key::from(map[id as usize]? + 1);
    }
    Some(out)
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
    lexicon: Lexicon,
    /// Single words' counts, by word id (zero for a word only seen in n-grams or as a stop word).
    words: Vec<Counts>,
    /// Distinct single words counted.
    distinct_words: usize,
    /// N-grams' counts (n ≥ 2) by key.
    ngrams: HashMap<Key, TermCount, Fast>,
}

impl PartialEq for TermTally {
    fn eq(&self, other: &Self) -> bool {
        self.options == other.options
            && self.texts == other.texts
            && self.tokens == other.tokens
            && self.rendered() == other.rendered()
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
        self.distinct_words + self.ngrams.len()
    }

    /// Whether no term was counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A term's counts, if it was seen.
    pub fn term(&self, term: &str) -> Option<TermCount> {
        self.rendered().get(term).copied()
    }

    /// Every term with its counts, sorted by term.
    pub fn terms(&self) -> Vec<(String, TermCount)> {
        self.rendered().into_iter().collect()
    }

    /// Every term's key and counts, in no particular order.
    fn entries(&self) -> impl Iterator<Item = (Key, TermCount)> + '_ {
        let words = self.words.iter().enumerate().filter(|(_, c)| c.count.occurrences > 0);
        words.map(|(id, c)| (Key::from(id as u32 + 1), c.count)).chain(self.ngrams.iter().map(|(&k, &c)| (k, c)))
    }

    fn get(&self, k: Key) -> TermCount {
        if k < 1 << 32 {
            self.words.get((k - 1) as usize).map(|c| c.count).unwrap_or_default()
        } else {
            self.ngrams.get(&k).copied().unwrap_or_default()
        }
    }

    /// A term's text: its words joined by a space.
    fn text(&self, k: Key) -> String {
        let (ids, n) = unkey(k);
        let words: Vec<&str> = ids[..n].iter().map(|&id| &*self.lexicon.words[id as usize]).collect();
        words.join(" ")
    }

    /// Every term by its text. Token lists whose tokens hold spaces can give two keys one text ("a b" + "c"
    /// and "a" + "b c"): their counts are added, as a tally keyed by text would have.
    fn rendered(&self) -> BTreeMap<String, TermCount> {
        let mut out: BTreeMap<String, TermCount> = BTreeMap::new();
        for (k, c) in self.entries() {
            let mine = out.entry(self.text(k)).or_default();
            mine.mentions += c.mentions;
            mine.occurrences += c.occurrences;
        }
        out
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
        if self.texts == 0 && self.is_empty() {
            // Nothing to add to: take the new counts rather than copying them.
            *self = more;
            return Ok(());
        }
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
            if self.len() as u64 > max_terms {
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

    /// Adds one comment (skipped when it has nothing but white space: no comment): its words become ids,
    /// then each n-gram not made of stop words alone is counted under its key, in order of length then
    /// position (as `tokens::for_each_term` lists them).
    pub(crate) fn add<C: Comment + ?Sized>(&mut self, comment: &C, scratch: &mut Scratch) {
        let id = self.texts + 1;
        let Scratch { folded, ids, keys, .. } = scratch;
        ids.clear();
        let (lexicon, stop_words) = (&mut self.lexicon, &self.options.stop_words);
        comment.for_each_word(folded, |w| ids.push(lexicon.intern(w, stop_words)));
        if self.words.len() < self.lexicon.words.len() {
            self.words.resize(self.lexicon.words.len(), Counts::default());
        }
        let stop = &self.lexicon.stop;
        let [lo, hi] = self.options.ngrams;
        let mut tokens = 0u64;
        keys.clear();
        for n in usize::from(lo)..=usize::from(hi) {
            for window in ids.windows(n) {
                if window.iter().all(|&w| stop[w as usize]) {
                    continue;
                }
                tokens += 1;
                if n == 1 {
                    let c = &mut self.words[window[0] as usize];
                    self.distinct_words += usize::from(c.count.occurrences == 0);
                    c.add(id);
                } else {
                    keys.push(key(window));
                }
            }
        }
        // The comment's n-grams sorted, so each distinct one is looked up once: one mention, its count of
        // occurrences (the table is large and each look-up a cache miss; the sort is of a few dozen keys).
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a == b) {
            let c = self.ngrams.entry(run[0]).or_default();
            c.mentions += 1;
            c.occurrences += run.len() as u64;
        }
        if !ids.is_empty() || !comment.is_blank() {
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
        let map: Vec<Option<u32>> =
            other.lexicon.words.iter().map(|w| Some(self.lexicon.intern(w, &self.options.stop_words))).collect();
        self.words.resize(self.lexicon.words.len(), Counts::default());
        for (k, c) in other.entries() {
            self.add_count(rekey(k, &map).unwrap_or_default(), c);
        }
        Ok(())
    }
}

/// The terms of two tallies side by side: (term, [target mentions, reference mentions, target
/// occurrences, reference occurrences]) for each term with at least `min_count` mentions in the two,
/// sorted by term, and tidylo's two group totals (Σ over a group's terms of its occurrences plus the
/// term's occurrences in both groups). Texts are built only for the terms listed.
pub(crate) fn side_by_side(
    target: &TermTally,
    reference: &TermTally,
    min_count: u64,
) -> (Vec<(String, [u64; 4])>, [f64; 2]) {
    let map = |from: &Lexicon, to: &Lexicon| -> Vec<Option<u32>> {
        from.words.iter().map(|w| to.ids.get(w).copied()).collect()
    };
    // A comment's words hold no space, so a term's text is its key's alone and the terms under
    // `min_count` are left out before their text is built; a token list's tokens may hold one, and two
    // keys can then share a text and add up to `min_count`.
    let (min_count, final_count) = if target.options.token_lists { (1, min_count) } else { (min_count, 1) };
    let (to_reference, to_target) =
        (map(&target.lexicon, &reference.lexicon), map(&reference.lexicon, &target.lexicon));
    // The target's terms with their reference counts, and the reference's terms the target lacks: two
    // independent passes, on two threads for large tallies.
    let from_target = || {
        let (mut listed, mut sum) = (Vec::new(), 0.0);
        for (k, t) in target.entries() {
            let r = rekey(k, &to_reference).map(|k| reference.get(k)).unwrap_or_default();
            sum += (2 * t.occurrences + r.occurrences) as f64;
            if t.mentions + r.mentions >= min_count {
                listed.push((target.text(k), [t.mentions, r.mentions, t.occurrences, r.occurrences]));
            }
        }
        (listed, sum)
    };
    let from_reference = || {
        let (mut listed, mut sum) = (Vec::new(), 0.0);
        for (k, r) in reference.entries() {
            let t = rekey(k, &to_target).map(|k| target.get(k)).unwrap_or_default();
            sum += (2 * r.occurrences + t.occurrences) as f64;
            if t.occurrences == 0 && r.mentions >= min_count {
                listed.push((reference.text(k), [0, r.mentions, 0, r.occurrences]));
            }
        }
        (listed, sum)
    };
    let large = target.len() + reference.len() > 1 << 16;
    let ((mut listed, sum_target), (more, sum_reference)) = crate::parallel::both(large, from_target, from_reference);
    listed.extend(more);
    (in_term_order(listed, final_count), [sum_target, sum_reference])
}

/// Listed terms sorted by term, the counts of two keys with one text added up (token lists with spaces
/// in tokens, as `rendered`), and those with fewer than `final_count` mentions left out.
pub(crate) fn in_term_order(listed: Vec<(String, [u64; 4])>, final_count: u64) -> Vec<(String, [u64; 4])> {
    // Sorted by each term's first 8 bytes as a number first (zero after its end: the order of the texts),
    // the texts compared only when those are equal; ties by position, as `argsort`.
    let head = |t: &str| {
        let mut b = [0u8; 8];
        let n = t.len().min(8);
        b[..n].copy_from_slice(&t.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut keys: Vec<(u64, usize)> = listed.iter().enumerate().map(|(i, (t, _))| (head(t), i)).collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| listed[a.1].0.cmp(&listed[b.1].0)).then(a.1.cmp(&b.1)));
    let order: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    let mut out: Vec<(String, [u64; 4])> = Vec::with_capacity(listed.len());
    for (term, c) in crate::order::permute(listed, &order) {
        match out.last_mut() {
            Some((last, mine)) if *last == term => (0..4).for_each(|i| mine[i] += c[i]),
            _ => out.push((term, c)),
        }
    }
    out.retain(|(_, c)| c[0] + c[1] >= final_count);
    out
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
        let terms = self.rendered().into_iter().map(|(t, c)| (t, [c.mentions, c.occurrences])).collect();
        Record { options: self.options.clone(), texts: self.texts, tokens: self.tokens, terms }.serialize(s)
    }
}

impl TermTally {
    /// Counts a term read from a record: its words are split at spaces when there are at most
    /// [`MAX_NGRAM`](super::tokens::MAX_NGRAM) of them, else it is one word (a token holding spaces).
    fn insert(&mut self, term: &str, count: TermCount) {
        let parts: Vec<&str> = term.split(' ').collect();
        let parts = if parts.len() <= usize::from(super::tokens::MAX_NGRAM) { parts } else { vec![term] };
        let ids: Vec<u32> = parts.iter().map(|w| self.lexicon.intern(w, &self.options.stop_words)).collect();
        self.words.resize(self.lexicon.words.len(), Counts::default());
        self.add_count(key(&ids), count);
    }

    /// Adds counts to a term's (its words already in the lexicon and `words` sized for them).
    fn add_count(&mut self, k: Key, c: TermCount) {
        let mine = if k < 1 << 32 {
            let mine = &mut self.words[(k - 1) as usize].count;
            self.distinct_words += usize::from(mine.occurrences == 0);
            mine
        } else {
            self.ngrams.entry(k).or_default()
        };
        mine.mentions += c.mentions;
        mine.occurrences += c.occurrences;
    }
}

impl<'de> Deserialize<'de> for TermTally {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let r = Record::deserialize(d)?;
        r.options.check().map_err(D::Error::custom)?;
        let mut sum = 0u64;
        let mut tally = TermTally { options: r.options, texts: r.texts, tokens: r.tokens, ..Default::default() };
        for (term, [mentions, occurrences]) in r.terms {
            if mentions > occurrences || mentions > r.texts || (mentions == 0) != (occurrences == 0) {
                return Err(D::Error::custom(format!(
                    "term {term:?} has {mentions} mentions and {occurrences} occurrences in {} texts",
                    r.texts
                )));
            }
            sum = sum.saturating_add(occurrences);
            tally.insert(&term, TermCount { mentions, occurrences });
        }
        if sum != r.tokens {
            return Err(D::Error::custom(format!("tokens is {} but the terms' occurrences add up to {sum}", r.tokens)));
        }
        Ok(tally)
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
    fn tokens_holding_spaces_count_under_their_text_as_a_tally_by_text_would() {
        let o = TokenOptions { stop_words: StopWords::None, token_lists: true, ..Default::default() };
        let mut t = TermTally::new(o.clone()).unwrap();
        t.update(&[Some(vec!["a b", "c"]), Some(vec!["a", "b c"]), Some(vec!["a b", "c"])], None).unwrap();
        assert_eq!(t.term("a b c"), Some(TermCount { mentions: 3, occurrences: 3 }));
        assert_eq!(t.term("a b"), Some(TermCount { mentions: 2, occurrences: 2 }));
        assert_eq!(t.term("b"), None);
        let text = serde_json::to_string(&t).unwrap();
        let back: TermTally = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
        let (listed, _) = side_by_side(&t, &TermTally::new(o).unwrap(), 3);
        assert_eq!(listed, [("a b c".to_string(), [3, 0, 3, 0])]);
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
