# shellcheck shell=bash
# Installs, at pinned versions, whatever the build and the checks need and is not there yet.
# Sourced by serve.sh and check.sh; every step is skipped when its tool is already at the pinned
# version, so a second run installs nothing.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
# Release builds use this nightly to rebuild the standard library for size (cargo's build-std, a
# panic aborting at once): about 9 % smaller than with the stable toolchain (docs/PERFORMANCE.md).
# An installed `nightly` of this version is used as it is; its rust-src component is added when
# missing.
RELEASE_NIGHTLY="nightly-2026-05-20"
RELEASE_RUSTC="rustc 1.97.0-nightly (e50aa6fba 2026-05-19)"
RELEASE_TOOLCHAIN=""
# Minifies the JS glue of release builds (trunk's post-build hook, scripts/post-build.mjs).
TERSER_VERSION="5.51.4"
# Browser-check tools from npm, installed under .tools/ (never a downloaded browser: Debian's
# Chromium is used).
NPM_TOOLS=("playwright-core@1.65.1" "axe-core@4.14.1")
APT_PACKAGES=(chromium chromium-driver brotli)

export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\nerror: %s\n' "$*" >&2
    exit 1
}

# The wasm-bindgen version the lock file pins; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        return
    fi
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown || fail "could not add the target; run: rustup target add wasm32-unknown-unknown"
}

ensure_trunk() {
    if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
        return
    fi
    say "Installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install "trunk@$TRUNK_VERSION" --locked || fail "could not install trunk; run: cargo install trunk@$TRUNK_VERSION --locked"
}

ensure_wasm_bindgen() {
    local want
    want="$(wasm_bindgen_version)"
    [ -n "$want" ] || fail "Cargo.lock names no wasm-bindgen version"
    if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $want" ] &&
        command -v wasm-bindgen-test-runner >/dev/null; then
        return
    fi
    say "Installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: the CLI's own lock file names a crate version the registry may lack.
    cargo install wasm-bindgen-cli --version "=$want" ||
        fail "could not install wasm-bindgen-cli; run: cargo install wasm-bindgen-cli --version =$want"
}

ensure_wasm_opt() {
    local major="${BINARYEN_VERSION%%.*}"
    if "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version_$major"; then
        return
    fi
    command -v npm >/dev/null || fail "npm is missing; install Node.js 20 or later with npm"
    say "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm) into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" ||
        fail "could not install binaryen; run: npm install --prefix .tools binaryen@$BINARYEN_VERSION"
}

ensure_release_toolchain() {
    if [ "$(rustc +nightly --version 2>/dev/null || true)" = "$RELEASE_RUSTC" ]; then
        RELEASE_TOOLCHAIN="nightly"
    else
        RELEASE_TOOLCHAIN="$RELEASE_NIGHTLY"
        if [ "$(rustc "+$RELEASE_NIGHTLY" --version 2>/dev/null || true)" != "$RELEASE_RUSTC" ]; then
            say "Installing Rust $RELEASE_NIGHTLY for release builds (once)"
            rustup toolchain install "$RELEASE_NIGHTLY" --profile minimal --component rust-src ||
                fail "could not install $RELEASE_NIGHTLY; run: rustup toolchain install $RELEASE_NIGHTLY --profile minimal --component rust-src"
        fi
    fi
    if ! rustup component list --toolchain "$RELEASE_TOOLCHAIN" --installed | grep -qx 'rust-src'; then
        say "Adding the standard library's source to $RELEASE_TOOLCHAIN (once)"
        rustup component add rust-src --toolchain "$RELEASE_TOOLCHAIN" ||
            fail "could not add rust-src; run: rustup component add rust-src --toolchain $RELEASE_TOOLCHAIN"
    fi
    # The release build runs offline (trunk fetches no tools of its own), so the crates the
    # standard library's source depends on must be in cargo's cache first; a no-op once they are.
    local library
    library="$(rustc "+$RELEASE_TOOLCHAIN" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
    cargo "+$RELEASE_TOOLCHAIN" fetch --locked --quiet --manifest-path "$library" ||
        fail "could not fetch the standard library's dependencies; run: cargo +$RELEASE_TOOLCHAIN fetch --manifest-path $library"
}

# `trunk build` or `trunk serve` of the release build into dist/: the pinned nightly rebuilds the
# standard library for size, and a panic stops the module at once, without formatting a message
# (the tests and clippy use the stable toolchain and keep the messages). MC_API_ORIGINS, when set,
# lists the API origins on other hosts the built console may use (scripts/post-build.mjs).
trunk_release() {
    [ -n "$RELEASE_TOOLCHAIN" ] || ensure_release_toolchain
    RUSTUP_TOOLCHAIN="$RELEASE_TOOLCHAIN" CARGO_UNSTABLE_BUILD_STD="std,panic_abort" \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
        trunk "$@" --release --offline
}

ensure_terser() {
    if grep -qs "\"version\": \"$TERSER_VERSION\"" "$TOOLS/node_modules/terser/package.json"; then
        return
    fi
    command -v npm >/dev/null || fail "npm is missing; install Node.js 20 or later with npm"
    say "Installing terser $TERSER_VERSION from npm into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "terser@$TERSER_VERSION" ||
        fail "could not install terser; run: npm install --prefix .tools terser@$TERSER_VERSION"
}

ensure_browser() {
    if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v brotli >/dev/null; then
        export CHROMEDRIVER
        CHROMEDRIVER="$(command -v chromedriver)"
        return
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        fail "Chromium, ChromeDriver and brotli are missing and cannot be installed here (needs apt-get as root).
Install them by hand, e.g.: sudo apt-get install -y ${APT_PACKAGES[*]}"
    fi
    say "Installing ${APT_PACKAGES[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || fail "apt-get update failed; install by hand: ${APT_PACKAGES[*]}"
    apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null ||
        fail "apt-get install failed; install by hand: ${APT_PACKAGES[*]}"
    export CHROMEDRIVER
    CHROMEDRIVER="$(command -v chromedriver)"
}

ensure_npm_tools() {
    local missing=()
    for pin in "${NPM_TOOLS[@]}"; do
        local name="${pin%@*}" version="${pin##*@}"
        local manifest="$TOOLS/node_modules/$name/package.json"
        if [ ! -f "$manifest" ] || ! grep -q "\"version\": \"$version\"" "$manifest"; then
            missing+=("$pin")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return
    command -v npm >/dev/null || fail "npm is missing; install Node.js 20 or later with npm"
    say "Installing ${missing[*]} from npm into .tools/"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "${missing[@]}" ||
        fail "could not install ${missing[*]}; run: npm install --prefix .tools ${missing[*]}"
}

# What building the app needs.
ensure_build_tools() {
    command -v cargo >/dev/null || fail "cargo is missing; install Rust with rustup"
    ensure_wasm_target
    ensure_trunk
    ensure_wasm_bindgen
    ensure_wasm_opt
    ensure_terser
    ensure_release_toolchain
}

cd "$ROOT"
