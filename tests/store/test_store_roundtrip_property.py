"""Property: whatever JSON-shaped record the extractor hands over comes back equal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.names import shown_record
from newsfacts.store import Store

# NUL is refused on purpose (PostgreSQL cannot store it); test_store_api covers that.
CHARS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))


def texts(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(CHARS, min_size=min_size, max_size=max_size)


json_scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts(max_size=30)
)
json_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(texts(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def records(draw: st.DrawFn) -> Record:
    text = draw(texts(min_size=1, max_size=300))
    n = len(text)

    def span() -> tuple[int, int]:
        start = draw(st.integers(0, n))
        return (start, draw(st.integers(start, n)))

    ents = []
    for i in range(draw(st.integers(0, 4))):
        ents.append(
            Entity(
                id=f"E{i + 1}",
                type=draw(st.sampled_from(["person", "organization", "location"])),
                name=draw(texts(min_size=1, max_size=40).filter(str.strip)),
                mentions=sorted(span() for _ in range(draw(st.integers(0, 3)))),
                subtype=draw(st.none() | st.sampled_from(["country", "city"])),
                code=draw(st.none() | st.sampled_from(["KZ", "IT", "UZ"])),
                aliases=draw(st.lists(texts(max_size=20), max_size=2)),
            )
        )
    ids = [e.id for e in ents]
    facts = []
    for _ in range(draw(st.integers(0, 4))):
        args = draw(st.dictionaries(texts(min_size=1, max_size=10), json_value, max_size=4))
        if ids:
            args["who"] = draw(st.sampled_from(ids))
            args["with"] = draw(st.lists(st.sampled_from(ids), max_size=3))
        facts.append(
            Fact(
                type=draw(st.sampled_from(["meeting", "quantity", "intent", "нечто"])),
                args=args,
                evidence=[span() for _ in range(draw(st.integers(0, 2)))],
                confidence=draw(st.floats(0, 1)),
                modality=draw(st.none() | st.just("promise")),
                extractor=draw(st.none() | st.just("rules")),
            )
        )
    article = Article(
        id=article_id(text),
        text=text,
        title=draw(st.none() | texts(max_size=50)),
        source=draw(st.none() | st.just("kapital.kz")),
        published=draw(st.none() | st.sampled_from(["2022", "2022-04-28", "вчера"])),
        policy=Policy(max_share=draw(st.floats(0, 1))),
    )
    return Record(article, ents, facts, extractor_version=draw(st.sampled_from(["", "0.1"])))


@pytest.fixture(scope="module")
def memory_store() -> Iterator[Store]:
    with Store.open(":memory:") as store:
        yield store


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rec=records())
def test_any_record_round_trips(memory_store: Store, rec: Record) -> None:
    memory_store.delete_article(rec.article.id)  # hypothesis replays examples
    assert memory_store.save(rec)
    back = memory_store.get_record(rec.article.id)
    assert back is not None
    assert back.to_dict() == shown_record(rec).to_dict()  # long names short (issue 12)
    memory_store.search(rec.article.text[:20])  # never raises, whatever the text
