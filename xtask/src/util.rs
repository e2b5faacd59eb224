//! Small helpers: the repository root and running commands loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` when set (relative to the
/// repository root, as cargo reads it), else `<root>/target`. Everything the
/// xtask builds or scratches lives here.
pub fn target_root() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// `cargo` as invoked by the user (respects `$CARGO`).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Builds every crate of the workspace with all its targets, in debug.
///
/// These are exactly the units `cargo test --workspace` builds (dev-dependencies
/// active, features unified over the whole workspace), so after the test step
/// this only links the binaries and the cdylib. A narrower `cargo build -p
/// cardscan-ffi` resolves features for that one package and so rebuilds tokio,
/// tract and everything above them: twice that (cdylib, CLI) and a third time
/// for an xtask that linked the core pushed CI past its time limit.
pub fn build_workspace() -> Result<()> {
    run(cargo().args(["build", "--workspace", "--all-targets", "--locked"]))
}

/// Runs `cmd`, echoing it first; fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("+ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Whether `program` can be started (found on PATH).
pub fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// File name of the cdylib for the host (`libcardscan_ffi.so` / `.dylib`).
pub fn host_cdylib_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "libcardscan_ffi.dylib"
    } else if cfg!(target_os = "windows") {
        "cardscan_ffi.dll"
    } else {
        "libcardscan_ffi.so"
    }
}

/// `target/<profile dir>` of the shared workspace target folder.
pub fn target_dir(triple: Option<&str>, profile_dir: &str) -> PathBuf {
    let mut p = target_root();
    if let Some(t) = triple {
        p.push(t);
    }
    p.push(profile_dir);
    p
}
