//! `cargo xtask bindings [--check]`: build the cdylib and generate Kotlin and
//! Swift with UniFFI's library mode into fixed, committed folders.
//!
//! The generated code is committed: SwiftPM consumes the package straight
//! from git (it cannot run a generator), and the Android module compiles the
//! Kotlin from the repository. `--check` regenerates into a scratch folder
//! and fails if the committed output differs, so CI catches stale bindings.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util::{build_workspace, host_cdylib_name, root, run, target_dir, target_root};

/// Where each generated file lives in the repository.
pub struct Layout {
    /// Kotlin package tree root (`ai/cardscan/core/cardscan_ffi.kt` below it).
    pub kotlin: PathBuf,
    /// The Swift target's sources (SwiftPM target `CardScanCore`).
    pub swift_sources: PathBuf,
    /// C header and module map of the FFI module (go into the xcframework).
    pub swift_include: PathBuf,
}

impl Layout {
    pub fn under(base: &Path) -> Self {
        Layout {
            kotlin: base.join("bindings/kotlin"),
            swift_sources: base.join("bindings/swift/Sources/CardScanCore"),
            swift_include: base.join("bindings/swift/include"),
        }
    }
}

/// Builds the workspace (see [`build_workspace`]: the host cdylib, the CLI
/// and `uniffi-bindgen` among it) and returns the cdylib's path.
pub fn build_host_cdylib() -> Result<PathBuf> {
    build_workspace()?;
    Ok(target_dir(None, "debug").join(host_cdylib_name()))
}

/// Generates into `layout` from the library at `lib`, with the
/// `uniffi-bindgen` that [`build_host_cdylib`] built.
pub fn generate(lib: &Path, layout: &Layout) -> Result<()> {
    let bindgen = target_dir(None, "debug").join("uniffi-bindgen");
    let scratch = target_root().join("xtask/bindgen-raw");
    let _ = fs::remove_dir_all(&scratch);
    for lang in ["kotlin", "swift"] {
        run(Command::new(&bindgen)
            .current_dir(root())
            .args(["generate", "--library"])
            .arg(lib)
            .args(["--language", lang, "--no-format", "--config"])
            .arg(root().join("uniffi.toml"))
            .arg("--out-dir")
            .arg(scratch.join(lang)))?;
    }
    // Xcode and SwiftPM look for `module.modulemap` by that exact name.
    let swift = scratch.join("swift");
    for entry in fs::read_dir(&swift)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "modulemap") {
            fs::rename(&path, swift.join("module.modulemap"))?;
        }
    }
    replace_dir(&scratch.join("kotlin"), &layout.kotlin, |_| true)?;
    replace_dir(&scratch.join("swift"), &layout.swift_sources, |n| {
        n.ends_with(".swift")
    })?;
    replace_dir(&scratch.join("swift"), &layout.swift_include, |n| {
        !n.ends_with(".swift")
    })?;
    Ok(())
}

/// `cargo xtask bindings [--check]`.
pub fn bindings(check: bool) -> Result<()> {
    let lib = build_host_cdylib()?;
    if !check {
        generate(&lib, &Layout::under(&root()))?;
        eprintln!("bindings written to bindings/kotlin and bindings/swift");
        return Ok(());
    }
    let fresh = target_root().join("xtask/bindings-check");
    let _ = fs::remove_dir_all(&fresh);
    generate(&lib, &Layout::under(&fresh))?;
    let committed = snapshot(
        &root().join("bindings"),
        &["kotlin", "swift/Sources", "swift/include"],
    )?;
    let generated = snapshot(
        &fresh.join("bindings"),
        &["kotlin", "swift/Sources", "swift/include"],
    )?;
    if committed != generated {
        let mut names: Vec<_> = committed.keys().chain(generated.keys()).collect();
        names.sort();
        names.dedup();
        for n in names
            .into_iter()
            .filter(|n| committed.get(*n) != generated.get(*n))
        {
            eprintln!("stale: bindings/{n}");
        }
        bail!("committed bindings differ from the generated ones: run `cargo xtask bindings` and commit");
    }
    eprintln!("committed bindings are up to date");
    Ok(())
}

/// Makes the files of `dst` chosen by `keep` equal to those of `src`
/// (recursively): stale generated files go, unchanged ones are not rewritten
/// (their mtimes drive the Kotlin compile cache).
fn replace_dir(src: &Path, dst: &Path, keep: impl Fn(&str) -> bool + Copy) -> Result<()> {
    let wanted = snapshot_filtered(src, keep)?;
    let existing = snapshot_filtered(dst, |_| true)?;
    for rel in existing.keys().filter(|k| !wanted.contains_key(*k)) {
        fs::remove_file(dst.join(rel))?;
    }
    for (rel, bytes) in &wanted {
        if existing.get(rel) != Some(bytes) {
            let to = dst.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&to, bytes).with_context(|| format!("writing {}", to.display()))?;
        }
    }
    Ok(())
}

fn snapshot_filtered(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut all = BTreeMap::new();
    collect(dir, dir, &mut all)?;
    all.retain(|rel, _| keep(rel.rsplit('/').next().unwrap_or(rel)));
    Ok(all)
}

/// Relative path → contents of every file under `base/<sub>`.
fn snapshot(base: &Path, subs: &[&str]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    for sub in subs {
        collect(base, &base.join(sub), &mut out)?;
    }
    Ok(out)
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect(base, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(base)?
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(&path)?);
        }
    }
    Ok(())
}
