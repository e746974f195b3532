"""Per-entity-key summary tables (issue 13).

`entity_keys` and `entity_key_names` hold, per key, the counts an entity page
needs (rows, articles, rows with a subtype/code/country, name votes), kept at
write time by `store.keysummary`, and `entity_articles` each key's articles, so a
page reads its first articles by id without the key's other rows; all three are
back-filled here from every entity row.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import keysummary

    bind = op.get_bind()
    # Idempotent, like 0009 and 0012: a store re-stamped to an older revision has
    # the tables; the back-fill rewrites them whole either way.
    have = set(sa.inspect(bind).get_table_names())
    if "entity_keys" not in have:
        _create()
    # entity_key_links comes with 0014, entity_articles.published with 0020
    keysummary.rebuild(bind, links=False, dated=False)


def _create() -> None:
    op.create_table(
        "entity_keys",
        sa.Column("entity_key", sa.Text, primary_key=True),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_subtype", sa.Integer, nullable=False),
        sa.Column("n_code", sa.Integer, nullable=False),
        sa.Column("n_country", sa.Integer, nullable=False),
    )
    op.create_table(
        "entity_key_names",
        sa.Column("entity_key", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "entity_articles",
        sa.Column("entity_key", sa.Text, primary_key=True),
        sa.Column("article_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("entity_articles")
    op.drop_table("entity_key_names")
    op.drop_table("entity_keys")
