"""Schemathesis fuzzes every operation in /openapi.json in-process: no 5xx, ever.

Generated parameters and bodies (random dates, ids, unicode, huge numbers, odd
content types) must end in a 2xx or a clear 4xx. Run it alone with
`bash tests/api/run_schemathesis.sh`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webapi_fixtures import TOKEN, all_records  # noqa: E402

from newsfacts.api.app import create_app  # noqa: E402
from newsfacts.model import Record  # noqa: E402
from newsfacts.store import Store  # noqa: E402


class FakePipeline:
    """Extraction is not under test here; ingest must still store what it reads."""

    version = "fuzz-1"

    def __call__(self, article) -> Record:
        return Record(article=article, extractor_version=self.version)


def _app():
    store = Store.open(":memory:")
    for record in all_records():
        store.save(record)
    return create_app(store, token=TOKEN, pipeline=FakePipeline())


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case) -> None:
    case.call_and_validate(headers={"X-API-Token": TOKEN}, checks=[not_a_server_error])
