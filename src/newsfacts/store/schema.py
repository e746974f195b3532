"""Table definitions shared by the queries and checked against the migrations.

The migrations in `migrations/versions/` create these tables; this module is what
the queries are written against. A test compares the two, so a change here without a
migration fails loudly instead of on a user's database.

Why the shapes look like this:
- facts are keyed by (article_id, seq): the store never needs autoincrement ids, so
  a whole article is written with a handful of executemany calls on both backends;
- entity ids such as "E3" stay article-local (they are what fact args hold), and
  `entity_key` is the cross-article identity ("person:ерболат досаев");
- JSON is TEXT on both backends: the store never queries inside it, and TEXT keeps
  the SQL identical on SQLite and PostgreSQL;
- dates are ISO text, so lexical order is date order.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("source", sa.String(255)),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.String(32)),
    sa.Column("language", sa.String(8), nullable=False, server_default="ru"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("policy", sa.Text, nullable=False),
    sa.Column("repairs", sa.Text, nullable=False),
    sa.Column("extractor_version", sa.String(64), nullable=False, server_default=""),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("duplicate_of", sa.String(64)),
    sa.Column("origin", sa.Text),
    sa.Index("ix_articles_source", "source"),
    sa.Index("ix_articles_published", "published"),
    sa.Index("ix_articles_duplicate_of", "duplicate_of"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("local_id", sa.String(32), primary_key=True),
    sa.Column("entity_key", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("subtype", sa.String(32)),
    sa.Column("code", sa.String(8)),
    sa.Column("country", sa.String(8)),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_norm", sa.Text, nullable=False),
    sa.Column("aliases", sa.Text, nullable=False),
    # The folded full name a short `name` stands for (`policy.names`, issue 12): only
    # entity search matches it (migration 0012); no presenter reads it.
    sa.Column("search_norm", sa.Text),
    sa.Index("ix_entities_entity_key", "entity_key"),
    sa.Index("ix_entities_name_norm", "name_norm"),
    sa.Index("ix_entities_search_norm", "search_norm"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("article_id", sa.String(64), nullable=False),
    sa.Column("local_id", sa.String(32), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["article_id", "local_id"],
        ["entities.article_id", "entities.local_id"],
        ondelete="CASCADE",
    ),
    sa.Index("ix_mentions_entity", "article_id", "local_id"),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("args", sa.Text, nullable=False),
    sa.Column("args_text", sa.Text, nullable=False),
    sa.Column("modality", sa.String(32)),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("extractor", sa.String(64)),
    sa.Column("extractor_version", sa.String(64), nullable=False),
    sa.Column("period_start", sa.String(10)),
    sa.Column("period_end", sa.String(10)),
    sa.Index("ix_facts_type", "type"),
    sa.Index("ix_facts_period", "period_start", "period_end"),
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("article_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["article_id", "seq"], ["facts.article_id", "facts.seq"], ondelete="CASCADE"
    ),
    sa.Index("ix_evidence_fact", "article_id", "seq"),
)

fact_entities = sa.Table(
    "fact_entities",
    metadata,
    sa.Column("article_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("local_id", sa.String(32), nullable=False),
    sa.Column("entity_key", sa.Text, nullable=False),
    sa.Column("country", sa.String(8)),
    sa.ForeignKeyConstraint(
        ["article_id", "seq"], ["facts.article_id", "facts.seq"], ondelete="CASCADE"
    ),
    sa.Index("ix_fact_entities_fact", "article_id", "seq"),
    sa.Index("ix_fact_entities_entity_key", "entity_key"),
    sa.Index("ix_fact_entities_country", "country"),
)

# Issue 13: the narrow fact index the entity pages and dossiers read instead of whole
# records. One row per (entity, fact) pair: `role` is the argument naming the entity
# (as in `fact_entities`), NULL when the entity is only mentioned inside the fact's
# evidence ("встретился с послами Италии"). Written in the article's own transaction
# (`store.factindex.index_facts`), so it never disagrees with the facts it indexes.
fact_index = sa.Table(
    "fact_index",
    metadata,
    sa.Column("entity_key", sa.Text, nullable=False),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("local_id", sa.String(32), nullable=False),
    sa.Column("role", sa.String(64)),
    sa.Column("fact_type", sa.String(32), nullable=False),
    # Covering: a page's lookup (key, its articles) never touches the table itself.
    sa.Index("ix_fact_index_key", "entity_key", "article_id", "seq", "local_id", "role"),
    sa.Index("ix_fact_index_article", "article_id", "seq"),
)

# Issue 13: every folded entity name once (pre-aggregated). Entity search matches its
# substring here, a few thousand names, then reads the matching entity rows through
# ix_entities_name_norm, instead of a LIKE over every entity row. Names are only ever
# added: one whose rows are gone matches nothing, so results stay exact.
entity_names = sa.Table(
    "entity_names",
    metadata,
    sa.Column("name_norm", sa.Text, primary_key=True),
)

# Issue 13: per entity key, counts kept at write time (`store.keysummary`), so an
# entity page reads one row instead of every row of its key (80,000 for «Россия» at
# 200k). Kept in the transaction that writes or deletes an article's entity rows.
entity_keys = sa.Table(
    "entity_keys",
    metadata,
    sa.Column("entity_key", sa.Text, primary_key=True),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("n_articles", sa.Integer, nullable=False),
    # rows with a subtype / code / country: a page looks for the first only when > 0
    sa.Column("n_subtype", sa.Integer, nullable=False),
    sa.Column("n_code", sa.Integer, nullable=False),
    sa.Column("n_country", sa.Integer, nullable=False),
)
# The articles of each key, so a page reads its key's newest articles without the
# key's other rows. A table, not an index on `entities`: a second index led by
# entity_key would change the order in which SQLite reads a key's rows elsewhere.
entity_articles = sa.Table(
    "entity_articles",
    metadata,
    sa.Column("entity_key", sa.Text, primary_key=True),
    # No foreign key (as `text_runs`): `store.keysummary` deletes its rows itself.
    sa.Column("article_id", sa.String(64), primary_key=True),
    # The article's date, copied when the row is written (`store.keysummary`: the
    # rows of an article are rewritten whenever its row is), migration 0020.
    sa.Column("published", sa.String(32)),
)
# A key's newest articles as one index range: published DESC, undated last, then
# id (`Store.get_entity`'s order). SQLite puts NULL last in DESC by itself and has
# no NULLS LAST in an index; PostgreSQL needs it said.
_NEWEST = "ix_entity_articles_newest"
_ea = entity_articles.c
sa.Index(_NEWEST, _ea.entity_key, _ea.published.desc(), _ea.article_id).ddl_if(dialect="sqlite")
sa.Index(_NEWEST, _ea.entity_key, _ea.published.desc().nulls_last(), _ea.article_id).ddl_if(
    dialect="postgresql"
)
# The votes for a key's shown name: rows per (key, name).
entity_key_names = sa.Table(
    "entity_key_names",
    metadata,
    sa.Column("entity_key", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)

# The KB links of each key's rows, per linked KB id (raw, before merges resolve):
# the KB entity a store key stands for is the one most of them point to
# (`kb._find`), read here instead of joining every row of the key to its link.
# Kept by `store.keysummary` on entity writes and around every `kb_links` write.
entity_key_links = sa.Table(
    "entity_key_links",
    metadata,
    sa.Column("entity_key", sa.Text, primary_key=True),
    sa.Column("kb_id", sa.String(32), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)

lsh_keys = sa.Table(
    "lsh_keys",
    metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Index("ix_lsh_keys_article", "article_id"),
)

permissions = sa.Table(
    "permissions",
    metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("granted_at", sa.String(32), nullable=False),
)

# Full-text objects live outside `metadata` because they are backend-specific:
# SQLite gets an FTS5 table, PostgreSQL a generated tsvector column with a GIN index.
FTS_TABLE = "articles_fts"
PG_TSV_COLUMN = "tsv"

# Issue 12: the one set of each article's text that may ever be shown (see
# `policy.quotable`), chosen at ingest; `pieces` is JSON [[kind, start, end, ref]].
quotable = sa.Table(
    "quotable",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("allowance", sa.Integer),
    sa.Column("pieces", sa.Text, nullable=False),
    # `Store.open` asks for the oldest version without reading every set (0022)
    sa.Index("ix_quotable_version", "version"),
)

# Articles whose set was chosen alone and still waits for the cross-article pass
# (`store.quotable.reconcile`), written in the transaction that writes the set and
# deleted in the pass's: a process killed in between leaves the row, and the next
# deferred pass (`Store.deferred_sets`: every `load` and `ingest`) takes it up.
quotable_pending = sa.Table(
    "quotable_pending",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

# Issue 12: 64-bit hashes of the countable runs each article's set shows ('p') and of
# its entity names long enough to be text ('n'), and of the runs of each text, for the
# cross-article pass at any store size (`store.shown`, migration 0010).
shown_runs = sa.Table(
    "shown_runs",
    metadata,
    sa.Column("hash", sa.BigInteger, nullable=False),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.String(1), nullable=False),
    sa.Index("ix_shown_runs_hash", "hash"),
    sa.Index("ix_shown_runs_article", "article_id"),
)
# No foreign key on `text_runs` (migration 0011): its per-row check tripled a bulk
# load's COPY on PostgreSQL; `store.textruns.remove` deletes an article's runs itself.
# One B-tree keyed (hash, article_id), no index by article (migration 0017): the
# rowid table with two indexes cost most of a SQLite save; `text_run_sets` lists each
# article's hashes instead, to delete its rows by key and to tell which have none.
text_runs = sa.Table(
    "text_runs",
    metadata,
    sa.Column("hash", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("article_id", sa.String(64), primary_key=True),
    sqlite_with_rowid=False,
)
text_run_sets = sa.Table(
    "text_run_sets",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("hashes", sa.LargeBinary, nullable=False),  # `store.textruns.pack`
)

# Analysts' verdicts (issue 11): «неверно» / «исправить» on a fact or an entity link.
# A fact verdict names its fact by (article_id, type, args) rather than by seq, so it
# finds the same fact again after the article is re-extracted and its facts renumbered;
# a link verdict names the mention by (article_id, name). No foreign key: a verdict
# outlives its article being deleted and ingested again.
verdicts = sa.Table(
    "verdicts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("target", sa.String(16), nullable=False),  # fact | link
    sa.Column("verdict", sa.String(16), nullable=False),  # wrong | fix
    sa.Column("article_id", sa.String(64), nullable=False),
    sa.Column("fact_type", sa.String(32)),
    sa.Column("fact_args", sa.Text),
    sa.Column("local_id", sa.String(32)),
    sa.Column("name", sa.Text),
    sa.Column("kb_id", sa.String(32)),
    sa.Column("field", sa.String(64)),
    sa.Column("value", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("undone", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_verdicts_article", "article_id"),
)
