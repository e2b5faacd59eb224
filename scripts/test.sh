#!/usr/bin/env bash
# Set up and test everything — the README's one set-up/test command.
#
# Installs what a fresh machine of this kind lacks (Rust mobile targets, kotlinc
# from npm, JNA from Debian), then runs: the whole workspace's tests (the real
# sandbox over loopback, the scanner on generated scenes, the committed model's
# accuracy), `cargo check` of the core and FFI crates for Android and iOS, and the
# generated Kotlin bindings on a real JVM against the freshly built library, and
# checks that the committed generated bindings are current.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
# Each step is stamped with the seconds since the start, so a slow CI run
# shows where its time went.
step() { printf '\n==> [%s s] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "Rust: workspace tests"
cargo test --workspace --locked

step "Rust: mobile targets (cargo check)"
cargo xtask check-mobile

step "Kotlin bindings on a real JVM"
scripts/kotlin-test.sh

step "Committed Swift/Kotlin bindings match a fresh generation"
cargo xtask bindings --check

step "All checks passed in $(( $(date +%s) - started )) s"
