"""Settings for the whole test suite."""

from __future__ import annotations

import os

# Starlette's test client sends `Host: testserver`; the API answers only to the
# names it is served as (newsfacts.api.hosts), so the suite adds that name.
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")
