"""Issue 13: a page looks up the texts holding all its statements' runs in one read
(`Store.texts_holding_many`); each statement must get exactly what its own look-up
(`texts_holding`) gives, on both backends."""

from __future__ import annotations

from store_samples import TEXT_A, TEXT_B, TEXT_C

from newsfacts.store import Store


def test_many_is_each_alone(filled: Store) -> None:
    values = [
        "Аким Шымкента Мурат Айтенов встретился с послом",  # a run of one text
        "Стороны обсудили поставки сельскохозяйственной техники",
        "Посол Италии Марко Альберти встретился с акимом",
        TEXT_A[40:120],
        TEXT_B[10:90] + " " + TEXT_C[5:60],  # runs of two texts
        "Италия",  # too short to hold a run
        "ничего общего с этими текстами нет вообще",
        "Аким Шымкента Мурат Айтенов встретился с послом",  # asked twice
    ]
    many = filled.texts_holding_many(values)
    assert set(many) == set(values)
    for value in values:
        assert many[value] == filled.texts_holding(value), value
    assert len(many[values[4]]) >= 2 and many[values[0]] and not many["Италия"]


def test_plain_python_probes_equal_the_numpy_ones() -> None:
    """A statement is probed in plain Python (`runkeys.probe_hashes`), a text with numpy
    (`TextRuns`): the same hashes, or a statement would miss the texts holding it."""
    import random

    from newsfacts.policy.runhash import run_hash, run_hashes
    from newsfacts.store.runkeys import TextRuns, probe_hashes

    rnd = random.Random(13)
    alphabet = "абвгд еёжзий-клмн, оп.рст 12 ЯБ-😀 уф"
    values = [TEXT_A[:70], TEXT_B[5:60], "Посол Италии Марко Альберти встретился с акимом"]
    values += [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 90))) for _ in range(3000)
    ]
    for value in values:
        assert probe_hashes(value) == TextRuns(value).probe.tolist(), value
    runs = [(0, 12), (3, 20), (0, len(TEXT_A[:40]))]
    assert run_hashes(TEXT_A[:40], runs) == [run_hash(TEXT_A[:40][i : i + n]) for i, n in runs]
