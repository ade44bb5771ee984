#!/usr/bin/env bash
# Installs everything Gridlane needs to build, run and test on Debian 12.
# Idempotent: re-running it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev zlib1g-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libsodium-dev
  libhowardhinnant-date-dev tzdata # core/tz: IANA zones over the system tz database
  libhpdf-dev poppler-utils # billing: invoices as PDF (libharu), read back with pdftotext in tests
  libcurl4-openssl-dev # payments: the card-payment provider over HTTPS
  coinor-libclp-dev # energy: the charging scheduler's linear programme (COIN-OR Clp)
  libcairo2-dev # energy: the depot-day benchmark draws its plot as a PNG
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev # scripts/fuzz.sh: libFuzzer (libclang_rt.fuzzer) and the clang sanitizers
  clang-format clang-tidy-14 # scripts/lint.sh
  nodejs npm curl jq
  chromium # tests/e2e: Playwright drives Debian's chromium (never a downloaded browser)
  python3-aiosmtpd # tests/integration/alerts.test.js: a real local SMTP server receives the alert e-mails
  prometheus # tests/integration/metrics.test.js: a real scrape of GET /metrics (docs/operations.md)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from another source on developer machines; only ask apt when node is absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# External OCPP test clients (ocpp-rpc in strict mode) for the integration tests.
if [[ ! -d tests/integration/node_modules/ocpp-rpc ]]; then
  (cd tests/integration && npm ci --no-audit --no-fund --loglevel=error)
fi
# The web console and driver portal (web/, docs/console.md): built into web/dist, which
# `gridlane serve` serves at / and /drive. Rebuilt when a source is newer than the build.
if [[ -f web/package.json ]]; then
  if [[ ! -d web/node_modules || web/package-lock.json -nt web/node_modules ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [[ ! -f web/dist/index.html ]] ||
    [[ -n $(find web/src web/index.html web/drive web/package.json web/vite.config.* web/tsconfig*.json \
      web/scripts -newer web/dist/index.html -print -quit 2>/dev/null) ]]; then
    (cd web && npm run build --silent)
  fi
fi
# The end-to-end tests' clients (playwright-core, axe-core).
if [[ -f tests/e2e/package.json ]] &&
  [[ ! -d tests/e2e/node_modules || tests/e2e/package-lock.json -nt tests/e2e/node_modules ]]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: done"
