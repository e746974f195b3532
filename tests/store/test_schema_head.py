"""`migrations.HEAD`, which lets `Store.open` skip alembic, is alembic's head, and a
store it opens is stamped with it (on every backend the store tests run on)."""

import subprocess
import sys

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from newsfacts.store import Store, migrations
from newsfacts.store.store import stamped_revisions


def test_head_is_alembics_only_head() -> None:
    config = Config()
    config.set_main_option("script_location", "newsfacts.store:migrations")
    assert ScriptDirectory.from_config(config).get_heads() == [migrations.HEAD]


def test_new_and_reopened_store_are_stamped_with_head(store: Store) -> None:
    with store.engine.connect() as conn:
        assert stamped_revisions(conn) == {migrations.HEAD}
    with sa.create_engine("sqlite://").connect() as conn:
        assert stamped_revisions(conn) == set()


def test_opening_a_current_store_does_not_import_alembic(tmp_path) -> None:
    db = tmp_path / "s.db"
    Store.open(str(db))  # created and migrated here
    probe = (
        "import sys; from newsfacts.store import Store; "
        f"Store.open({str(db)!r}); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
