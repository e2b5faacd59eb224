//! Project automation: `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! Bindings generation, the Kotlin suite on a real JVM, and mobile packaging.
//! See `docs/bindings.md`.

mod bindings;
mod kotlin;
mod mobile;
mod util;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "cardscan-core project automation")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the cdylib and generate Kotlin + Swift into bindings/kotlin, bindings/swift.
    Bindings {
        /// Regenerate into a scratch folder and fail if the committed output differs.
        #[arg(long)]
        check: bool,
    },
    /// Install kotlinc/JNA if missing, build, generate, compile and run the Kotlin suite.
    KotlinTest {
        /// Run only the scenarios whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
    },
    /// `cargo check` core + FFI for aarch64-linux-android and aarch64-apple-ios (no TLS).
    CheckMobile,
    /// Build CardScanCore.xcframework (macOS + Xcode only).
    BuildIos,
    /// Build the Android jniLibs with cargo-ndk (Android NDK only).
    BuildAndroid,
    /// Build with the size-tuned `mobile` profile and report library sizes.
    Size,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Bindings { check } => bindings::bindings(check),
        Cmd::KotlinTest { filter } => kotlin::kotlin_test(filter.as_deref()),
        Cmd::CheckMobile => mobile::check_mobile(),
        Cmd::BuildIos => mobile::build_ios(),
        Cmd::BuildAndroid => mobile::build_android(),
        Cmd::Size => mobile::size(),
    }
}
