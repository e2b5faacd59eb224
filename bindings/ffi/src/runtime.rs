//! The SDK's own tokio runtime.
//!
//! UniFFI lets the foreign side (Kotlin coroutines, Swift tasks) poll our
//! futures, but reqwest, tokio-tungstenite and tokio timers need a tokio
//! reactor. Rather than depending on whatever thread polls, every async export
//! spawns its work onto one lazily created multi-thread runtime owned by the
//! SDK and awaits the join handle. Dropping the awaiting future (Kotlin
//! coroutine cancelled, Swift task dropped) aborts the spawned task, so the
//! HTTP request or WebSocket wait stops at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinHandle;

use crate::error::{CardScanError, Result};

/// Worker threads: phones have many cores but our work is I/O bound.
const WORKER_THREADS: usize = 2;

static RUNTIME: OnceLock<std::result::Result<Runtime, String>> = OnceLock::new();

/// The SDK runtime, created on first use.
pub(crate) fn runtime() -> Result<&'static Runtime> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(WORKER_THREADS)
                .thread_name("cardscan-sdk")
                .enable_all()
                .build()
                .map_err(|e| format!("could not start the SDK runtime: {e}"))
        })
        .as_ref()
        .map_err(|reason| CardScanError::internal(reason.clone()))
}

/// Runs `fut` on the SDK runtime and awaits it from any executor.
///
/// A panic inside `fut` becomes [`CardScanError::Internal`] instead of
/// crossing the FFI boundary.
pub(crate) async fn run<F, T>(fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let handle = AbortOnDrop(runtime()?.spawn(fut));
    match handle.await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(CardScanError::internal(
            "the SDK panicked; please report this",
        )),
        Err(_) => Err(CardScanError::Cancelled),
    }
}

/// A join handle that aborts its task when dropped (cancellation).
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = std::result::Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// Polled by a plain executor (as Kotlin/Swift do), not inside tokio.
    #[test]
    fn runs_tokio_work_from_a_foreign_executor() {
        let out = futures::executor::block_on(run(async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok(7)
        }));
        assert_eq!(out, Ok(7));
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let out: Result<()> = futures::executor::block_on(run(async { panic!("bug") }));
        assert!(matches!(out, Err(CardScanError::Internal { .. })));
    }

    #[test]
    fn dropping_the_caller_aborts_the_task() {
        struct SetOnDrop(Arc<AtomicBool>);
        impl Drop for SetOnDrop {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = SetOnDrop(dropped.clone());
        let fut = run(async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        });
        // Start it, give the task time to be scheduled, then drop the caller.
        let mut fut = Box::pin(fut);
        let waker = futures::task::noop_waker();
        assert!(fut
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending());
        drop(fut);
        for _ in 0..200 {
            if dropped.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the spawned task was not aborted");
    }
}
