"""The FactRuEval-2016 comparator on hand-made gold with hand-computed answers."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from eval_gold_fixtures import BOOK_1, BOOK_2, SHARED, offsets

from newsfacts.eval import factrueval as fre
from newsfacts.eval.metrics import Score


def gold(folder: Path, name: str = "book_1") -> fre.GoldDoc:
    text = fre.read_text(folder / f"{name}.txt")
    doc = fre.load_gold(folder, name, text)
    assert doc is not None
    return doc


def m(tag: str, text: str, phrase: str, occurrence: int = 1) -> tuple[str, int, int]:
    return (tag, *offsets(text, phrase, occurrence))


PERFECT_1 = [
    m("locorg", BOOK_1, "Алматы"),
    m("per", BOOK_1, "Ерболат Досаев"),
    m("locorg", BOOK_1, "Италии"),
    m("per", BOOK_1, "Марко Альберти"),
    m("loc", BOOK_1, "Алматы", 2),
    m("org", BOOK_1, "центра «Астана Хаб»"),
]


# ---------------------------------------------------------------- track 1


def test_track1_perfect_response_scores_one(gold_dir: Path) -> None:
    scores = fre.score_track1(gold(gold_dir), PERFECT_1)
    for tag in ("per", "loc", "org", "locorg", "overall"):
        assert scores[tag].f1 == pytest.approx(1.0), tag
    assert scores["overall"].n_gold == 6


def test_track1_missing_and_extra_mentions(gold_dir: Path) -> None:
    response = [x for x in PERFECT_1 if x[0] != "per" or "Марко" not in BOOK_1[x[1] : x[2]]]
    response.append(m("org", BOOK_1, "Стороны"))
    scores = fre.score_track1(gold(gold_dir), response)
    overall = scores["overall"]
    assert (overall.tp_gold, overall.n_gold, overall.n_pred) == (5, 6, 6)
    assert overall.precision == pytest.approx(5 / 6)
    assert overall.recall == pytest.approx(5 / 6)
    assert scores["per"].recall == pytest.approx(1 / 2)
    assert scores["per"].precision == pytest.approx(1.0)
    assert scores["org"].precision == pytest.approx(1 / 2)


def test_track1_descriptor_words_are_free_name_words_are_not(gold_dir: Path) -> None:
    g = gold(gold_dir)
    # "центра" is a descriptor: leaving it out costs nothing; quotes are ignored.
    name_only = fre.score_track1(g, [m("org", BOOK_1, "Астана Хаб")])["org"]
    assert name_only.tp_gold == pytest.approx(1.0)
    # Half of the name: one of two weighted tokens found, nothing extra.
    half = fre.score_track1(g, [m("org", BOOK_1, "Астана")])["org"]
    assert half.tp_gold == pytest.approx(0.5)
    # One extra response token costs one: 2 / (2 + 1).
    extra = fre.score_track1(g, [m("org", BOOK_1, "открытие центра «Астана Хаб")])["org"]
    assert extra.tp_gold == pytest.approx(2 / 3)


def test_track1_locorg_as_location(gold_dir: Path) -> None:
    g = gold(gold_dir)
    response = [("loc", s, e) if t == "locorg" else (t, s, e) for t, s, e in PERFECT_1]
    own_class = fre.score_track1(g, response, locorg=True)
    assert own_class["locorg"].recall == 0.0
    assert own_class["overall"].f1 == pytest.approx(4 / 6)
    merged = fre.score_track1(g, response, locorg=False)
    assert "locorg" not in merged
    assert merged["overall"].f1 == pytest.approx(1.0)


def test_track1_nested_organisation_is_not_required(gold_dir: Path) -> None:
    g = gold(gold_dir, "book_2")
    outer = m("org", BOOK_2, "Филиал АО «Казахтелеком» в Шымкенте")
    person = m("per", BOOK_2, "Нурлан Сейтказиев")
    only_outer = fre.score_track1(g, [outer, person])["org"]
    # Two weighted name tokens found (the descriptor "Филиал" weighs 0), "АО" and
    # "в" extra: 2 / (2 + 2).
    assert (only_outer.n_gold, only_outer.n_pred) == (1, 1)
    assert only_outer.tp_gold == pytest.approx(2 / 4)
    inner_too = fre.score_track1(g, [outer, person, m("org", BOOK_2, "Казахтелеком")])["org"]
    # The nested mention is ignored: matched to it, the response is neither credited
    # nor punished.
    assert (inner_too.n_gold, inner_too.n_pred) == (1, 1)


# ---------------------------------------------------------------- track 2


def test_track2_perfect_partial_and_fuzzy(gold_dir: Path) -> None:
    g = gold(gold_dir)
    perfect = [
        fre.RespEntity("loc", [("name", "алматы")]),
        fre.RespEntity("per", [("firstname", "ерболат"), ("surname", "досаев")]),
        fre.RespEntity("locorg", [("name", "италия")]),
        fre.RespEntity("per", [("firstname", "марко"), ("surname", "альберти")]),
        fre.RespEntity("org", [("name", "центр астана хаб")]),
    ]
    assert fre.score_track2(g, perfect)["overall"].f1 == pytest.approx(1.0)

    partial = [
        # surname only: 1 of 2 gold attributes
        fre.RespEntity("per", [("surname", "досаев")]),
        # two typos are still the same name (edit distance 2)
        fre.RespEntity("per", [("firstname", "марко"), ("surname", "альбертти")]),
        fre.RespEntity("org", [("name", "астана хаб")]),
        fre.RespEntity("org", [("name", "минфин")]),  # not in the gold
    ]
    scores = fre.score_track2(g, partial)
    assert scores["per"].tp_gold == pytest.approx(1.5)
    assert scores["per"].recall == pytest.approx(1.5 / 2)
    assert scores["org"].precision == pytest.approx(1 / 2)
    assert scores["loc"].recall == 0.0
    assert scores["overall"].n_gold == 5


def test_track2_entity_named_only_inside_another_is_not_required(gold_dir: Path) -> None:
    g = gold(gold_dir, "book_2")
    response = [
        fre.RespEntity("org", [("name", "филиал казахтелеком в шымкенте")]),
        fre.RespEntity("per", [("firstname", "нурлан"), ("surname", "сейтказиев")]),
    ]
    scores = fre.score_track2(g, response)
    assert scores["overall"].n_gold == 2  # "Казахтелеком" lives inside the branch's name
    assert scores["overall"].f1 == pytest.approx(1.0)


# ---------------------------------------------------------------- track 3


def occupation(*args: tuple[str, str]) -> fre.RespFact:
    return fre.RespFact("occupation", list(args))


def test_track3_perfect_and_missing_argument(gold_dir: Path) -> None:
    g = gold(gold_dir)
    perfect = [
        occupation(("who", "досаев ерболат"), ("position", "аким"), ("where", "алматы")),
        occupation(("who", "альберти марко"), ("position", "послом"), ("where", "италия")),
        fre.RespFact(
            "meeting", [("participant", "досаев ерболат"), ("participant", "альберти марко")]
        ),
    ]
    scores = fre.score_track3(g, perfect)
    assert scores["overall"].f1 == pytest.approx(1.0)
    assert scores["deal"].n_gold == 0

    # Position missing: A = 2/3, I = 1, quality (2/3 + 2/3) / 2.
    partial = [occupation(("who", "досаев ерболат"), ("where", "алматы"))]
    occ = fre.score_track3(g, partial)["occupation"]
    assert occ.tp_gold == pytest.approx(2 / 3)
    assert occ.recall == pytest.approx(1 / 3)
    assert occ.precision == pytest.approx(2 / 3)


def test_track3_fact_split_over_two_responses(gold_dir: Path) -> None:
    g = gold(gold_dir)
    gold_occ = [f for f in g.facts or [] if f.tag == "occupation"][:1]
    a = occupation(("who", "досаев ерболат"), ("position", "аким"))
    b = occupation(("who", "досаев ерболат"), ("where", "алматы"))
    score = fre.score_facts(gold_occ, [a, b])
    # Both join the cluster: A = 1, I = 2/3 (position and where never together),
    # quality 5/6, credited once for recall and twice for precision.
    assert score.tp_gold == pytest.approx(5 / 6)
    assert score.tp_pred == pytest.approx(5 / 3)
    assert score.f1 == pytest.approx(5 / 6)


def test_track3_person_name_orders_and_part_of(tmp_path: Path) -> None:
    from eval_gold_fixtures import BOOK_1_COREF, BOOK_1_MENTIONS, book_1_facts, write_book

    ids = write_book(tmp_path, "book_1", BOOK_1, BOOK_1_MENTIONS, BOOK_1_COREF, facts="")
    (tmp_path / "book_1.facts").write_text(
        book_1_facts(ids) + "\n1-3 isPartOf\nCompany obj11 Алматы\nCompany obj16 Астана Хаб\n",
        encoding="utf-8",
    )
    g = gold(tmp_path)
    assert all(f.tag != "ispartof" for f in g.facts or [])
    first = next(f for f in g.facts or [] if f.tag == "occupation")
    where = next(a for a in first.args if a.name == "where")
    assert "астана хаб" in where.values  # the whole Алматы is linked to
    who = next(a for a in first.args if a.name == "who")
    assert {"досаев ерболат", "ерболат досаев", "досаев"} <= who.values


# ---------------------------------------------------------------- writers and readers


def test_response_writers_round_trip(tmp_path: Path) -> None:
    fre.write_task1(tmp_path / "book_9.task1", [("per", 20, 34), ("loc", 5, 11), ("per", 20, 34)])
    assert (tmp_path / "book_9.task1").read_text(encoding="utf-8") == "loc 5 6\nper 20 14\n"
    assert fre.read_task1(tmp_path / "book_9.task1") == [("loc", 5, 11), ("per", 20, 34)]

    fre.write_blocks(
        tmp_path / "book_9.task3",
        [
            ("occupation", [("who", "досаев ерболат"), ("position", "аким: города\nАлматы")]),
            ("meeting", [("participant", "a"), ("participant", "b")]),
        ],
    )
    text = (tmp_path / "book_9.task3").read_text(encoding="utf-8")
    assert text == (
        "occupation\nwho : досаев ерболат\nposition : аким города Алматы\n\n"
        "meeting\nparticipant : a\nparticipant : b\n"
    )
    blocks = fre.read_blocks(tmp_path / "book_9.task3")
    assert blocks[0] == (
        "occupation",
        [("who", "досаев ерболат"), ("position", "аким города алматы")],
    )


def test_bad_task1_line_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "book_1.task1").write_text("person 1 2\n", encoding="utf-8")
    with pytest.raises(fre.FactRuEvalError, match="book_1.task1:1"):
        fre.read_task1(tmp_path / "book_1.task1")


# ---------------------------------------------------------------- mapping our record


def test_mapping_of_our_entities_and_facts() -> None:
    entities = [
        SimpleNamespace(id="E1", type="person", name="Ерболат Досаев", subtype=None, mentions=[]),
        SimpleNamespace(id="E2", type="location", name="Алматы", subtype="city", mentions=[]),
        SimpleNamespace(id="E3", type="location", name="Италия", subtype="country", mentions=[]),
        SimpleNamespace(
            id="E4", type="organization", name="Казахтелеком", subtype=None, mentions=[]
        ),
    ]
    facts = [
        SimpleNamespace(
            type="occupation",
            args={"person": "E1", "position": "Аким", "where": "E2", "phase": "start"},
        ),
        SimpleNamespace(type="meeting", args={"participants": ["E1", "E3"], "place": "E2"}),
        SimpleNamespace(type="quantity", args={"indicator": "товарооборот"}),
    ]
    doc = SimpleNamespace(
        text="Алматы принял посла в Италии. Италия ответила.",
        entities=entities,
        facts=facts,
        mentions=[
            SimpleNamespace(start=0, end=6, entity_id="E2", kind="name"),
            SimpleNamespace(start=22, end=28, entity_id="E3", kind="name"),
            SimpleNamespace(start=30, end=36, entity_id="E3", kind="name"),
            SimpleNamespace(start=14, end=19, entity_id="E1", kind="nominal"),
        ],
        entity=lambda i: next((e for e in entities if e.id == i), None),
    )
    # A city or country acting is a LocOrg; after "в" it is the place where.
    assert fre.named_mentions(doc) == [("locorg", 0, 6), ("loc", 22, 28), ("locorg", 30, 36)]
    ents = fre.response_entities(doc)
    assert ents[0] == fre.RespEntity("per", [("firstname", "Ерболат"), ("surname", "Досаев")])
    assert ents[3] == fre.RespEntity("org", [("name", "Казахтелеком")])
    out = fre.response_facts(doc)
    assert out == [
        fre.RespFact(
            "occupation",
            [
                ("who", "досаев ерболат"),
                ("position", "аким"),
                ("where", "алматы"),
                ("фаза", "начало"),
            ],
        ),
        fre.RespFact("meeting", [("participant", "досаев ерболат"), ("participant", "италия")]),
    ]


def test_person_name_parts_by_morphology() -> None:
    assert fre.person_parts("Касым-Жомарт Токаев")["surname"] == "Токаев"
    assert fre.person_parts("Иван Иванович Петров") == {
        "firstname": "Иван",
        "patronymic": "Иванович",
        "surname": "Петров",
    }
    assert fre.person_value("Ерболат Досаев") == "досаев ерболат"
    assert fre.person_value("Досаев") == "досаев"


def test_metrics_defaults_follow_the_comparator() -> None:
    assert Score().f1 == 1.0  # nothing to find, nothing found
    assert Score.simple(0, 3, 0).f1 == 0.0
    assert Score.simple(1, 2, 4).f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)


# ---------------------------------------------------------------- the command


def test_command_on_folder_without_gold(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "plain"
    data.mkdir()
    (data / "book_7.txt").write_text(
        "Президент Казахстана Касым-Жомарт Токаев провёл встречу с премьер-министром "
        "Узбекистана Абдуллой Ариповым в Астане.",
        encoding="utf-8",
    )
    (data / "notes.md").write_text("not a book", encoding="utf-8")
    out = tmp_path / "out"
    assert fre.run(data, out) == 0
    printed = capsys.readouterr().out
    assert "1 documents, 0 with gold" in printed
    assert "Track 1" not in printed
    assert sorted(p.name for p in out.iterdir()) == ["book_7.task1", "book_7.task2", "book_7.task3"]
    text = (data / "book_7.txt").read_text(encoding="utf-8")
    for tag, start, end in fre.read_task1(out / "book_7.task1"):
        assert tag in fre.TRACK1_TAGS
        assert 0 <= start < end <= len(text)
    for head, _ in fre.read_blocks(out / "book_7.task2"):
        assert head in ("per", "loc", "org", "locorg")


def test_command_scores_gold_folder_and_rejects_empty_one(
    gold_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pipeline is replaced by one that finds exactly the gold: the command must
    # then write responses that score 1.0 through the files.
    def fake_extract(text: str, name: str) -> SimpleNamespace:
        return SimpleNamespace(text=text, entities=[], facts=[], mentions=[])

    monkeypatch.setattr(fre, "extract_raw", fake_extract)
    monkeypatch.setattr(fre, "named_mentions", lambda doc: PERFECT_1 if doc.text == BOOK_1 else [])
    totals = fre.evaluate(gold_dir, tmp_path / "out")
    assert (totals.docs, totals.gold_docs) == (2, 2)
    assert totals.t1["locorg"].f1 == pytest.approx(1.0)
    assert totals.t1["per"].recall == pytest.approx(2 / 3)  # book_2's person not found
    assert totals.t3["occupation"].recall == 0.0

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(fre.FactRuEvalError, match="no book_N.txt"):
        fre.evaluate(empty, tmp_path / "out2")


@pytest.mark.slow
def test_gold_derived_responses_score_near_one_on_devset() -> None:
    """Responses rebuilt from the devset gold must score ~1.0: a check of our loaders
    and comparator against the real layers."""
    devset = SHARED / "factrueval-2016" / "devset"
    if not devset.is_dir():
        pytest.skip("shared FactRuEval devset not available")
    t1: dict[str, Score] = {}
    t3: dict[str, Score] = {}
    from newsfacts.eval.metrics import add_into

    for path in fre.book_files(devset)[:30]:
        text = fre.read_text(path)
        g = fre.load_gold(devset, path.stem, text)
        assert g is not None
        ments = [(x.tag, x.start, x.end) for x in g.mentions if x.tag in fre.TRACK1_TAGS]
        add_into(t1, fre.score_track1(g, ments))
        facts = [
            fre.RespFact(f.tag, [(a.name, max(a.values, key=len)) for a in f.args if a.values])
            for f in g.facts or []
        ]
        add_into(t3, fre.score_track3(g, facts))
    assert t1["overall"].f1 > 0.98
    assert t3["overall"].f1 > 0.97
