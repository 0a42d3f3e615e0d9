//! The keyness operation's count: a target's and a reference's term counts side by side, in one pass over
//! the rows, for as many comments as fit in memory. It gives the terms [`side_by_side`] gives for two
//! [`TermTally`]s of the same rows — the same list, the same sums — without building the two tallies and
//! joining them.
//!
//! How (10⁶ comments of 20 words have ≈ 20 M word pairs, ≈ 7 M distinct: a hash table of them misses the
//! cache on nearly every pair):
//! 1. Each thread reads its ranges of rows: a comment's words become ids of the thread's own word table
//!    (hashed once per occurrence, stored once per distinct word), single words are counted at once by id,
//!    and the comment's distinct pairs (with their occurrences) are appended to one of P buckets chosen
//!    by a hash of the two words' texts — so the same pair lands in the same bucket on every thread.
//! 2. The threads' word tables become one (a few thousand to a few hundred thousand words), with a map from
//!    each thread's ids to the shared ones; the single words' counts are added through it.
//! 3. Each bucket (a few thousand distinct pairs: its table stays in cache) adds up the pairs of every
//!    thread, renumbered, on the thread that claims it.
//!
//! Trigrams (`ngrams` up to 3) are counted with two tallies, as [`TermTally::merge`] documents.

use super::tally::{in_term_order, side_by_side, too_many_terms, TermTally};
use super::tokens::{Comment, Scratch, StopWords, TokenOptions};
use crate::error::Result;

/// The two groups' counts of a keyness table.
pub(crate) enum Counted {
    /// Words and pairs (`ngrams` within [1, 2]), counted side by side.
    Pairs(Box<Pairs>),
    /// Longer n-grams: one tally per group.
    Tallies(Box<(TermTally, TermTally)>),
}

impl Counted {
    /// Comments in the target and in the reference.
    pub(crate) fn texts(&self) -> [u64; 2] {
        match self {
            Counted::Pairs(p) => p.texts,
            Counted::Tallies(t) => [t.0.texts(), t.1.texts()],
        }
    }

    /// Term occurrences in the target and in the reference.
    pub(crate) fn tokens(&self) -> [u64; 2] {
        match self {
            Counted::Pairs(p) => p.tokens,
            Counted::Tallies(t) => [t.0.tokens(), t.1.tokens()],
        }
    }

    /// The terms with at least `min_count` mentions in the two groups, as [`side_by_side`] lists them.
    pub(crate) fn listed(&self, min_count: u64) -> (Vec<(String, [u64; 4])>, [f64; 2]) {
        match self {
            Counted::Pairs(p) => p.listed(min_count),
            Counted::Tallies(t) => side_by_side(&t.0, &t.1, min_count),
        }
    }
}

/// Counts the comments of the rows whose side is given (target `Some(true)`, reference `Some(false)`).
///
/// # Errors
/// `invalid_parameter` naming `ngrams` when the two groups hold more than `cap` distinct terms together.
pub(crate) fn count<C: Comment + Sync>(
    comments: &[Option<C>],
    sides: &[Option<bool>],
    tokens: &TokenOptions,
    cap: u64,
) -> Result<Counted> {
    let counted = if tokens.ngrams[1] <= 2 {
        Counted::Pairs(Box::new(Pairs::count(comments, sides, tokens)))
    } else {
        Counted::Tallies(Box::new(tallies(comments, sides, tokens, cap)?))
    };
    let terms = match &counted {
        Counted::Pairs(p) => p.distinct(),
        Counted::Tallies(t) => (t.0.len() + t.1.len()) as u64,
    };
    if terms > cap {
        return Err(too_many_terms(tokens, cap));
    }
    Ok(counted)
}

const K: u64 = 0x517c_c1b7_2722_0a95;

fn fold(h: u64) -> u64 {
    let m = u128::from(h) * u128::from(K);
    (m as u64) ^ ((m >> 64) as u64)
}

fn u32_at(s: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]])
}

fn u64_at(s: &[u8], i: usize) -> u64 {
    u64::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3], s[i + 4], s[i + 5], s[i + 6], s[i + 7]])
}

