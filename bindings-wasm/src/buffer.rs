//! Answers that live in the module's memory: `answersBuffer(n)` returns a `Uint8Array` view of a buffer
//! inside WebAssembly memory; JavaScript writes answers into it and every call that reads answers counts
//! a view of it (or of a `subarray` of it) in place, with no copy. One buffer per module, reused by every
//! `answersBuffer` call that fits in it.
//!
//! A view stays valid until the module's memory grows (every view of it is then detached: length 0, and
//! a call reading it throws a `TypeError`) or a later `answersBuffer(m)` with a larger `m` moves the buffer: take a
//! fresh view with `answersBuffer(n)` before each fill. A view of any other memory is copied as before.

use std::cell::RefCell;

use js_sys::{Object, Uint8Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The buffer; empty while a call has it on loan ([`Lent`]).
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn memory_buffer() -> JsValue {
    wasm_bindgen::memory().unchecked_into::<WebAssembly::Memory>().buffer()
}

/// A view of `n` bytes of the module's answers buffer (what an earlier fill left where nothing is written), for
/// JavaScript to fill: `const buf = answersBuffer(n); buf.set(data); nps(buf)`.
#[wasm_bindgen(js_name = answersBuffer)]
pub fn answers_buffer(n: u32) -> Uint8Array {
    BUFFER.with_borrow_mut(|b| {
        let n = n as usize;
        if b.len() < n {
            // Grown, never shrunk: views of a smaller n taken since stay inside it.
            b.resize(n, 0);
        }
        Uint8Array::new_with_byte_offset_and_length(&memory_buffer(), b.as_ptr() as u32, n as u32)
    })
}

/// The answers buffer on loan to one call, as the bytes a view of it covers; given back when dropped.
pub struct Lent {
    bytes: Vec<u8>,
    start: usize,
    end: usize,
}

impl Lent {
    /// The bytes of the view, read in place.
    pub fn get(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    /// The buffer on loan when `view` is a view of it (of the module's memory, inside the buffer).
    pub fn of(view: &Uint8Array) -> Option<Lent> {
        if !Object::is(&view.buffer(), &memory_buffer()) {
            return None;
        }
        let bytes = BUFFER.with_borrow_mut(std::mem::take);
        let start = (view.byte_offset() as usize).checked_sub(bytes.as_ptr() as usize);
        let lent = Lent { start: start.unwrap_or(0), end: start.unwrap_or(0) + view.length() as usize, bytes };
        match start.is_some() && lent.end <= lent.bytes.len() && !lent.bytes.is_empty() {
            true => Some(lent),
            false => None, // dropped: the buffer goes back
        }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        BUFFER.with_borrow_mut(|b| *b = std::mem::take(&mut self.bytes));
    }
}
