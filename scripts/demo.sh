#!/usr/bin/env bash
# The main job: set up, ingest the example articles (and the seed story when ../shared
# is present) into ./newsfacts.db, print a summary, and serve the web UI on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
inputs=(examples)
[ -d ../shared/seed ] && inputs+=(../shared/seed)
.venv/bin/newsfacts ingest "${inputs[@]}" --db newsfacts.db
if [ "${NEWSFACTS_NO_SERVE:-}" = 1 ]; then exit 0; fi
echo "web UI: http://127.0.0.1:${PORT:-8000}/  (Ctrl-C to stop)"
exec .venv/bin/newsfacts serve --db newsfacts.db --port "${PORT:-8000}"
