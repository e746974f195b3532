from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.ingest import readers
from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.model import RawDocument

ARTICLE = (
    "Министр торговли Кыргызстана Алмаз Турдукулов провел встречу с делегацией "
    "Казахстана. Стороны обсудили увеличение поставок зерна в этом году."
)


def docs(path: Path) -> list[RawDocument]:
    out = list(read_path(path))
    assert all(isinstance(d, RawDocument) for d in out), out
    return out  # type: ignore[return-value]


def errors(path: Path) -> list[IngestError]:
    return [d for d in read_path(path) if isinstance(d, IngestError)]


def test_text_first_line_is_title(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Кыргызстан увеличит поставки зерна\n" + ARTICLE, encoding="utf-8")
    (doc,) = docs(f)
    assert doc.title == "Кыргызстан увеличит поставки зерна"
    assert doc.text == ARTICLE
    assert doc.origin == str(f)


def test_text_first_sentence_is_not_a_title(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE + "\nВторой абзац новости.", encoding="utf-8")
    (doc,) = docs(f)
    assert doc.title is None
    assert doc.text.startswith("Министр торговли")


def test_cp1251_example(examples_dir: Path) -> None:
    (doc,) = docs(examples_dir / "02_kaztransenergo_appointment.txt")
    assert doc.title == "В АО «КазТрансЭнерго» сменился председатель правления"
    assert "Нурлан Жакупов" in doc.text and "млрд тенге" in doc.text


def test_cp1251_inline(tmp_path: Path) -> None:
    f = tmp_path / "old"
    f.write_bytes(("Заголовок новости\n" + ARTICLE).encode("cp1251"))
    (doc,) = docs(f)
    assert doc.text == ARTICLE


def test_html_example_metadata_and_no_furniture(examples_dir: Path) -> None:
    (doc,) = docs(examples_dir / "04_bishkek_plant.html")
    assert doc.title == "В Бишкеке запущен завод по переработке молока стоимостью 20 млн долларов"
    assert doc.url == "https://ekonomika-kg.kg/news/2023/05/17/bishkek-moloko-zavod"
    assert doc.source == "ekonomika-kg.kg"
    assert doc.published and doc.published.startswith("2023-05-17")
    assert "Евразийский банк развития" in doc.text
    for furniture in ("Контакты", "Поиск по сайту", "Курс сома", "Все права защищены"):
        assert furniture not in doc.text
    assert not doc.text.startswith(doc.title)


def test_html_saved_as_txt_is_sniffed(tmp_path: Path) -> None:
    f = tmp_path / "page.txt"
    f.write_text(
        f"<!DOCTYPE html><html><head><title>Т</title></head><body><p>{ARTICLE}</p></body></html>",
        encoding="utf-8",
    )
    (doc,) = docs(f)
    assert "<p>" not in doc.text and "Алмаз Турдукулов" in doc.text


def test_broken_html_without_text(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text("<html><head><title>x</title><body><div><script>var a=1;</script>", "utf-8")
    (err,) = errors(f)
    assert err.origin == str(f)
    assert "no article text" in err.message and "\n" not in err.message


def test_rss_example_two_entries(examples_dir: Path) -> None:
    path = examples_dir / "05_centralasia_trade_feed.xml"
    first, second = docs(path)
    assert first.origin == f"{path}#1" and second.origin == f"{path}#2"
    assert first.url == "https://centralasia-trade.uz/news/uzbekistan-turkey-forum"
    assert first.source == "centralasia-trade.uz"
    assert first.published and first.published.startswith("2023-03-14T09:30")
    assert "<p>" not in first.text and "Данияр Сапаров" in first.text
    assert len(first.text.split("\n")) == 4  # one line per <p>
    assert second.title == "Таджикистан привлечет 300 млн евро на модернизацию ГЭС"


def test_atom_feed(tmp_path: Path) -> None:
    f = tmp_path / "feed.atom"
    f.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Лента</title>'
        '<entry><title>Новость</title><link href="https://www.kursiv.media/n/1"/>'
        "<updated>2023-02-01T08:00:00+06:00</updated>"
        f'<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    (doc,) = docs(f)
    assert doc.text == ARTICLE
    assert doc.source == "kursiv.media"
    assert doc.published and doc.published.startswith("2023-02-01")


def test_feed_without_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text("<?xml version='1.0'?><rss><channel><title>x</title>", "utf-8")
    (err,) = errors(f)
    assert err.message.startswith("no entries in RSS/Atom feed")


def test_jsonl_example(examples_dir: Path) -> None:
    path = examples_dir / "06_astana_business.jsonl"
    first, second = docs(path)
    assert first.origin == f"{path}:1" and second.origin == f"{path}:2"
    assert first.source == "astana-business.kz"
    assert second.published == "2023-04-13"


def test_jsonl_bad_lines_reported_and_rest_read(tmp_path: Path) -> None:
    good = json.dumps({"text": ARTICLE, "source": "Kazinform"}, ensure_ascii=False)
    f = tmp_path / "batch.jsonl"
    f.write_text(
        "\n".join([good, "{not json", "", "[1, 2]", json.dumps({"title": "без текста"}), good]),
        encoding="utf-8",
    )
    items = list(read_path(f))
    assert [type(i).__name__ for i in items] == [
        "RawDocument",
        "IngestError",
        "IngestError",
        "IngestError",
        "RawDocument",
    ]
    assert [i.origin for i in items if isinstance(i, IngestError)] == [
        f"{f}:2",
        f"{f}:4",
        f"{f}:5",
    ]
    assert items[1].message.startswith("invalid JSON")  # type: ignore[union-attr]
    assert items[0].source == "Kazinform"  # type: ignore[union-attr]


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("  \n\n", encoding="utf-8")
    assert [e.message for e in errors(f)] == ["empty file"]


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (err,) = errors(f)
    assert "binary" in err.message


def test_oversize_file(tmp_path: Path) -> None:
    f = tmp_path / "dump.txt"
    with f.open("wb") as fh:
        fh.truncate(readers.MAX_BYTES + 1)  # sparse: no 20 MB actually written
    (err,) = errors(f)
    assert "over the" in err.message and str(readers.MAX_BYTES) in err.message


def test_oversize_limit_is_a_module_constant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Заголовок\n" + ARTICLE, encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    assert len(errors(f)) == 1


def test_missing_file(tmp_path: Path) -> None:
    (err,) = errors(tmp_path / "nope.txt")
    assert err.message.startswith("cannot read file")


def test_directory_sorted_recursive_known_extensions_only(examples_dir: Path) -> None:
    items = list(read_path(examples_dir))
    assert all(isinstance(i, RawDocument) for i in items)
    top_level = [
        i
        for i in items
        if Path((i.origin or "").split("#")[0].split(".jsonl:")[0]).parent == examples_dir
    ]
    assert len(top_level) == 8  # README.md is skipped
    assert len(items) > 8, "subdirectories (examples/kb_corpus) are read too"
    origins = [i.origin or "" for i in items]
    assert origins == sorted(origins, key=lambda o: o.split("#")[0].split(".jsonl:")[0])


def test_html_policy_in_page_footer_reaches_the_cleaner(tmp_path: Path) -> None:
    from newsfacts.ingest.clean import clean

    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Новость</title>"
        '<meta property="og:url" content="https://inform.kz/ru/n/1"></head><body>'
        f"<nav><a href='/'>Главная</a></nav><article><p>{ARTICLE}</p></article>"
        "<footer><p>© 2023 Inform.kz</p><p>При полном или частичном использовании "
        "материалов ссылка на Inform.kz обязательна. Использование более 25% текста "
        "допускается только с согласия редакции.</p></footer></body></html>",
        encoding="utf-8",
    )
    (doc,) = docs(f)
    article = clean(doc)
    assert article.text == "Новость\n" + ARTICLE
    assert article.policy.origin == "footer" and article.policy.link_required
    assert article.policy.max_share == 0.25 and article.policy.full_text == "permission"


def test_html_without_policy_keeps_default(examples_dir: Path) -> None:
    from newsfacts.ingest.clean import clean

    (doc,) = docs(examples_dir / "04_bishkek_plant.html")
    assert clean(doc).policy.origin == "default"


def test_cp1251_html_with_meta_charset(tmp_path: Path) -> None:
    f = tmp_path / "legacy.htm"
    page = (
        '<html><head><meta charset="windows-1251"><title>Зерно</title></head><body>'
        f"<article><p>{ARTICLE}</p></article>"
        "<footer><p>Перепечатка материалов без гиперссылки на сайт запрещена.</p></footer>"
        "</body></html>"
    )
    f.write_bytes(page.encode("cp1251"))
    (doc,) = docs(f)
    assert doc.text.startswith(ARTICLE)
    assert "запрещена" in doc.text  # the footer rides along for the cleaner to read
