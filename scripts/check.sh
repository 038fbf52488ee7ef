#!/usr/bin/env bash
# Runs every check of Marketplace Console: formatting, clippy on the native and the wasm target,
# the release build with its sizes, an accessibility check of every page, the native tests, and
# the browser tests in headless Chromium.
source "$(dirname "$0")/setup.sh"

ensure_build_tools
ensure_browser
ensure_npm_tools
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"

say "cargo fmt --check"
cargo fmt --all --check

say "clippy (native)"
cargo clippy --locked --workspace --all-targets -- -D warnings

say "clippy (wasm32)"
cargo clippy --locked --workspace --exclude server --all-targets --target wasm32-unknown-unknown -- -D warnings

say "release build (trunk build --release, pinned nightly: see scripts/setup.sh)"
trunk_release build
"$ROOT/scripts/sizes.sh" dist

say "accessibility (axe-core on every page of the release build, headless Chromium)"
node "$ROOT/scripts/browser-checks.mjs"

say "native tests"
# The app's own are its pure modules' (which API origins it may use); its pages are tested in the
# browser below.
cargo test --locked --workspace --exclude marketplace-console

say "server mode in headless Chromium (the pages against a live server)"
node "$ROOT/scripts/server-mode-check.mjs"

say "browser tests (headless Chromium)"
cargo test --locked -p app -p marketplace-console --target wasm32-unknown-unknown
