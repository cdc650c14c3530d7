#!/usr/bin/env bash
# Makes sure the history tests can start a throwaway PostgreSQL server (Debian's postgresql package and
# its `postgres` user), idempotently. The tests start and stop the server themselves (tests/store/conftest.py);
# set CONNECTSEC_TEST_POSTGRES=postgresql+pg8000://USER@HOST:PORT/DB to use a running server instead.
set -euo pipefail
if [ -n "${CONNECTSEC_TEST_POSTGRES:-}" ]; then
  exit 0
fi
have_server() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1
}
if ! have_server; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres: PostgreSQL is missing; install it (as root: apt-get install postgresql)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "postgres: running as root but there is no postgres user to run the server (reinstall postgresql)" >&2
  exit 1
fi
