"""Walking an input directory: nothing under it disappears without a word (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.model import RawDocument

TEXT = "Аким Шымкента встретился с послом Турции. Стороны обсудили строительство фабрики.\n"


def _tree(root: Path) -> None:
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "b.txt").write_text(TEXT.replace("Шымкента", "Тараза"), encoding="utf-8")
    (root / "locked").mkdir()
    (root / "locked" / "c.txt").write_text(TEXT, encoding="utf-8")
    (root / "gone.txt").symlink_to(root / "deleted.txt")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "d.txt").write_text(TEXT, encoding="utf-8")


def _split(items) -> tuple[list[str], list[IngestError]]:
    docs = [i.origin for i in items if isinstance(i, RawDocument)]
    return docs, [i for i in items if isinstance(i, IngestError)]


def test_unlistable_directory_and_dangling_link_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    real_scandir = os.scandir

    def scandir(path=".", *args):  # what chmod 000 does for anyone but root
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, errors = _split(list(read_path(tmp_path)))
    assert docs == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.txt")]
    by_origin = {e.origin: e.message for e in errors}
    assert set(by_origin) == {str(tmp_path / "gone.txt"), str(tmp_path / "locked")}
    assert "dangling symbolic link" in by_origin[str(tmp_path / "gone.txt")]
    assert by_origin[str(tmp_path / "locked")] == "cannot list directory: Permission denied"
    assert all("\n" not in m for m in by_origin.values())


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod-000 directory anyway")
def test_chmod_000_directory_is_reported(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "locked").chmod(0)
    try:
        _, errors = _split(list(read_path(tmp_path)))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert str(tmp_path / "locked") in {e.origin for e in errors}


def test_links_to_files_are_read_and_order_is_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "loop").symlink_to(tmp_path)  # a link to a directory is not followed
    docs, errors = _split(list(read_path(tmp_path)))
    assert docs == [str(tmp_path / n) for n in ("a/z.txt", "b.txt", "c.txt")]
    assert not errors
