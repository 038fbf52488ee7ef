//! Helpers for the browser tests in `tests/`: mount the whole console into a fresh element and query
//! what a user would see.

/// Re-exported so tests name the app through one crate.
pub use app::App;
