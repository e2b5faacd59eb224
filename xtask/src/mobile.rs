//! Mobile packaging and checks: `check-mobile`, `build-ios`, `build-android`,
//! `size`. Only `check-mobile` and `size` can run on a Linux machine without
//! Xcode or the Android NDK; the build steps say so when tools are missing.

use std::fs;
use std::process::Command;

use anyhow::{bail, Result};

use crate::util::{cargo, have, host_cdylib_name, root, run, target_dir, target_root};

/// Mobile targets checked on every machine (`rustup target add` works here).
const CHECK_TARGETS: [&str; 2] = ["aarch64-linux-android", "aarch64-apple-ios"];
const IOS_DEVICE: &str = "aarch64-apple-ios";
const IOS_SIMS: [&str; 2] = ["aarch64-apple-ios-sim", "x86_64-apple-ios"];
/// Android ABIs shipped in the AAR (cargo-ndk names).
const ANDROID_ABIS: [&str; 3] = ["arm64-v8a", "armeabi-v7a", "x86_64"];
const ANDROID_TRIPLES: [&str; 3] = [
    "aarch64-linux-android",
    "armv7-linux-androideabi",
    "x86_64-linux-android",
];
/// Android 15+ devices may use 16 KB pages: every ELF segment must be aligned to it.
const PAGE_SIZE_FLAGS: &str = "-C link-arg=-Wl,-z,max-page-size=16384";

/// Clang target triples for the build scripts that assemble code
/// (tract-linalg's ARM kernels): host clang is a cross-assembler, and
/// `cargo check` links nothing, so neither the NDK nor Xcode is needed.
const CLANG_TARGETS: [(&str, &str); 2] = [
    ("aarch64_linux_android", "aarch64-linux-android21"),
    ("aarch64_apple_ios", "arm64-apple-ios13.0"),
];

/// `cargo check` of core + FFI for each mobile target, without the TLS
/// backend: ring (via rustls) compiles C against the platform's libc
/// headers, which only the NDK / Xcode provide. Everything else — all Rust
/// code of both crates and every other dependency — is checked; assembly in
/// build scripts goes through the host clang with `--target`.
pub fn check_mobile() -> Result<()> {
    if !have("clang") || !have("llvm-ar") {
        // A fresh machine may have stale package lists: refresh them first.
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get").args(["install", "-y", "-qq", "clang", "llvm"]))?;
    }
    run(Command::new("rustup")
        .args(["target", "add"])
        .args(CHECK_TARGETS))?;
    // One cargo run for both targets: the host build scripts and proc-macros
    // are built once, not once per target.
    let mut cmd = cargo();
    for (var, clang_target) in CLANG_TARGETS {
        cmd.env(format!("CC_{var}"), "clang")
            .env(format!("CFLAGS_{var}"), format!("--target={clang_target}"))
            .env(
                format!("AR_{var}"),
                if have("llvm-ar") { "llvm-ar" } else { "ar" },
            );
    }
    // cc-rs asks `xcrun` for the iOS SDK unless SDKROOT is set; assembling
    // needs no SDK headers, so an empty folder will do.
    let no_sdk = target_root().join("xtask/no-sdk");
    fs::create_dir_all(&no_sdk)?;
    cmd.env("SDKROOT", &no_sdk);
    cmd.args([
        "check",
        "--locked",
        "-p",
        "cardscan-core",
        "-p",
        "cardscan-ffi",
        "--lib",
        "--no-default-features",
    ]);
    for target in CHECK_TARGETS {
        cmd.args(["--target", target]);
    }
    run(&mut cmd)?;
    eprintln!("checked {CHECK_TARGETS:?} without feature `tls` (ring's C needs the NDK / iOS SDK libc headers)");
    Ok(())
}

