//! `cargo xtask kotlin-test`: the generated Kotlin on a real JVM.
//!
//! Installs what a fresh machine lacks (kotlinc from the npm package
//! `kotlin-compiler` into `.tools/`, JNA and a JDK from Debian), builds the
//! workspace (the cdylib, and the `cardscan` CLI: the suite spawns its
//! sandbox), writes the test media with the CLI's own scene generator,
//! regenerates the bindings, compiles them with the suite in
//! `bindings/kotlin-test/src` and runs it with `-Djna.library.path` on the
//! fresh library. The suite prints its own `N passed, N failed` line and
//! exits non-zero on failure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{bail, Context, Result};

use crate::bindings::{build_host_cdylib, generate, Layout};
use crate::util::{have, root, run, target_dir};

/// kotlinc version from npm (its `lib/` also carries kotlinx-coroutines).
const KOTLIN_COMPILER: &str = "kotlin-compiler@2.2.20";
const JNA_JAR: &str = "/usr/share/java/jna.jar";

/// Paths of the tools the suite needs.
struct Tools {
    kotlinc: PathBuf,
    kotlin_lib: PathBuf,
    jna: PathBuf,
}

pub fn kotlin_test(filter: Option<&str>) -> Result<()> {
    let tools = ensure_tools()?;
    let lib = build_host_cdylib()?;
    let debug = target_dir(None, "debug");
    let cli = debug.join("cardscan");
    generate(&lib, &Layout::under(&root()))?;
    let media = root().join("bindings/kotlin-test/build/media");
    write_media(&cli, &media)?;
    let jar = compile(&tools)?;
    let classpath = [
        jar,
        tools.kotlin_lib.join("kotlin-stdlib.jar"),
        tools.kotlin_lib.join("kotlinx-coroutines-core-jvm.jar"),
        tools.jna.clone(),
    ]
    .map(|p| p.to_string_lossy().into_owned())
    .join(":");
    let mut java = Command::new("java");
    java.current_dir(root())
        .arg(format!("-Djna.library.path={}", debug.display()))
        .arg(format!("-Dcardscan.cli={}", cli.display()))
        .arg(format!("-Dcardscan.filter={}", filter.unwrap_or("")))
        .arg(format!("-Dcardscan.media={}", media.display()))
        .args(["-cp", &classpath, "ai.cardscan.core.test.MainKt"]);
    run(&mut java)
}

/// The suite's media, made by the project itself through the CLI: a front
/// and a back sample card (JPEG) and the sample handheld video (y4m: empty
/// table, the card sliding in and held steady, then flipped), so the
/// scanner scenario captures from the same stream as `cardscan demo`.
fn write_media(cli: &Path, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir)?;
    for side in ["front", "back"] {
        run(Command::new(cli)
            .args(["synth", "card", "--side", side, "--seed", "7", "--out"])
            .arg(dir.join(format!("{side}.jpg"))))?;
    }
    run(Command::new(cli)
        .args(["synth", "video", "--seed", "1", "--out"])
        .arg(dir.join("stream.y4m")))
    .context("writing the test video")
}

/// Installs kotlinc, JNA and a JDK when missing; idempotent.
fn ensure_tools() -> Result<Tools> {
    if !have("java") {
        apt_install(&["default-jdk-headless"])?;
    }
    if !Path::new(JNA_JAR).exists() {
        apt_install(&["libjna-java"])?;
    }
    let prefix = root().join(".tools/kotlin");
    let home = prefix.join("node_modules/kotlin-compiler");
    if !home.join("bin/kotlinc").exists() {
        if !have("npm") {
            apt_install(&["npm"])?;
        }
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(KOTLIN_COMPILER))?;
    }
    Ok(Tools {
        kotlinc: home.join("bin/kotlinc"),
        kotlin_lib: home.join("lib"),
        jna: JNA_JAR.into(),
    })
}

fn apt_install(packages: &[&str]) -> Result<()> {
    if !have("apt-get") {
        bail!("missing {packages:?} and no apt-get here: install them by hand");
    }
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(packages))
}

/// Compiles the generated Kotlin plus the suite into one jar, skipping the
/// (slow) compiler when the jar is newer than every source.
fn compile(tools: &Tools) -> Result<PathBuf> {
    let sources = [
        root().join("bindings/kotlin"),
        root().join("bindings/kotlin-test/src"),
    ];
    let out = root().join("bindings/kotlin-test/build");
    let jar = out.join("cardscan-kotlin-test.jar");
    let newest = sources.iter().map(|d| newest_mtime(d)).max().flatten();
    let built = fs::metadata(&jar).and_then(|m| m.modified()).ok();
    if let (Some(src), Some(jar_time)) = (newest, built) {
        if jar_time > src {
            eprintln!("kotlin suite is up to date: {}", jar.display());
            return Ok(jar);
        }
    }
    fs::create_dir_all(&out)?;
    let classpath = format!(
        "{}:{}",
        tools
            .kotlin_lib
            .join("kotlinx-coroutines-core-jvm.jar")
            .display(),
        tools.jna.display()
    );
    let mut kotlinc = Command::new(&tools.kotlinc);
    kotlinc
        .current_dir(root())
        .args(sources.iter())
        .args(["-nowarn", "-jvm-target", "17", "-cp", &classpath, "-d"])
        .arg(&jar);
    run(&mut kotlinc).context("compiling the Kotlin suite")?;
    Ok(jar)
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() {
            newest_mtime(&path)
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        newest = newest.max(t);
    }
    newest
}
