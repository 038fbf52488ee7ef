#!/usr/bin/env bash
# Builds Marketplace Console and serves it on http://127.0.0.1:8080 with the demo data, in
# in-browser mode (the domain engine runs in the page; no server is needed). To let it use a server
# on another origin, list that origin when building, e.g.
# MC_API_ORIGINS=http://127.0.0.1:8081 ./scripts/serve.sh (scripts/post-build.mjs), and start the
# server with --app-origin http://127.0.0.1:8080.
source "$(dirname "$0")/setup.sh"

ensure_build_tools
say "Serving Marketplace Console on http://127.0.0.1:8080 (Ctrl+C stops)"
# No autoreload or error-reporting scripts: the page's Content-Security-Policy allows only its own.
trunk_release serve --no-autoreload --no-error-reporting "$@"
