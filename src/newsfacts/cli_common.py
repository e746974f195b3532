"""What every `newsfacts` subcommand module shares: the user-facing error, the
`--db` help and opening the store.

It lives apart from `cli.py` so that the subcommand modules (`server_cli.py`,
`kb_cli.py`) depend on this small module and `cli.py` depends on them, never
both ways round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfacts.store import Store

DB_HELP = "store: a SQLite file or a postgresql:// URL (default: $NEWSFACTS_DB or ./newsfacts.db)"


class CliError(Exception):
    """An error the user can act on: printed as one line, exit status 1."""


def open_store(db: str | None) -> Store:
    """The store at `db` (imported lazily to keep `--help` fast), or CliError."""
    from newsfacts.store import Store

    try:
        return Store.open(db)
    except Exception as exc:  # a bad URL or an unreadable file is the user's to fix
        raise CliError(f"cannot open store {db or '(default)'}: {exc}") from exc
