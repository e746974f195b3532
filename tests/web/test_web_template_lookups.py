"""The pages' Jinja environment reads a plain dict's keys without Jinja's attribute
attempt first (`web.templating._Environment`), and counted nouns are inflected once
per word (`web.morph`); both give what they gave before (issue 13)."""

from __future__ import annotations

from collections import UserDict

import jinja2
import pytest

from newsfacts.web import morph
from newsfacts.web.templating import TEMPLATES


class _Keys(dict):
    """A dict subclass with an attribute of its own: Jinja's own rules apply."""

    type = "attribute"


CASES = [
    "{{ d.type }}|{{ d.missing }}|{{ d.missing.deeper }}|{{ d['type'] }}",
    "{{ d.values }}|{{ d.items is callable }}|{{ d.get('type') }}",  # dict's own names
    "{{ d.nested.inner }}|{{ d.list[0].type }}|{{ d.none }}",
    "{% if d.flag %}yes{% else %}no{% endif %}|{{ d.number + 1 }}",
]


@pytest.mark.parametrize("source", CASES)
@pytest.mark.parametrize(
    "data",
    [
        {
            "type": "meeting",
            "values": [1, 2],
            "items": "shadowed",
            "nested": {"inner": "x"},
            "list": [{"type": "t"}],
            "none": None,
            "flag": True,
            "number": 2,
        },
        {"nested": {}, "list": [{}], "number": 0},
        _Keys(type="item", values="v", nested={"inner": "y"}, list=[{}], number=1),
        UserDict(type="user", nested={"inner": "z"}, list=[{"type": "u"}], number=3),
    ],
)
def test_lookups_render_as_jinja_renders_them(source: str, data: object) -> None:
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)
    ours = TEMPLATES.env
    assert type(ours) is not jinja2.Environment  # the fast path is in use
    expected = plain.from_string(source).render(d=data)
    assert ours.from_string(source).render(d=data) == expected


def test_counted_nouns_are_inflected_once_per_word() -> None:
    morph._inflected.cache_clear()
    first = [morph.agree("предприятие", n) for n in (1, 3, 5, 21, 1.5)]
    assert first == ["предприятие", "предприятия", "предприятий", "предприятие", "предприятия"]
    misses = morph._inflected.cache_info().misses
    assert [morph.agree("предприятие", n) for n in (1, 3, 5, 21, 1.5)] == first
    assert morph._inflected.cache_info().misses == misses  # answered from the cache
