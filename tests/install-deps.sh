#!/usr/bin/env bash
# What the tests need beyond requirements.txt, installed inside this checkout:
# - oidc-provider (tests/interop), the third-party issuer the interop tests run the harness against;
# - the third-party subjects (tests/subjects, see docs/subjects.md), each in its own folder:
#   Authlib on Flask and fastapi-zitadel-auth in virtual environments of their own, passport-zitadel
#   and express-oauth2-jwt-bearer from their lock files, and the Go API built with its module and
#   build caches inside the clone.
# A missing toolchain (no npm, no go) is reported and its part left out: those tests then skip with
# the reason (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v npm >/dev/null; then
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/subjects/passport_zitadel --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/subjects/express_jwt_bearer --no-audit --no-fund --loglevel=error
else
  echo "install-deps: npm not found; the interop tests and the Node subjects will skip" >&2
fi

for subject in authlib_flask fastapi_zitadel_auth; do
  python3 -m venv "tests/subjects/$subject/.venv"
  "tests/subjects/$subject/.venv/bin/python" -m pip install --quiet \
    -r "tests/subjects/$subject/requirements.txt"
done

if command -v go >/dev/null; then
  (
    cd tests/subjects/zitadel_oidc_go
    GOMODCACHE="$PWD/.cache/mod" GOCACHE="$PWD/.cache/build" GOFLAGS="-modcacherw -buildvcs=false" \
      go build -o bin/api .
  )
else
  echo "install-deps: go not found; the Go subject will skip" >&2
fi
