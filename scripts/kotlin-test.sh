#!/usr/bin/env bash
# The generated Kotlin bindings on a real JVM against a spawned sandbox.
# Installs kotlinc (npm, into .tools/), JNA and a JDK (apt) when missing,
# builds the cdylib and the cardscan CLI, regenerates the bindings, compiles
# and runs bindings/kotlin-test. Ends with the suite's "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo xtask kotlin-test "$@"
