"""`python -m newsfacts …` runs the same CLI as the `newsfacts` script, for checkouts
where the console script is not on PATH (worktrees, `PYTHONPATH=src`)."""

from newsfacts.cli import main

raise SystemExit(main())
