//! Any text given to `State::load` is either refused with a typed error or loads into a state
//! that saves and loads back identical. It never panics.
#![no_main]

use domain::State;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(state) = State::load(text) {
        let saved = state.save();
        assert_eq!(State::load(&saved).expect("a saved state loads"), state);
    }
});
