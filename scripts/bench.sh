#!/usr/bin/env bash
# Measures Marketplace Console and prints one table — release size, startup, server mode at
# partner scale, and in-browser scale (side by side with the hand-written page under
# bench/vanilla/) in headless Chromium, the engine, and the server on loopback — then writes it, with the date and the machine, into
# docs/PERFORMANCE.md between the "bench:start" and "bench:end" markers.
source "$(dirname "$0")/setup.sh"

ensure_build_tools
ensure_browser
ensure_npm_tools
trunk_release build >/dev/null
cargo build --locked --release -p server --bin server --example load >/dev/null 2>&1 || cargo build --locked --release -p server --bin server --example load
scale_data="$ROOT/target/scale-data"
cargo run --locked --release -q -p domain --example scale_json -- "$scale_data" >/dev/null

rows=()
while read -r name raw gz br; do
    case "$name" in
        total) rows+=("| release build, total of dist/ (raw / gzip / brotli) | $raw B / $gz B / $br B — brotli $((br / 1000)) kB ($((br / 1024)) KiB), budget ≤ 300 KB |") ;;
        *_bg.wasm) rows+=("| release build, wasm (raw / gzip / brotli) | $raw B / $gz B / $br B |") ;;
    esac
done < <("$ROOT/scripts/sizes.sh" dist | tail -n +2)
rows+=("$(node "$ROOT/scripts/startup-bench.mjs" 12)")
while IFS= read -r line; do rows+=("$line"); done < <(node "$ROOT/scripts/server-scale-bench.mjs" 5)
while IFS= read -r line; do rows+=("$line"); done < <(node "$ROOT/scripts/scale-bench.mjs" "$scale_data" 11)
while IFS= read -r line; do
    [[ "$line" == "| "* && "$line" != "| measure"* ]] && rows+=("| engine: ${line#| }")
done < <(cargo bench --locked -q -p domain --bench engine 2>/dev/null)
while IFS= read -r line; do
    [[ "$line" == "| server:"* ]] && rows+=("$line") && continue
    [[ "$line" == "| "*"/"* && "$line" != "| route"* ]] || continue
    IFS='|' read -r _ route rps p50 p99 _ <<<"$line"
    rows+=("| server:${route}| ${rps# } req/s, p50${p50}, p99${p99}|")
done < <("$ROOT/target/release/examples/load")

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB"
table="Measured $(date -u +%Y-%m-%d) on $machine, with \`./scripts/bench.sh\`.

| measure | result |
|---|---|
$(printf '%s\n' "${rows[@]}")"
printf '\n%s\n' "$table"

doc="$ROOT/docs/PERFORMANCE.md"
python3 - "$doc" "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
block = f"{start}\n{table}\n{end}"
if start in text and end in text:
    text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
else:
    text = text.replace("\n", f"\n\n## Summary\n\n{block}\n", 1)
open(path, "w").write(text)
PY
say "Written to docs/PERFORMANCE.md"
