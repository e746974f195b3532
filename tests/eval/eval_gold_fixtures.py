"""A tiny FactRuEval-style gold collection, written by hand for these tests.

`write_book` lays out the devset layers (`.txt`, `.tokens`, `.spans`, `.objects`,
`.coref`, `.facts`) for a short text of our own, computing offsets from the text so
the fixtures stay readable: a mention is given as (span tag, phrase, occurrence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

BOOK_1 = (
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти в Алматы. "
    "Стороны обсудили открытие центра «Астана Хаб»."
)

BOOK_2 = "Филиал АО «Казахтелеком» в Шымкенте возглавил Нурлан Сейтказиев."


@dataclass
class SpanSpec:
    tag: str
    phrase: str
    occurrence: int = 1


def _find(text: str, phrase: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.index(phrase, pos + 1)
    return pos


def write_book(
    folder: Path,
    name: str,
    text: str,
    mentions: list[tuple[str, str, list[SpanSpec]]],
    coref: list[tuple[str, list[str], list[tuple[str, str]]]] | None = None,
    facts: str | None = None,
) -> dict[str, str]:
    """Write one book; returns {phrase@occurrence: span id} for use in `.facts`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    tokens = [
        (1000 + i, m.start(), m.group()) for i, m in enumerate(re.finditer(r"\w+|[^\w\s]", text))
    ]
    (folder / f"{name}.tokens").write_text(
        "".join(f"{tid} {start} {len(tok)} {tok}\n" for tid, start, tok in tokens), encoding="utf-8"
    )
    span_lines, object_lines, ids = [], [], {}
    next_span = 500
    for obj_id, obj_type, specs in mentions:
        span_ids = []
        for spec in specs:
            start = _find(text, spec.phrase, spec.occurrence)
            end = start + len(spec.phrase)
            toks = [t for t in tokens if t[1] >= start and t[1] + len(t[2]) <= end]
            sid = str(next_span)
            next_span += 1
            ids[f"{spec.phrase}@{spec.occurrence}"] = sid
            span_lines.append(
                f"{sid} {spec.tag} {start} {len(spec.phrase)} {toks[0][0]} {len(toks)}  # "
                + " ".join(str(t[0]) for t in toks)
                + " "
                + " ".join(t[2] for t in toks)
            )
            span_ids.append(sid)
        object_lines.append(f"{obj_id} {obj_type} {' '.join(span_ids)} # x")
    (folder / f"{name}.spans").write_text("\n".join(span_lines) + "\n", encoding="utf-8")
    (folder / f"{name}.objects").write_text("\n".join(object_lines) + "\n", encoding="utf-8")
    if coref is not None:
        blocks = []
        for ent_id, objs, attrs in coref:
            blocks.append(
                "\n".join([f"{ent_id} {' '.join(objs)}"] + [f"{k} {v}" for k, v in attrs])
            )
        (folder / f"{name}.coref").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    if facts is not None:
        (folder / f"{name}.facts").write_text(facts, encoding="utf-8")
    return ids


BOOK_1_MENTIONS = [
    ("1", "LocOrg", [SpanSpec("loc_name", "Алматы", 1)]),
    ("2", "Person", [SpanSpec("name", "Ерболат"), SpanSpec("surname", "Досаев")]),
    ("3", "LocOrg", [SpanSpec("loc_name", "Италии")]),
    ("4", "Person", [SpanSpec("name", "Марко"), SpanSpec("surname", "Альберти")]),
    ("5", "Location", [SpanSpec("loc_name", "Алматы", 2)]),
    ("6", "Org", [SpanSpec("org_descr", "центра"), SpanSpec("org_name", "Астана Хаб")]),
    # A job span is not an object; written only so `.facts` can point at it.
    ("7", "Project", [SpanSpec("job", "Аким"), SpanSpec("job", "послом")]),
]

BOOK_1_COREF = [
    ("11", ["1", "5"], [("name", "Алматы")]),
    ("12", ["2"], [("firstname", "Ерболат"), ("lastname", "Досаев")]),
    ("13", ["3"], [("name", "Италия"), ("wikidata", "Q38")]),
    ("14", ["4"], [("firstname", "Марко"), ("lastname", "Альберти")]),
    ("16", ["6"], [("descriptor", "центр"), ("name", "Астана Хаб")]),
]


def book_1_facts(ids: dict[str, str]) -> str:
    return (
        "1-0 Occupation\n"
        "Who obj12 Досаев Ерболат\n"
        f"Position span{ids['Аким@1']} Аким\n"
        "Where obj11 Алматы\n\n"
        "1-1 Occupation\n"
        "Who obj14 Альберти Марко\n"
        f"Position span{ids['послом@1']} послом\n"
        "Where obj13 Италия\n\n"
        "1-2 Meeting\n"
        "Participant obj12 Досаев Ерболат\n"
        "Participant obj14 Альберти Марко\n"
    )


def offsets(text: str, phrase: str, occurrence: int = 1) -> tuple[int, int]:
    start = _find(text, phrase, occurrence)
    return start, start + len(phrase)


def make_gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    ids = write_book(folder, "book_1", BOOK_1, BOOK_1_MENTIONS, BOOK_1_COREF, facts="")
    (folder / "book_1.facts").write_text(book_1_facts(ids), encoding="utf-8")
    write_book(
        folder,
        "book_2",
        BOOK_2,
        [
            (
                "21",
                "Org",
                [
                    SpanSpec("org_descr", "Филиал"),
                    SpanSpec("org_name", "Казахтелеком"),
                    SpanSpec("loc_name", "Шымкенте"),
                ],
            ),
            ("22", "Org", [SpanSpec("org_name", "Казахтелеком")]),
            ("23", "Person", [SpanSpec("name", "Нурлан"), SpanSpec("surname", "Сейтказиев")]),
        ],
        [
            ("31", ["21"], [("descriptor", "филиал"), ("name", "Казахтелеком в Шымкенте")]),
            ("32", ["22"], [("name", "Казахтелеком")]),
            ("33", ["23"], [("firstname", "Нурлан"), ("lastname", "Сейтказиев")]),
        ],
        facts="",
    )
    return folder
