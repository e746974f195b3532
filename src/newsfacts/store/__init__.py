"""Storage of articles, entities and facts: SQLite + FTS5 by default, PostgreSQL too.

    from newsfacts.store import Store
    with Store.open() as store:          # $NEWSFACTS_DB or ./newsfacts.db
        store.save(record, fingerprint=band_keys)
        store.facts(type="meeting", country="KZ")

See `store.py` for the API and `schema.py` for the tables.
"""

from newsfacts.store.keys import entity_key, fold
from newsfacts.store.store import Store, StoreError, database_url

__all__ = ["Store", "StoreError", "database_url", "entity_key", "fold"]
