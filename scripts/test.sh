#!/usr/bin/env bash
# The test command: set up, install the system packages the browser and PostgreSQL
# tests need (as root; otherwise one line says which tests will skip), start a
# throw-away PostgreSQL on loopback when one can be started, lint, and run the whole
# suite. pytest's "no tests ran" (exit 5) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
bash scripts/system-deps.sh
if [ -z "${NEWSFACTS_TEST_PG:-}" ] && [ -x tests/store/start_postgres.sh ]; then
    url=$(bash tests/store/start_postgres.sh 2>/dev/null | tail -n 1)
    case "$url" in postgresql*) export NEWSFACTS_TEST_PG="$url" ;; *) echo "PostgreSQL not available: its tests will skip" >&2 ;; esac
fi
.venv/bin/ruff check src tests || exit 1
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
    echo "pytest collected no tests: failing" >&2
    exit 1
fi
[ $rc -eq 0 ] || exit $rc
if [ -n "${NEWSFACTS_TEST_PG:-}" ]; then
    # The storage suite ran on both backends above; the API suite runs again on PostgreSQL.
    NEWSFACTS_API_ON_PG=1 .venv/bin/python -m pytest tests/api -q -p no:cacheprovider
    rc=$?
    [ $rc -eq 5 ] && rc=1
fi
exit $rc
