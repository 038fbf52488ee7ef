#!/usr/bin/env bash
# Builds the console and saves a screenshot of every page at 1280×800 (and a few at 390 px wide)
# under docs/screenshots/, checking each page with axe-core on the way.
source "$(dirname "$0")/setup.sh"

ensure_build_tools
ensure_browser
ensure_npm_tools
trunk_release build
node "$ROOT/scripts/browser-checks.mjs" --screenshots
