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
