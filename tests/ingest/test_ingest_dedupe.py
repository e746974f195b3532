from __future__ import annotations

import json
import random
from pathlib import Path

from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, minhash, shingles, similarity

MEETING_A = (
    "Аким Павлодарской области Асаин Баймуханов провел встречу с послом Южной Кореи. "
    "Стороны обсудили строительство завода по переработке алюминия стоимостью 300 млн долларов, "
    "а также открытие прямого авиарейса Павлодар – Сеул с сентября текущего года. "
    "По итогам 2022 года товарооборот области с Кореей составил 84 млн долларов."
)
MEETING_B = (
    "Министр экономики Узбекистана провел встречу с делегацией Европейского банка. "
    "Стороны обсудили финансирование солнечных электростанций в Бухарской области на сумму "
    "120 млн евро, а также программу кредитования малого бизнеса в этом году. "
    "Объем портфеля банка в республике превысил 2 млрд евро."
)


def _edit_every(text: str, step: int) -> str:
    words = text.split()
    return " ".join("изменено" if i % step == step - 1 else w for i, w in enumerate(words))


def _example_texts(examples_dir: Path) -> tuple[str, str, str]:
    original = (examples_dir / "01_shymkent_tashkent.txt").read_text("utf-8").split("\n", 1)[1]
    lines = (examples_dir / "06_astana_business.jsonl").read_text("utf-8").splitlines()
    other, republished = (json.loads(line)["text"] for line in lines)
    return original, republished, other


def test_republication_is_near_duplicate(examples_dir: Path) -> None:
    original, republished, other = _example_texts(examples_dir)
    assert similarity(original, republished) >= NEAR_DUPLICATE
    assert set(fingerprint(original)) & set(fingerprint(republished))
    assert similarity(original, other) < 0.2


def test_threshold_separates_light_edits_from_rewrites(examples_dir: Path) -> None:
    original, _, _ = _example_texts(examples_dir)
    assert similarity(original, _edit_every(original, 40)) >= NEAR_DUPLICATE
    assert similarity(original, _edit_every(original, 8)) < NEAR_DUPLICATE


def test_same_template_different_story_is_far_apart() -> None:
    assert similarity(MEETING_A, MEETING_B) < 0.2
    assert not set(fingerprint(MEETING_A)) & set(fingerprint(MEETING_B))


def test_fingerprint_deterministic_and_case_insensitive() -> None:
    assert fingerprint(MEETING_A) == fingerprint(MEETING_A.upper())
    assert len(fingerprint(MEETING_A)) == 20
    assert fingerprint("") == [] and similarity("", "") == 1.0


def test_lsh_recall_on_random_light_edits() -> None:
    rng = random.Random(7)
    words = (MEETING_A + " " + MEETING_B).split()
    hits = 0
    for _ in range(30):
        edited = list(words)
        for i in rng.sample(range(len(words)), 2):
            edited[i] = "правка"
        text = " ".join(edited)
        if similarity(" ".join(words), text) >= NEAR_DUPLICATE:
            hits += bool(set(fingerprint(" ".join(words))) & set(fingerprint(text)))
        else:
            hits += 1
    assert hits == 30


def test_short_text_has_one_shingle() -> None:
    assert len(shingles("Астана Алматы")) == 1


def _pair_with_jaccard(rng: random.Random, jaccard: float, n: int = 150) -> tuple[str, str]:
    """Two texts of n distinct shingles each sharing enough to have this Jaccard."""
    common = round(2 * n * jaccard / (1 + jaccard))

    def words(k: int) -> list[str]:
        return [f"слово{rng.getrandbits(40)}" for _ in range(k)]

    # Distinct random words make every 3-word shingle distinct; the shared block is
    # placed first so the two texts share exactly its inner shingles.
    base = words(common + 2)
    return " ".join(base + words(n - common)), " ".join(base + words(n - common))


def test_minhash_agreement_tracks_jaccard() -> None:
    rng = random.Random(11)
    for _ in range(10):
        a, b = _pair_with_jaccard(rng, 0.6)
        ma, mb = minhash(a), minhash(b)
        agreement = sum(x == y for x, y in zip(ma, mb, strict=True)) / len(ma)
        assert abs(agreement - similarity(a, b)) < 0.2


def test_lsh_finds_pairs_at_the_threshold_and_rarely_distant_ones() -> None:
    rng = random.Random(5)
    near = [_pair_with_jaccard(rng, NEAR_DUPLICATE) for _ in range(40)]
    far = [_pair_with_jaccard(rng, 0.25) for _ in range(40)]
    assert all(set(fingerprint(a)) & set(fingerprint(b)) for a, b in near)
    assert sum(bool(set(fingerprint(a)) & set(fingerprint(b))) for a, b in far) <= 8
