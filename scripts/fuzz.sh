#!/usr/bin/env bash
# Runs a bounded fuzz session of every target in fuzz/ (cargo-fuzz on the nightly toolchain):
# loading saved state, the CSV export, and the input the server parses. SECONDS_PER_TARGET (default
# 60) bounds each target. A crash stops the run and leaves its input under fuzz/artifacts/.
source "$(dirname "$0")/setup.sh"

SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-60}"
rustup toolchain list | grep -q '^nightly' ||
    fail "the nightly toolchain is missing; run: rustup toolchain install nightly"
if ! cargo fuzz --version >/dev/null 2>&1; then
    say "Installing cargo-fuzz (once)"
    cargo install cargo-fuzz --locked || fail "could not install cargo-fuzz; run: cargo install cargo-fuzz --locked"
fi
cd "$ROOT/fuzz"
for target in load_state csv_export request_input; do
    say "fuzzing $target for ${SECONDS_PER_TARGET}s"
    cargo +nightly fuzz run "$target" -- -max_total_time="$SECONDS_PER_TARGET" 2>&1 | grep -E '^(#[0-9]+ +DONE|Done|==|SUMMARY)|panicked' || true
    [ -z "$(ls -A "$ROOT/fuzz/artifacts/$target" 2>/dev/null)" ] || fail "$target found a crash: see fuzz/artifacts/$target/"
done
say "every target ran ${SECONDS_PER_TARGET}s without a crash"