/// Builds `CardScanCore.xcframework` (needs macOS with Xcode).
pub fn build_ios() -> Result<()> {
    if !have("xcodebuild") || !have("lipo") {
        bail!("build-ios needs a Mac with Xcode (xcodebuild, lipo)");
    }
    let all: Vec<&str> = std::iter::once(IOS_DEVICE).chain(IOS_SIMS).collect();
    run(Command::new("rustup").args(["target", "add"]).args(&all))?;
    for t in &all {
        run(cargo().args([
            "build",
            "-p",
            "cardscan-ffi",
            "--lib",
            "--profile",
            "mobile",
            "--target",
            t,
        ]))?;
    }
    crate::bindings::bindings(false)?;
    let lib = |t: &str| target_dir(Some(t), "mobile").join("libcardscan_ffi.a");
    let sim_dir = target_root().join("xtask/ios-sim");
    fs::create_dir_all(&sim_dir)?;
    let sim_lib = sim_dir.join("libcardscan_ffi.a");
    run(Command::new("lipo")
        .arg("-create")
        .args(IOS_SIMS.map(lib))
        .arg("-output")
        .arg(&sim_lib))?;
    let out = root().join("bindings/swift/CardScanCore.xcframework");
    let _ = fs::remove_dir_all(&out);
    let headers = root().join("bindings/swift/include");
    run(Command::new("xcodebuild")
        .arg("-create-xcframework")
        .arg("-library")
        .arg(lib(IOS_DEVICE))
        .arg("-headers")
        .arg(&headers)
        .arg("-library")
        .arg(&sim_lib)
        .arg("-headers")
        .arg(&headers)
        .arg("-output")
        .arg(&out))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Builds the jniLibs of the Android module with cargo-ndk (needs the NDK:
/// `ANDROID_NDK_HOME`), 16 KB page aligned, then the bindings.
pub fn build_android() -> Result<()> {
    if std::env::var_os("ANDROID_NDK_HOME").is_none()
        && std::env::var_os("ANDROID_NDK_ROOT").is_none()
    {
        bail!("build-android needs the Android NDK: set ANDROID_NDK_HOME");
    }
    if !have("cargo-ndk") {
        run(cargo().args(["install", "cargo-ndk", "--locked"]))?;
    }
    run(Command::new("rustup")
        .args(["target", "add"])
        .args(ANDROID_TRIPLES))?;
    let mut cmd = cargo();
    for triple in ANDROID_TRIPLES {
        let var = format!(
            "CARGO_TARGET_{}_RUSTFLAGS",
            triple.to_uppercase().replace('-', "_")
        );
        cmd.env(var, PAGE_SIZE_FLAGS);
    }
    cmd.arg("ndk");
    for abi in ANDROID_ABIS {
        cmd.args(["-t", abi]);
    }
    cmd.arg("-o")
        .arg(root().join("bindings/android/src/main/jniLibs"))
        .args([
            "build",
            "-p",
            "cardscan-ffi",
            "--lib",
            "--profile",
            "mobile",
        ]);
    run(&mut cmd)?;
    crate::bindings::bindings(false)?;
    eprintln!("jniLibs written; now: cd bindings/android && gradle assembleRelease");
    Ok(())
}

/// Builds the cdylib with the size-tuned `mobile` profile for the host (and
/// any target whose libraries are already built) and prints the sizes.
pub fn size() -> Result<()> {
    run(cargo().args([
        "build",
        "-p",
        "cardscan-ffi",
        "--lib",
        "--profile",
        "mobile",
    ]))?;
    let mut rows = vec![(
        "host (x86_64-linux) cdylib".to_string(),
        target_dir(None, "mobile").join(host_cdylib_name()),
    )];
    for t in ANDROID_TRIPLES
        .iter()
        .chain([IOS_DEVICE].iter())
        .chain(IOS_SIMS.iter())
    {
        for file in ["libcardscan_ffi.so", "libcardscan_ffi.a"] {
            rows.push((
                format!("{t} {file}"),
                target_dir(Some(t), "mobile").join(file),
            ));
        }
    }
    println!("{:<44} {:>12}", "library (profile `mobile`)", "bytes");
    for (name, path) in rows {
        if let Ok(meta) = fs::metadata(&path) {
            println!(
                "{name:<44} {:>12}  ({:.2} MiB)",
                meta.len(),
                meta.len() as f64 / 1048576.0
            );
        }
    }
    Ok(())
}
