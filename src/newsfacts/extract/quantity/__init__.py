"""The "quantity" component: reported figures as facts of type "quantity".

A figure in business news is a level ("товарооборот составил 13,5 млн долларов") or
a change of a level ("превысив показатель 2020 года на 12,5%"). Both are found by
`numbers.find_amounts`; this package decides which is which (`figures`), what the
figure measures (the indicator: `lexicon`, `hits`, `pick`, `syntax`, `shares`), whom
it is about (subjects: entity ids, `subjects`), and which period it belongs to (from
`doc.dates`, `figures`). `facts.quantities` puts the steps together.

The labelling rules these follow are in `docs/quantity-labelling.md`.

Conventions (see also `shared/docs/fact-schema.md`):
- `value` is in base units; `unit` is ISO 4217 for money, "%" for shares, "п.п." for
  percentage points, otherwise the lemma of the counted noun ("предприятие").
- A count with no indicator word is indicated as "число <noun, genitive plural>".
- `change` is {"value", "unit", "against"}: a percentage ("вырос на 12,5%" → 12.5,
  "снизился на 3%" → -3), a factor ("в 2 раза" → {"value": 2, "unit": "x"}; a decrease
  "в 2 раза" → 0.5), or an absolute difference ("с 10 до 15 млн" → 5000000 in the
  level's unit). `against` is the compared period when the text names one.
- A change with no level in its sentence ("экспорт вырос на 15%") is still a fact,
  with `value`, `unit` and `qualifier` null and the change filled in.
- `period` is the ISO value of the time expression (kept as text, with
  "period_resolved": false, when it could not be resolved).
"""

from __future__ import annotations

from newsfacts.extract.quantity.base import CURRENCY_UNITS
from newsfacts.extract.quantity.facts import quantities
from newsfacts.extract.quantity.lexicon import Indicator, Lexicon, indicators, lexicon
from newsfacts.pipeline import Doc, component

__all__ = [
    "CURRENCY_UNITS",
    "Indicator",
    "Lexicon",
    "indicators",
    "lexicon",
    "quantities",
    "quantity_layer",
]


@component("quantity")
def quantity_layer(doc: Doc) -> None:
    """Registered under "quantity"; the pipeline imports this package for it."""
    for fact in quantities(doc):
        doc.add_fact(fact)
