#!/usr/bin/env bash
# Runs the shared console: builds the console and the server, then serves both from the server on
# http://127.0.0.1:8081 with an SQLite database (marketplace-console.db unless DATABASE says
# otherwise). Sign in at http://127.0.0.1:8081/customers?source=server as a demo user; their
# password is MC_DEMO_PASSWORD when the database is first created (or a random one, printed once).
source "$(dirname "$0")/setup.sh"

ensure_build_tools
trunk_release build
cargo build --locked --release -p server
say "Serving the shared console on http://127.0.0.1:8081/customers?source=server (Ctrl+C stops)"
exec "$ROOT/target/release/server" --dist "$ROOT/dist" --address "${ADDRESS:-127.0.0.1:8081}" \
    --database "${DATABASE:-$ROOT/marketplace-console.db}" "$@"
