"""`entities.search_norm`: the full name a short entity name stands for (issue 12).

Names long enough to be text are stored short (`policy.names`), so entity search by
the full name («Европейский банк реконструкции») found nothing. The folded full name
is kept in this column, which only entity search reads (`entity_names` gets it too);
no presenter selects it, so no response shows it.

Back-fill: a store whose rows still hold long names gets this column filled when its
sets are rebuilt on open (`quotable.VERSION` 4 rewrites those rows). A store already
shortened lost its full names, except where its KB, not yet re-synced, still links
the entity under the name it had: those are copied here (never shown).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # Idempotent, like 0009: a store re-stamped to an older revision may have it.
    if "search_norm" not in {c["name"] for c in sa.inspect(bind).get_columns("entities")}:
        op.add_column("entities", sa.Column("search_norm", sa.Text))
        op.create_index("ix_entities_search_norm", "entities", ["search_norm"])
    _from_kb_links(bind)


def _from_kb_links(bind: sa.engine.Connection) -> None:
    from newsfacts.policy.names import is_long, short_name
    from newsfacts.store.factindex import add_names
    from newsfacts.store.keys import fold

    if not sa.inspect(bind).has_table("kb_links"):
        return
    rows = bind.execute(
        sa.text(
            "SELECT e.article_id, e.local_id, e.type, e.name, l.name AS full_name "
            "FROM entities e JOIN kb_links l "
            "ON l.article_id = e.article_id AND l.local_id = e.local_id "
            "WHERE l.name <> e.name"
        )
    ).all()
    found = [r for r in rows if is_long(r.full_name) and short_name(r.full_name, r.type) == r.name]
    for r in found:
        bind.execute(
            sa.text(
                "UPDATE entities SET search_norm = :norm "
                "WHERE article_id = :aid AND local_id = :lid"
            ),
            {"norm": fold(r.full_name), "aid": r.article_id, "lid": r.local_id},
        )
    if found:
        add_names(bind, sorted({r.article_id for r in found}))


def downgrade() -> None:
    op.drop_index("ix_entities_search_norm", "entities")
    op.drop_column("entities", "search_norm")