/// A word's first 8 bytes (zero after its end) and its hash, the same in every word table: FxHash's
/// multiply-rotate over 8-byte chunks, folded at the end so the high bits reach the low ones. Short words
/// are read with overlapping loads, without a loop.
#[inline]
fn head_and_hash(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    let head = match n {
        0 => 0,
        1..=3 => u64::from(b[0]) | u64::from(b[n / 2]) << (8 * (n / 2)) | u64::from(b[n - 1]) << (8 * (n - 1)),
        4..=7 => u64::from(u32_at(b, 0)) | u64::from(u32_at(b, n - 4)) << (8 * (n - 4)),
        _ => u64_at(b, 0),
    };
    let mut h = ((n as u64).wrapping_mul(K) ^ head).wrapping_mul(K);
    if n > 8 {
        let mut chunks = b[8..].chunks_exact(8);
        for c in &mut chunks {
            h = (h.rotate_left(5) ^ u64_at(c, 0)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut tail = [0u8; 8];
            tail[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
        }
    }
    (head, fold(h))
}

/// A word table's slot (16 bytes, so a table of 30 000 words stays in a core's cache): the word's first
/// 8 bytes, a tag — its length for a word of at most 8 bytes (then head and tag are the word), else
/// high bits of its hash with the top bit set — and its id + 1 (0: an empty slot).
#[derive(Clone, Copy, Default)]
struct Slot {
    head: u64,
    tag: u32,
    id: u32,
}

fn tag(len: usize, hash: u64) -> u32 {
    if len <= 8 {
        len as u32
    } else {
        (hash >> 32) as u32 | 1 << 31
    }
}

/// Words and their ids (in order of first sight): an open-addressing table of slots, and the words'
/// bytes one after the other.
#[derive(Default)]
struct Words {
    slots: Vec<Slot>,
    ends: Vec<usize>,
    bytes: Vec<u8>,
    stop: Vec<bool>,
}

impl Words {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn bytes(&self, id: u32) -> &[u8] {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    fn word(&self, id: u32) -> &str {
        // The bytes of a word are those of a `&str` interned whole.
        std::str::from_utf8(self.bytes(id)).unwrap_or_default()
    }

    /// The word's id and hash.
    #[inline]
    fn intern(&mut self, word: &str, stop_words: &StopWords) -> (u32, u64) {
        if self.len() * 8 >= self.slots.len() * 5 {
            self.grow();
        }
        let b = word.as_bytes();
        let (head, h) = head_and_hash(b);
        let tag = tag(b.len(), h);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.id == 0 {
                break;
            }
            if slot.head == head && slot.tag == tag && (b.len() <= 8 || self.bytes(slot.id - 1) == b) {
                return (slot.id - 1, h);
            }
            i = (i + 1) & mask;
        }
        let id = self.len() as u32;
        self.slots[i] = Slot { head, tag, id: id + 1 };
        self.bytes.extend_from_slice(b);
        self.ends.push(self.bytes.len());
        self.stop.push(stop_words.contains(word));
        (id, h)
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        for s in self.slots.iter().filter(|s| s.id != 0) {
            let mut i = head_and_hash(self.bytes(s.id - 1)).1 as usize & mask;
            while slots[i].id != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = *s;
        }
        self.slots = slots;
    }
}

/// A word's counts in the two groups: [target mentions, reference mentions, target occurrences,
/// reference occurrences], and the last comment (1-based, of its thread) that mentioned it.
#[derive(Clone, Copy, Default)]
struct WordCounts {
    counts: [u64; 4],
    last: u64,
}

/// A pair of word ids (the first in the high half) and, for a comment, its occurrences there times two
/// plus 1 for a target comment.
type Entry = (u64, u64);

/// One thread's counts (step 1).
struct Part {
    words: Words,
    /// A comment's words: ids and hashes.
    ids: Vec<u32>,
    hashes: Vec<u64>,
    /// A comment's pairs of ids (the first in the high half) with their buckets.
    keys: Vec<(u64, u32)>,
    folded: String,
    counts: Vec<WordCounts>,
    buckets: Vec<Vec<Entry>>,
    texts: [u64; 2],
    tokens: [u64; 2],
    comments: u64,
}

impl Part {
    fn new(buckets: usize) -> Part {
        Part {
            words: Words::default(),
            ids: Vec::new(),
            hashes: Vec::new(),
            keys: Vec::new(),
            folded: String::new(),
            counts: Vec::new(),
            buckets: (0..buckets).map(|_| Vec::new()).collect(),
            texts: [0; 2],
            tokens: [0; 2],
            comments: 0,
        }
    }

    fn add<C: Comment + ?Sized>(&mut self, comment: &C, target: bool, options: &TokenOptions) {
        self.comments += 1;
        let id = self.comments;
        let Part { ids, hashes, keys, folded, .. } = self;
        ids.clear();
        hashes.clear();
        let (words, stop_words) = (&mut self.words, &options.stop_words);
        comment.for_each_word(folded, |w| {
            let (id, h) = words.intern(w, stop_words);
            ids.push(id);
            hashes.push(h);
        });
        if self.counts.len() < self.words.len() {
            self.counts.resize(self.words.len(), WordCounts::default());
        }
        let side = usize::from(!target);
        let stop = &self.words.stop;
        let [lo, hi] = options.ngrams;
        let mut tokens = 0u64;
        if lo == 1 {
            for &w in ids.iter() {
                if stop[w as usize] {
                    continue;
                }
                tokens += 1;
                let c = &mut self.counts[w as usize];
                c.counts[2 + side] += 1;
                if c.last != id {
                    c.last = id;
                    c.counts[side] += 1;
                }
            }
        }
        if hi == 2 {
            keys.clear();
            let shift = 64 - self.buckets.len().trailing_zeros();
            for (i, pair) in ids.windows(2).enumerate() {
                if stop[pair[0] as usize] && stop[pair[1] as usize] {
                    continue;
                }
                keys.push((u64::from(pair[0]) << 32 | u64::from(pair[1]), bucket_of(hashes[i], hashes[i + 1], shift)));
            }
            tokens += keys.len() as u64;
            // Each distinct pair of the comment once: one mention, its occurrences.
            keys.sort_unstable();
            for run in keys.chunk_by(|a, b| a == b) {
                let (k, bucket) = run[0];
                self.buckets[bucket as usize].push((k, ((run.len() as u64) << 1) | u64::from(target)));
            }
        }
        if !ids.is_empty() || !comment.is_blank() {
            self.texts[side] += 1;
            self.tokens[side] += tokens;
        }
    }
}

/// The bucket of a pair, from its words' hashes (the same on every thread); `shift` is 64 − log2 buckets.
fn bucket_of(first: u64, second: u64, shift: u32) -> u32 {
    if shift >= 64 {
        return 0;
    }
    (fold(first.rotate_left(23) ^ second) >> shift) as u32
}

/// Words and pairs of two groups side by side (see the module's doc).
pub(crate) struct Pairs {
    options: TokenOptions,
    texts: [u64; 2],
    tokens: [u64; 2],
    words: Words,
    /// Single words' counts by word id ([target mentions, reference mentions, target occurrences,
    /// reference occurrences]).
    singles: Vec<[u64; 4]>,
    /// Pairs' counts: (first id << 32 | second id, counts), in no particular order.
    pairs: Vec<(u64, [u64; 4])>,
}

impl Pairs {
    fn count<C: Comment + Sync>(comments: &[Option<C>], sides: &[Option<bool>], options: &TokenOptions) -> Pairs {
        let n = comments.len();
        // Buckets of about 2¹⁴ pair occurrences (≈ 20 comments each), so a bucket's table stays in cache.
        let buckets = if options.ngrams[1] == 2 { (n / 1024).clamp(1, 1024).next_power_of_two() } else { 1 };
        let threads = crate::parallel::threads(n.saturating_mul(256), 1);
        let parts = crate::parallel::fold(
            n,
            threads,
            || Part::new(buckets),
            |part, range| {
                for (comment, side) in comments[range.clone()].iter().zip(&sides[range]) {
                    if let (Some(comment), Some(side)) = (comment, side) {
                        part.add(comment, *side, options);
                    }
                }
            },
        );
        // Step 2: one word table, and each part's ids in it.
        let mut words = Words::default();
        let mut maps: Vec<Vec<u32>> = Vec::with_capacity(parts.len());
        let (mut texts, mut tokens) = ([0u64; 2], [0u64; 2]);
        for p in &parts {
            maps.push(
                (0..p.words.len() as u32).map(|id| words.intern(p.words.word(id), &options.stop_words).0).collect(),
            );
            for s in 0..2 {
                texts[s] += p.texts[s];
                tokens[s] += p.tokens[s];
            }
        }
        let mut singles = vec![[0u64; 4]; words.len()];
        for (p, map) in parts.iter().zip(&maps) {
            for (c, &to) in p.counts.iter().zip(map) {
                let mine = &mut singles[to as usize];
                (0..4).for_each(|i| mine[i] += c.counts[i]);
            }
        }
        // Step 3: each bucket's pairs added up across the parts, buckets shared out between threads.
        let renumber =
            |p: usize, k: u64| (u64::from(maps[p][(k >> 32) as usize]) << 32) | u64::from(maps[p][k as u32 as usize]);
        let add_up = |range: std::ops::Range<usize>| {
            let mut out: Vec<(u64, [u64; 4])> = Vec::new();
            let mut slots: Vec<u32> = Vec::new();
            for b in range {
                // At most `entries` distinct pairs: a table of more slots than that (most pairs recur).
                let entries: usize = parts.iter().map(|p| p.buckets[b].len()).sum();
                let size = (entries + entries / 4 + 1).next_power_of_two().max(16);
                let mask = size - 1;
                slots.clear();
                slots.resize(size, 0);
                let first = out.len();
                for (i, p) in parts.iter().enumerate() {
                    for &(k, n) in &p.buckets[b] {
                        let k = renumber(i, k);
                        let mut s = fold(k) as usize & mask;
                        let at = loop {
                            match slots[s] {
                                0 => {
                                    out.push((k, [0; 4]));
                                    slots[s] = (out.len() - first) as u32;
                                    break out.len() - 1;
                                }
                                j if out[first + j as usize - 1].0 == k => break first + j as usize - 1,
                                _ => s = (s + 1) & mask,
                            }
                        };
                        let side = usize::from(n & 1 == 0);
                        let c = &mut out[at].1;
                        c[side] += 1;
                        c[2 + side] += n >> 1;
                    }
                }
            }
            out
        };
        let pairs: Vec<(u64, [u64; 4])> =
            crate::parallel::split(buckets, threads, add_up).into_iter().flatten().collect();
        Pairs { options: options.clone(), texts, tokens, words, singles, pairs }
    }

    /// Distinct terms of the target plus those of the reference (what two tallies' lengths add up to).
    fn distinct(&self) -> u64 {
        let of = |c: &[u64; 4]| u64::from(c[2] > 0) + u64::from(c[3] > 0);
        self.singles.iter().map(of).sum::<u64>() + self.pairs.iter().map(|(_, c)| of(c)).sum::<u64>()
    }

    fn text(&self, k: u64) -> String {
        let (a, b) = (self.words.word((k >> 32) as u32), self.words.word(k as u32));
        let mut s = String::with_capacity(a.len() + 1 + b.len());
        s.push_str(a);
        s.push(' ');
        s.push_str(b);
        s
    }

    /// As [`side_by_side`]: the terms with at least `min_count` mentions, in term order, and tidylo's two
    /// group totals (Σ over a group's terms of its occurrences plus the term's occurrences in both groups).
    fn listed(&self, min_count: u64) -> (Vec<(String, [u64; 4])>, [f64; 2]) {
        let (min_count, final_count) = if self.options.token_lists { (1, min_count) } else { (min_count, 1) };
        let mut sums = [0u64; 2];
        let mut add = |c: &[u64; 4]| {
            if c[2] > 0 {
                sums[0] += 2 * c[2] + c[3];
            }
            if c[3] > 0 {
                sums[1] += 2 * c[3] + c[2];
            }
            c[0] + c[1] >= min_count
        };
        let mut listed: Vec<(String, [u64; 4])> = Vec::new();
        for (id, c) in self.singles.iter().enumerate() {
            if add(c) {
                listed.push((self.words.word(id as u32).to_string(), *c));
            }
        }
        for (k, c) in &self.pairs {
            if add(c) {
                listed.push((self.text(*k), *c));
            }
        }
        (in_term_order(listed, final_count), [sums[0] as f64, sums[1] as f64])
    }
}

/// The two groups' tallies (for n-grams longer than pairs): large inputs counted in chunks across
/// threads, one pair of tallies per thread, merged.
fn tallies<C: Comment + Sync>(
    comments: &[Option<C>],
    sides: &[Option<bool>],
    tokens: &TokenOptions,
    cap: u64,
) -> Result<(TermTally, TermTally)> {
    let start =
        || -> Result<(TermTally, TermTally)> { Ok((TermTally::new(tokens.clone())?, TermTally::new(tokens.clone())?)) };
    let count = |pair: &mut Result<(TermTally, TermTally)>, range: std::ops::Range<usize>| {
        let Ok((target, reference)) = pair else { return };
        let mut scratch = Scratch::default();
        for (comment, side) in comments[range.clone()].iter().zip(&sides[range]) {
            let (Some(comment), Some(side)) = (comment, side) else { continue };
            let tally = if *side { &mut *target } else { &mut *reference };
            tally.add(comment, &mut scratch);
            // Trigrams can outgrow memory while counting: the cap ends the run here, not after.
            if (target.len() + reference.len()) as u64 > cap {
                *pair = Err(too_many_terms(tokens, cap));
                return;
            }
        }
    };
    // A comment costs about what counting 256 answers does: the threads are picked as for that many rows.
    let threads = crate::parallel::threads(comments.len().saturating_mul(256), 1);
    let parts = crate::parallel::fold(comments.len(), threads, start, count).into_iter().collect::<Result<Vec<_>>>()?;
    let (targets, references): (Vec<TermTally>, Vec<TermTally>) = parts.into_iter().unzip();
    let merged = |tallies: Vec<TermTally>| -> Result<TermTally> {
        let mut tallies = tallies.into_iter();
        let mut all = tallies.next().map_or_else(|| TermTally::new(tokens.clone()), Ok)?;
        for t in tallies {
            all.merge(&t)?;
        }
        Ok(all)
    };
    let (target, reference) = crate::parallel::both(targets.len() > 1, || merged(targets), || merged(references));
    Ok((target?, reference?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_pass(comments: &[Option<String>], sides: &[Option<bool>], o: &TokenOptions) -> (TermTally, TermTally) {
        let pick = |want: bool| -> Vec<Option<&str>> {
            comments.iter().zip(sides).filter(|(_, s)| **s == Some(want)).map(|(c, _)| c.as_deref()).collect()
        };
        let mut a = TermTally::new(o.clone()).unwrap();
        let mut b = TermTally::new(o.clone()).unwrap();
        a.update(&pick(true), None).unwrap();
        b.update(&pick(false), None).unwrap();
        (a, b)
    }

    #[test]
    fn pairs_side_by_side_list_what_two_tallies_list() {
        let words = ["refund", "on", "hold", "Easy", "app", "the", "slow", "great", "not", "very", "ÉTÉ", "don’t"];
        // Enough comments for several threads and buckets on a machine with more than one core.
        let comments: Vec<Option<String>> = (0..300_000usize)
            .map(|i| match i % 17 {
                0 => None,
                1 => Some("  ".into()),
                2 => Some("🙂".into()),
                k => Some((0..k).map(|j| words[(i * 7 + j * j + i / 5) % words.len()]).collect::<Vec<_>>().join(" ")),
            })
            .collect();
        let sides: Vec<Option<bool>> = (0..comments.len()).map(|i| [Some(true), Some(false), None][i % 3]).collect();
        for ngrams in [[1, 2], [2, 2], [1, 1]] {
            for stop_words in [StopWords::English, StopWords::None] {
                let o = TokenOptions { ngrams, stop_words, token_lists: false };
                let got = count(&comments, &sides, &o, u64::MAX).unwrap();
                assert!(matches!(got, Counted::Pairs(_)));
                let (a, b) = one_pass(&comments, &sides, &o);
                assert_eq!(got.texts(), [a.texts(), b.texts()]);
                assert_eq!(got.tokens(), [a.tokens(), b.tokens()]);
                for min_count in [1, 5, 1000] {
                    assert_eq!(got.listed(min_count), side_by_side(&a, &b, min_count), "{ngrams:?} {min_count}");
                }
                let terms = (a.len() + b.len()) as u64;
                let e = count(&comments, &sides, &o, terms - 1).err().unwrap();
                assert!(e.to_string().starts_with("invalid ngrams"), "{e}");
                assert!(count(&comments, &sides, &o, terms).is_ok());
            }
        }
    }

    #[test]
    fn trigrams_list_what_two_tallies_list_under_the_same_cap() {
        let words = ["refund", "on", "hold", "easy", "app", "slow", "not", "very"];
        let comments: Vec<Option<String>> = (0..5_000usize)
            .map(|i| Some((0..7).map(|j| words[(i * 3 + j * j) % 8]).collect::<Vec<_>>().join(" ")))
            .collect();
        let sides: Vec<Option<bool>> = (0..comments.len()).map(|i| Some(i % 2 == 0)).collect();
        let o = TokenOptions { ngrams: [1, 3], ..Default::default() };
        let (a, b) = one_pass(&comments, &sides, &o);
        let terms = (a.len() + b.len()) as u64;
        let got = count(&comments, &sides, &o, terms).unwrap();
        assert!(matches!(got, Counted::Tallies(_)));
        assert_eq!(got.listed(1), side_by_side(&a, &b, 1));
        // One term fewer: refused, and a thread's own tally reaching the cap stops its counting there.
        for cap in [terms - 1, a.len() as u64 / 2] {
            let e = count(&comments, &sides, &o, cap).err().unwrap();
            assert!(e.to_string().starts_with("invalid ngrams"), "{e}");
        }
    }

    #[test]
    fn token_lists_with_spaces_add_up_under_one_text() {
        let o = TokenOptions { stop_words: StopWords::None, token_lists: true, ..Default::default() };
        let lists = [Some(vec!["a b", "c"]), Some(vec!["a", "b c"]), Some(vec!["a b", "c"]), None];
        let sides = [Some(true), Some(true), Some(false), Some(false)];
        let got = count(&lists, &sides, &o, u64::MAX).unwrap();
        let (listed, _) = got.listed(3);
        assert_eq!(listed, [("a b c".to_string(), [2, 1, 2, 1])]);
        assert_eq!(got.texts(), [2, 1]);
    }

    #[test]
    fn words_find_their_ids_again_across_growth() {
        let mut w = Words::default();
        // Every length up to 40 bytes, and words differing in a single byte at each position.
        let mut all: Vec<String> = (0..5000).map(|i| format!("w{i}{}", "x".repeat(i % 40))).collect();
        for n in 1..=40 {
            for at in 0..n {
                let mut b = vec![b'a'; n];
                b[at] = b'b';
                all.push(String::from_utf8(b).unwrap());
            }
            all.push("a".repeat(n));
        }
        let ids: Vec<u32> = all.iter().map(|s| w.intern(s, &StopWords::English).0).collect();
        assert_eq!(ids, (0..all.len() as u32).collect::<Vec<u32>>());
        for (i, s) in all.iter().enumerate() {
            assert_eq!((w.intern(s, &StopWords::English).0, w.word(i as u32)), (i as u32, s.as_str()));
        }
        assert_eq!(w.len(), all.len());
    }
}
