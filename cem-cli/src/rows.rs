//! The CSV reader every command shares: the file streamed in chunks of rows (answers, segment codes,
//! weights, dates, or a counts file's groups), a blank line in a one-column file read as a missing
//! answer, and a bad cell or a core error located by file, row, line and column.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};

use crate::{Cli, Failure};

/// Rows counted per chunk: large enough to amortise the call, small enough to keep memory flat.
pub(crate) const CHUNK: usize = 1 << 16;

/// The input with, in a one-column file, each blank line written as `""`: the csv crate skips blank
/// lines, but in a column of answers a blank line is a missing answer, and skipping it would change n.
pub(crate) struct BlankLines<R> {
    input: std::io::BufReader<R>,
    one_column: Option<bool>,
    line: Vec<u8>,
    at: usize,
}

impl<R: Read> BlankLines<R> {
    fn new(input: R) -> Self {
        BlankLines {
            input: std::io::BufReader::with_capacity(1 << 20, input),
            one_column: None,
            line: Vec::new(),
            at: 0,
        }
    }
}

impl<R: Read> Read for BlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        if self.one_column == Some(false) {
            return self.input.read(buf); // the csv crate's own reading, untouched
        }
        if self.at == self.line.len() {
            self.line.clear();
            self.at = 0;
            if self.input.read_until(b'\n', &mut self.line)? == 0 {
                return Ok(0);
            }
            match self.one_column {
                None => self.one_column = Some(!self.line.contains(&b',')), // the header line
                Some(_) if self.line.iter().all(|b| matches!(b, b'\r' | b'\n')) => {
                    self.line.splice(0..0, *b"\"\"");
                }
                Some(_) => {}
            }
        }
        let n = buf.len().min(self.line.len() - self.at);
        buf[..n].copy_from_slice(&self.line[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A chunk of rows: segment codes into names, answers, weights and dates (each where the run reads them);
/// in a counts file, each group's count and weight sums.
pub(crate) struct Chunk<'c> {
    pub(crate) counts: &'c [f64],
    pub(crate) sums: Option<&'c [f64]>,
    pub(crate) squares: Option<&'c [f64]>,
    pub(crate) codes: &'c [i64],
    pub(crate) names: &'c [String],
    pub(crate) answers: &'c [f64],
    pub(crate) weights: Option<&'c [f64]>,
    pub(crate) dates: &'c [&'c str],
}

/// The CSV's rows, read as [`Chunk`]s.
pub(crate) struct Rows<'a, R: Read> {
    pub(crate) cli: &'a Cli,
    pub(crate) name: &'a str,
    pub(crate) reader: csv::Reader<BlankLines<R>>,
    pub(crate) answer_col: usize,
    pub(crate) segment_col: Option<usize>,
    pub(crate) weight_col: Option<usize>,
    pub(crate) date_col: Option<usize>,
    /// Counts, weight sums and squared weight sums of a counts file.
    pub(crate) count_cols: [Option<usize>; 3],
}

