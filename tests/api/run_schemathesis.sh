#!/usr/bin/env bash
# Schemathesis against /openapi.json, in-process (ASGI), with the ingest token set:
# fails if any generated request gets a 5xx. Called by CI; takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m pytest tests/api/test_api_schemathesis.py -q -p no:cacheprovider "$@"
