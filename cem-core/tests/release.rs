//! One version and one license for every package, set in the workspace `Cargo.toml`
//! (`[workspace.package]`): this test fails when a crate, `package.json`, `package-lock.json`,
//! `pyproject.toml`, the CLI's requirement on `cem-core`, `CHANGELOG.md` or a per-platform npm package of
//! `@cemscore/node` (`bindings-node/npm/<platform>/package.json`) disagrees with it.

use std::fs;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The value of `key = "…"` in the TOML table `[table]` of `text` (a line-level reader: enough for
/// the manifests here, which keep these keys on one line).
fn toml_value(text: &str, table: &str, key: &str) -> Option<String> {
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == format!("[{table}]");
        } else if inside {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == key {
                    return Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    None
}

fn workspace(key: &str) -> String {
    toml_value(&read("Cargo.toml"), "workspace.package", key).unwrap_or_else(|| panic!("no workspace {key}"))
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const CRATES: [&str; 6] = ["cem-core", "cem-cli", "benches", "bindings-python", "bindings-wasm", "bindings-node"];
const NPM: [&str; 2] = ["bindings-wasm", "bindings-node"];

#[test]
fn every_crate_takes_the_workspace_version_and_license() {
    for c in CRATES {
        let manifest = read(&format!("{c}/Cargo.toml"));
        for key in ["version.workspace", "license.workspace"] {
            assert_eq!(toml_value(&manifest, "package", key).as_deref(), Some("true"), "{c}/Cargo.toml: {key}");
        }
    }
    let cli = read("cem-cli/Cargo.toml");
    let requirement = toml_value(&cli, "dependencies", "cem-core").expect("cem-cli depends on cem-core");
    assert!(
        requirement.contains(&format!("version = \"={}\"", workspace("version"))),
        "cem-cli/Cargo.toml requires cem-core {requirement}, the workspace version is {}",
        workspace("version")
    );
}

#[test]
fn the_npm_packages_and_their_locks_carry_the_workspace_version_and_license() {
    let (version, license) = (workspace("version"), workspace("license"));
    for p in NPM {
        let package = json(&format!("{p}/package.json"));
        assert_eq!(package["version"], version.as_str(), "{p}/package.json version");
        assert_eq!(package["license"], license.as_str(), "{p}/package.json license");
        let lock = json(&format!("{p}/package-lock.json"));
        assert_eq!(lock["version"], version.as_str(), "{p}/package-lock.json version");
        assert_eq!(lock["packages"][""]["version"], version.as_str(), "{p}/package-lock.json packages[\"\"]");
    }
}

/// The napi-rs name of a Rust target's platform package: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, …
/// with its npm `os`, `cpu` and (Linux only) `libc`.
fn npm_platform(triple: &str) -> (String, &'static str, &'static str, Option<&'static str>) {
    let cpu = match triple.split('-').next() {
        Some("x86_64") => "x64",
        Some("aarch64") => "arm64",
        _ => panic!("napi target {triple}: unknown cpu"),
    };
    let (os, abi, libc) = match triple {
        t if t.ends_with("-linux-gnu") => ("linux", Some("gnu"), Some("glibc")),
        t if t.ends_with("-linux-musl") => ("linux", Some("musl"), Some("musl")),
        t if t.ends_with("-apple-darwin") => ("darwin", None, None),
        t if t.ends_with("-pc-windows-msvc") => ("win32", Some("msvc"), None),
        _ => panic!("napi target {triple}: unknown os"),
    };
    let name = [Some(os), Some(cpu), abi].into_iter().flatten().collect::<Vec<_>>().join("-");
    (name, os, cpu, libc)
}

#[test]
fn each_napi_target_has_its_platform_package_with_the_workspace_version() {
    let (version, license) = (workspace("version"), workspace("license"));
    let node = json("bindings-node/package.json");
    let files = node["files"].as_array().expect("bindings-node/package.json files");
    assert!(!files.iter().any(|f| f.as_str().is_some_and(|f| f.ends_with(".node"))), "the root package holds no .node");
    let mut expected: Vec<String> = Vec::new();
    for target in node["napi"]["targets"].as_array().expect("napi.targets") {
        let (platform, os, cpu, libc) = npm_platform(target.as_str().expect("a target"));
        let path = format!("bindings-node/npm/{platform}/package.json");
        let package = json(&path);
        let addon = format!("cemscore.{platform}.node");
        assert_eq!(package["name"], format!("@cemscore/node-{platform}").as_str(), "{path} name");
        assert_eq!(package["version"], version.as_str(), "{path} version");
        assert_eq!(package["license"], license.as_str(), "{path} license");
        assert_eq!(package["os"], serde_json::json!([os]), "{path} os");
        assert_eq!(package["cpu"], serde_json::json!([cpu]), "{path} cpu");
        assert_eq!(package["libc"], libc.map_or(serde_json::Value::Null, |l| serde_json::json!([l])), "{path} libc");
        assert_eq!(package["main"], addon.as_str(), "{path} main");
        assert!(package["files"].as_array().is_some_and(|f| f.iter().any(|f| f == addon.as_str())), "{path} files");
        expected.push(platform);
    }
    // No package left over from a target removed from napi.targets (it would still be published).
    let mut present: Vec<String> = fs::read_dir(root().join("bindings-node/npm"))
        .expect("bindings-node/npm")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    expected.sort();
    assert_eq!(present, expected, "bindings-node/npm/ against napi.targets");
}

#[test]
fn the_python_package_takes_the_workspace_version_and_license() {
    let pyproject = read("bindings-python/pyproject.toml");
    // maturin reads the version from bindings-python/Cargo.toml, which takes the workspace's.
    match toml_value(&pyproject, "project", "version") {
        Some(v) => assert_eq!(v, workspace("version"), "bindings-python/pyproject.toml version"),
        None => assert!(
            toml_value(&pyproject, "project", "dynamic").is_some_and(|d| d.contains("\"version\"")),
            "pyproject.toml has neither a version nor a dynamic one"
        ),
    }
    let license = toml_value(&pyproject, "project", "license").expect("pyproject.toml license");
    assert!(license.contains(&workspace("license")), "pyproject.toml license {license}");
}

#[test]
fn the_changelog_has_the_version_and_the_license_files_exist() {
    let version = workspace("version");
    assert!(read("CHANGELOG.md").contains(&format!("## [{version}]")), "CHANGELOG.md has no entry for {version}");
    assert_eq!(workspace("license"), "MIT OR Apache-2.0");
    assert!(read("LICENSE-MIT").starts_with("MIT License"));
    assert!(read("LICENSE-APACHE").contains("Apache License\n                           Version 2.0"));
}

#[test]
fn the_readme_installs_the_artifacts_of_this_version() {
    // The lines scripts/test-install.sh runs, with the file names `make dist` writes.
    let (readme, version) = (read("README.md"), workspace("version"));
    for line in [
        format!("pip install dist/cemscore-{version}-cp39-abi3-*.whl"),
        format!("npm install dist/cemscore-wasm-{version}.tgz"),
        format!("npm install dist/cemscore-node-{version}.tgz"),
    ] {
        assert!(readme.contains(&line), "README.md lacks `{line}`");
    }
    let script = read("scripts/test-install.sh");
    for part in [
        "cemscore-\"$VERSION\"-*abi3*manylinux_2_17_x86_64.whl",
        "cemscore-\"$VERSION\"-*abi3*manylinux_2_17_aarch64.whl",
        "cemscore-wasm-$VERSION.tgz",
        "cemscore-node-$VERSION.tgz",
        "cemscore-node-linux-x64-gnu-$VERSION.tgz",
        "cemscore-node-linux-arm64-gnu-$VERSION.tgz",
        "install",
    ] {
        assert!(script.contains(part), "scripts/test-install.sh lacks {part}");
    }
}
