#!/usr/bin/env bash
# Installs the system packages the tests and benchmarks use, idempotently (Debian).
set -euo pipefail
need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# testssl.sh (GPL) is a test-only reference for connectsec's own TLS probe, never used by the product
command -v testssl >/dev/null 2>&1 || need+=(testssl.sh)
# node and npm install the dependencies of the atlassian-connect-express test fixture (source mode)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v git >/dev/null 2>&1 || need+=(git)
# PostgreSQL: the store tests start a throwaway server; chromium: the HTML report test renders in it
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing ${need[*]}; install them (as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
