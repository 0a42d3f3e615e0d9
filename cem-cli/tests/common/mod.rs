//! What the command's tests share: running the built `cem` with arguments and standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `cem args…` with `stdin` as its standard input.
pub fn cem(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may stop reading early (a bad option, a missing file): a broken pipe is expected then.
    // Written from a thread: `cem classify` writes while it reads, so stdout must drain meanwhile.
    let (mut input, text) = (child.stdin.take().unwrap(), stdin.to_string());
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// [`cem`] as (success, stdout, stderr).
#[allow(dead_code)] // not every test file reads the output as text
pub fn cem_text(args: &[&str], stdin: &str) -> (bool, String, String) {
    let out = cem(args, stdin);
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Compares a result with a vector's expected JSON: every expected key but `method`, numbers within
/// `abs + rel·|e|`, the rest equal; each mismatch pushed to `failures` with its path.
#[allow(dead_code)] // not every test file runs vectors
pub fn check(
    path: &str,
    actual: &serde_json::Value,
    expected: &serde_json::Value,
    abs: f64,
    rel: f64,
    failures: &mut Vec<String>,
) {
    use serde_json::Value;
    match expected {
        Value::Object(map) => {
            for (k, e) in map.iter().filter(|(k, _)| k.as_str() != "method") {
                check(&format!("{path}.{k}"), actual.get(k).unwrap_or(&Value::Null), e, abs, rel, failures);
            }
        }
        Value::Array(items) => match actual.as_array() {
            Some(a) if a.len() == items.len() => {
                for (i, (x, e)) in a.iter().zip(items).enumerate() {
                    check(&format!("{path}[{i}]"), x, e, abs, rel, failures);
                }
            }
            _ => failures.push(format!("{path}: {actual} != {expected}")),
        },
        Value::Number(e) => {
            let (a, e) = (actual.as_f64().unwrap_or(f64::NAN), e.as_f64().unwrap());
            if (a - e).abs().is_nan() || (a - e).abs() > abs + rel * e.abs() {
                failures.push(format!("{path}: got {a}, expected {e}"));
            }
        }
        _ if actual != expected => failures.push(format!("{path}: got {actual}, expected {expected}")),
        _ => {}
    }
}
