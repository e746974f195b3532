#!/usr/bin/env bash
# Debian packages the test suite uses: Chromium (browser tests) and PostgreSQL (the
# second storage backend). Idempotent: installs only what is missing. As root it
# installs them (scripts/test.sh calls this first, so the one test command runs the
# browser and PostgreSQL tests); otherwise it says in one line which tests will skip.
set -uo pipefail
chromium=${NEWSFACTS_CHROMIUM:-/usr/bin/chromium}
need=() skips=()
if [ ! -x "$chromium" ]; then
    need+=(chromium) skips+=("browser tests (no $chromium)")
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need+=(postgresql) skips+=("PostgreSQL tests (no server binaries)")
fi
[ ${#need[@]} -eq 0 ] && exit 0
joined=$(IFS=';'; echo "${skips[*]}" | sed 's/;/ and /g')
if [ "$(id -u)" != 0 ]; then
    echo "system-deps: not root, so ${need[*]} cannot be installed: $joined will skip (run scripts/system-deps.sh as root)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${need[*]}" >&2
apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "system-deps: could not install ${need[*]}: $joined will skip" >&2
