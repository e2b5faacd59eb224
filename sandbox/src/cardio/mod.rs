//! CardioExplorer endpoints (`/api/...`), merged into the sandbox at the root.
//! Owned by the CardioExplorer work (issue 6); this is the empty starting point.

/// Routes of the CardioExplorer sandbox; empty until issue 6 fills them in.
pub fn router() -> axum::Router {
    axum::Router::new()
}
