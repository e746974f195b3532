"""A multi-class linear scorer (softmax over classes) read from a JSON file.

The token tagger (`learned/tagger.py`) labels every token O / B-X / I-X; a binary
`linear.LinearModel` per label would lose the competition between labels, so this
keeps one weight vector per class. Like `linear.py`, run time is pure Python over
sparse binary string features: the file is readable data, never pickled code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newsfacts.extract.learned.linear import ModelError, packaged_json, read_json

FORMAT = "newsfacts-multiclass/1"


@dataclass(frozen=True)
class MulticlassModel:
    classes: list[str]
    # feature -> one weight per class (same order as `classes`)
    weights: dict[str, list[float]]
    intercepts: list[float]
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: Iterable[str]) -> list[float]:
        z = list(self.intercepts)
        w = self.weights
        n = len(z)
        for f in features:
            row = w.get(f)
            if row is not None:
                for k in range(n):
                    z[k] += row[k]
        return z

    def probabilities(self, features: Iterable[str]) -> list[float]:
        z = self.scores(features)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return [v / s for v in e]

    def predict(self, features: Iterable[str]) -> str:
        z = self.scores(features)
        return self.classes[max(range(len(z)), key=z.__getitem__)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "classes": self.classes,
            "intercepts": self.intercepts,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "model") -> MulticlassModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{source}: not a {FORMAT} model")
        try:
            classes = [str(c) for c in data["classes"]]
            intercepts = [float(v) for v in data["intercepts"]]
            weights = {str(k): [float(x) for x in v] for k, v in data["weights"].items()}
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: bad or missing field ({exc})") from exc
        n = len(classes)
        if n < 2 or len(intercepts) != n or any(len(v) != n for v in weights.values()):
            raise ModelError(f"{source}: weight rows do not match the {n} classes")
        values = intercepts + [x for v in weights.values() for x in v]
        if not all(math.isfinite(x) for x in values):
            raise ModelError(f"{source}: non-finite weight")
        meta = data.get("meta") or {}
        return cls(classes=classes, weights=weights, intercepts=intercepts, meta=dict(meta))

    def dumps(self) -> str:
        """One feature per line, so a retrained model diffs readably."""
        d = self.to_dict()
        rows = ",\n".join(
            f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in d["weights"].items()
        )
        head = {k: v for k, v in d.items() if k != "weights"}
        body = json.dumps(head, ensure_ascii=False, indent=0)[:-2]
        return f'{body},\n"weights": {{\n{rows}\n}}\n}}\n'

    def save(self, path: Path) -> None:
        path.write_text(self.dumps(), encoding="utf-8")


def load(path: str | Path) -> MulticlassModel:
    """Read a model file; any problem is one `ModelError` line naming the file."""
    return MulticlassModel.from_dict(read_json(path), source=str(path))


@cache
def packaged(name: str) -> MulticlassModel:
    """A model shipped in `newsfacts/data/models/`, loaded once per process."""
    return MulticlassModel.from_dict(packaged_json(name), source=f"data/models/{name}.json")