impl<'a, R: Read> Rows<'a, R> {
    pub(crate) fn open(cli: &'a Cli, name: &'a str, input: R) -> Result<Self, Failure> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(BlankLines::new(input));
        let headers = reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
        let column = |col: &str| {
            headers.iter().position(|h| h == col).ok_or_else(|| {
                let all: Vec<&str> = headers.iter().collect();
                Failure(format!("{name}: no column {col:?}; the columns are {}", all.join(", ")))
            })
        };
        Ok(Rows {
            cli,
            name,
            answer_col: column(cli.answer())?,
            segment_col: cli.segment.as_ref().map(|c| column(c)).transpose()?,
            weight_col: cli.weight.as_ref().map(|c| column(c)).transpose()?,
            date_col: cli.trend.as_ref().map(|c| column(c)).transpose()?,
            count_cols: [
                cli.count.as_ref().map(|c| column(c)).transpose()?,
                cli.weight_sum.as_ref().map(|c| column(c)).transpose()?,
                cli.weight_sq_sum.as_ref().map(|c| column(c)).transpose()?,
            ],
            reader,
        })
    }

    /// Calls `count` on each chunk of rows; a core error it returns is located in the file.
    pub(crate) fn each_chunk(&mut self, mut count: impl FnMut(&Chunk) -> cem_core::Result<()>) -> Result<(), Failure> {
        let (cli, name) = (self.cli, self.name);
        let mut index: HashMap<String, i64> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let (mut codes, mut answers, mut weights) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK), Vec::new());
        let mut counted: [Vec<f64>; 3] = Default::default(); // counts, Σw, Σw² of a counts file
                                                             // The chunk's dates, one text: each row's date is a range of it (no string per row).
        let (mut date_text, mut date_ends) = (String::new(), Vec::new());
        let mut rows = 0usize; // data rows read so far
        let mut chunk_start = 0usize;
        let progress = std::io::stderr().is_terminal();
        let mut record = csv::StringRecord::new();
        // Locates a core error (an index into the chunk) in the file, then reports it.
        let locate = |e: cem_core::CemError, start: usize| {
            let col = match e {
                cem_core::CemError::InvalidWeight { .. } => cli.weight.clone().unwrap_or_default(),
                cem_core::CemError::InvalidSegment { .. } => cli.segment.clone().unwrap_or_default(),
                cem_core::CemError::InvalidDate { .. } => cli.trend.clone().unwrap_or_default(),
                _ => cli.answer().to_string(),
            };
            located(name, &col, e, start)
        };
        loop {
            let more = self.reader.read_record(&mut record).map_err(|e| Failure(format!("{name}: {e}")))?;
            if more {
                let cell = |c: usize, col: &str| number(name, &record, c, col, rows);
                answers.push(cell(self.answer_col, cli.answer())?);
                if let (Some(c), Some(col)) = (self.weight_col, &cli.weight) {
                    weights.push(cell(c, col)?);
                }
                let count_names = [&cli.count, &cli.weight_sum, &cli.weight_sq_sum];
                for ((col, name), out) in self.count_cols.iter().zip(count_names).zip(counted.iter_mut()) {
                    if let (Some(c), Some(name)) = (col, name) {
                        out.push(cell(*c, name)?);
                    }
                }
                if let Some(c) = self.date_col {
                    date_text.push_str(record.get(c).unwrap_or("").trim());
                    date_ends.push(date_text.len());
                }
                let key = match self.segment_col {
                    None => Some("all"),
                    // A blank segment is a missing key, which the core refuses naming the row (as a null
                    // key is in Python and JavaScript).
                    Some(c) => Some(record.get(c).unwrap_or("").trim()).filter(|v| !v.is_empty()),
                };
                let code = match key.map(|k| (k, index.get(k))) {
                    None => -1,
                    Some((_, Some(&c))) => c,
                    Some((k, None)) => {
                        names.push(k.to_string());
                        index.insert(k.to_string(), (names.len() - 1) as i64);
                        (names.len() - 1) as i64
                    }
                };
                codes.push(code);
                rows += 1;
            }
            if answers.len() == CHUNK || (!more && !answers.is_empty()) {
                let dates: Vec<&str> = date_ends
                    .iter()
                    .scan(0, |start, &end| Some(&date_text[std::mem::replace(start, end)..end]))
                    .collect();
                let chunk = Chunk {
                    counts: &counted[0],
                    sums: self.count_cols[1].map(|_| counted[1].as_slice()),
                    squares: self.count_cols[2].map(|_| counted[2].as_slice()),
                    codes: &codes,
                    names: &names,
                    answers: &answers,
                    weights: self.weight_col.map(|_| weights.as_slice()),
                    dates: &dates,
                };
                count(&chunk).map_err(|e| locate(e, chunk_start))?;
                chunk_start = rows;
                codes.clear();
                answers.clear();
                weights.clear();
                counted.iter_mut().for_each(Vec::clear);
                date_text.clear();
                date_ends.clear();
                if progress && rows.is_multiple_of(CHUNK * 16) {
                    eprint!("\rcem: {rows} rows");
                }
            }
            if !more {
                break;
            }
        }
        if progress && rows >= CHUNK * 16 {
            eprintln!("\rcem: {rows} rows");
        }
        Ok(())
    }
}

/// A cell as a number (blank: a missing answer, NaN); text is reported with its row and column.
pub(crate) fn number(name: &str, record: &csv::StringRecord, c: usize, col: &str, row: usize) -> Result<f64, Failure> {
    let v = record.get(c).unwrap_or("").trim();
    if v.is_empty() {
        return Ok(f64::NAN);
    }
    v.parse::<f64>().map_err(|_| {
        Failure(format!("{name}: row {} (line {}), column {col:?}: {v:?} is not a number", row + 1, row + 2))
    })
}

/// A core error located in the file (its index counts from data row `start` of the chunk).
pub(crate) fn located(name: &str, col: &str, e: cem_core::CemError, start: usize) -> Failure {
    match e.index() {
        // The core's stable code closes the message, as `.code` does in Python and JavaScript.
        Some(i) => Failure(format!(
            "{name}: row {} (line {}), column {col:?}: {e} [{}]",
            start + i + 1,
            start + i + 2,
            e.code()
        )),
        None => Failure(format!("{name}: {e} [{}]", e.code())),
    }
}
