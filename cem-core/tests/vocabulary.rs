//! The Python `Literal` aliases and the TypeScript unions are generated from the core's one declaration of
//! each vocabulary (`cem_core::vocabularies`); this test fails when the committed files drift from it.
//! `CEM_BLESS=1 cargo test -p cem-core --test vocabulary` rewrites them.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn quoted(v: &cem_core::Vocabulary) -> Vec<String> {
    v.names.iter().chain(&v.aliases).map(|n| format!("\"{n}\"")).collect()
}

fn python() -> String {
    let mut out = String::from(
        "\"\"\"The names each option and result field accepts, as `Literal` types (generated from cem-core's\n\
         vocabularies by cem-core/tests/vocabulary.rs; do not edit). Aliases follow the names.\"\"\"\n\n\
         from typing import Literal\n\n__all__ = [",
    );
    let v = cem_core::vocabularies();
    out += &v.iter().map(|v| format!("\"{}\"", v.name)).collect::<Vec<_>>().join(", ");
    out += "]\n";
    for v in &v {
        out += &format!("\n{} = Literal[{}]\n", v.name, quoted(v).join(", "));
    }
    out
}

fn typescript() -> String {
    let mut out = String::from(
        "// <vocabulary> generated from cem-core's vocabularies by cem-core/tests/vocabulary.rs; do not edit\n",
    );
    for v in cem_core::vocabularies() {
        out += &format!("export type {} = {};\n", v.name, quoted(&v).join(" | "));
    }
    out + "// </vocabulary>"
}

/// Replaces the block between the markers in `text` (or fails naming the file).
fn with_block(text: &str, block: &str, file: &str) -> String {
    let start = text.find("// <vocabulary>").unwrap_or_else(|| panic!("{file} has no // <vocabulary> block"));
    let end = text.find("// </vocabulary>").unwrap() + "// </vocabulary>".len();
    format!("{}{}{}", &text[..start], block, &text[end..])
}

#[test]
fn generated_types_match_the_core_vocabularies() {
    let bless = std::env::var_os("CEM_BLESS").is_some();
    let py = root().join("bindings-python/python/cemscore/vocabulary.py");
    let ts = root().join("bindings-wasm/index.d.ts");
    let ts_text = std::fs::read_to_string(&ts).unwrap();
    let expected = [(py.clone(), python()), (ts.clone(), with_block(&ts_text, &typescript(), "index.d.ts"))];
    for (path, text) in expected {
        if bless {
            std::fs::write(&path, &text).unwrap();
        } else {
            let now = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                now == text,
                "{} drifted from cem-core's vocabularies: run CEM_BLESS=1 cargo test -p cem-core --test vocabulary",
                path.display()
            );
        }
    }
}
