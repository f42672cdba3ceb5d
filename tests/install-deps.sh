#!/usr/bin/env bash
# What the tests need beyond requirements.txt, installed inside this checkout:
# - oidc-provider (tests/interop), the third-party issuer the interop tests run the harness against;
# - the third-party subjects (tests/subjects, see docs/subjects.md), each in its own folder:
#   Authlib on Flask, fastapi-zitadel-auth and the MCP servers of the MCP Python SDK and fastmcp in
#   virtual environments of their own, passport-zitadel, express-oauth2-jwt-bearer and the MCP
#   TypeScript SDK's server from their lock files, and the Go APIs (zitadel/oidc's resource server,
#   the zitadel-go SDK) built with their module and build caches inside the clone.
# - Chromium (Debian's chromium, with apt-get, as root), in which the report is opened at 1400x900
#   (tests/browser.py).
# - this checkout's own modules byte-compiled (the last step says why).
# A missing toolchain (no npm, no go) is reported and its part left out: those tests then skip with
# the reason (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v npm >/dev/null; then
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/subjects/passport_zitadel --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/subjects/express_jwt_bearer --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/subjects/mcp_typescript_sdk --no-audit --no-fund --loglevel=error
else
  echo "install-deps: npm not found; the interop tests and the Node subjects will skip" >&2
fi

for subject in authlib_flask fastapi_zitadel_auth mcp_python_sdk fastmcp; do
  python3 -m venv "tests/subjects/$subject/.venv"
  "tests/subjects/$subject/.venv/bin/python" -m pip install --quiet \
    -r "tests/subjects/$subject/requirements.txt"
done

# Each Go subject is built with its module and build caches inside its own folder.
go_build() {
  (
    cd "tests/subjects/$1"
    GOMODCACHE="$PWD/.cache/mod" GOCACHE="$PWD/.cache/build" GOFLAGS="-modcacherw -buildvcs=false" \
      go build -o bin/api .
  )
}

if command -v go >/dev/null; then
  go_build zitadel_oidc_go
  # The zitadel-go SDK is no module the proxy serves: its go.mod replaces it with the unmodified
  # source beside the repository (../shared/third_party/zitadel-go, see docs/subjects.md).
  if [ -f ../shared/third_party/zitadel-go/go.mod ]; then
    go_build zitadel_go_sdk
  else
    echo "install-deps: ../shared/third_party/zitadel-go not found; the zitadel-go SDK subjects will skip" >&2
  fi
else
  echo "install-deps: go not found; the Go subjects will skip" >&2
fi

# The browser tests open the report in headless Chromium; Debian's package, as root.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "install-deps: chromium not found, and apt-get needs root; the browser tests will skip" >&2
  fi
fi

# This checkout's own modules, byte-compiled once: where PYTHONDONTWRITEBYTECODE is set (as on
# this project's CI machine) each of the suite's two hundred or so Python processes compiled them
# anew, 0.13 s of CPU apiece (the suite: 288 s of CPU, 189 s; compiled first: 269 s, 178 s).
# Python still checks each file's time stamp: a module changed since is compiled again.
python3 -m compileall -q -j 0 -x '/(\.venv|node_modules|\.cache)/' harness oauthkit mock_issuer \
  api_jwt api_basic_auth api_local_jwt service_user_jwt service_user_client_credentials \
  service_user_pat benchmarks tests
