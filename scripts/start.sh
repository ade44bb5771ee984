#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running CSMS:
# installs dependencies, builds, and starts `gridlane serve` (SQLite in ./gridlane.db, port 8180).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/release/gridlane serve "$@"
