//! Keeps panics on the Rust side of the boundary for synchronous exports.
//!
//! UniFFI already turns a panic into an "unexpected error", which Swift's
//! `try!` would crash on and Kotlin reports as an untyped `InternalException`.
//! Scanning code runs on untrusted camera data, so each sync export goes
//! through [`guard`] and reports a typed `CardScanError.Internal` instead.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{CardScanError, Result};

/// Calls `f`, turning a panic into [`CardScanError::Internal`].
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        tracing::error!(panic = %what, "panic caught at the FFI boundary");
        Err(CardScanError::internal(
            "the SDK panicked; please report this",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_results_through_and_catches_panics() {
        assert_eq!(guard(|| Ok(3)), Ok(3));
        let r: Result<()> = guard(|| panic!("index out of bounds"));
        assert!(matches!(r, Err(CardScanError::Internal { .. })));
    }
}
