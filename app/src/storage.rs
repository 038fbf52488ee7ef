//! The browser's local storage: where the in-browser state, the simulated clock and the signed-in
//! demo user are kept between visits and shared between tabs.

use web_sys::Storage;

/// The key of the saved state document.
pub const STATE_KEY: &str = "marketplace-console.state";
/// The key of the simulated clock's offset from real time, in milliseconds.
pub const CLOCK_KEY: &str = "marketplace-console.clock-offset-ms";
/// The key of the signed-in demo user's id.
pub const USER_KEY: &str = "marketplace-console.user";
/// Changes on every save, so a tab can tell that another tab saved since it last looked.
pub const GENERATION_KEY: &str = "marketplace-console.generation";
/// The chosen data source: absent for in-browser, `server <base URL>` for a server.
pub const SOURCE_KEY: &str = "marketplace-console.source";
/// The server sign-in token.
pub const TOKEN_KEY: &str = "marketplace-console.server-token";
/// Where a saved state that could not be read is kept aside, never deleted.
pub const SET_ASIDE_PREFIX: &str = "marketplace-console.unreadable-state.";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored text under `key`, if storage is available and holds one.
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Why a write did not reach storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The browser offers no storage (disabled, or a private mode without it).
    Unavailable,
    /// The browser refused the write (most often: storage is full).
    Refused,
}

/// Stores `value` under `key`.
pub fn write(key: &str, value: &str) -> Result<(), WriteError> {
    let storage = storage().ok_or(WriteError::Unavailable)?;
    storage
        .set_item(key, value)
        .map_err(|_| WriteError::Refused)
}

/// Removes `key`.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
