"""A logistic-regression scorer that reads its weights from a JSON file.

The model is trained offline with scikit-learn (`scripts/train_occupation_pairs.py`),
but run time needs none of it: a sparse dot product over string features and a
sigmoid. JSON instead of pickle because a pickle is tied to the sklearn version that
wrote it and executes code on load; a JSON file of weights can be read, diffed and
reviewed like any other data file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

FORMAT = "newsfacts-linear/1"


class ModelError(ValueError):
    """A model file that cannot be used: missing, not JSON, or missing fields."""


@dataclass(frozen=True)
class LinearModel:
    weights: dict[str, float]
    intercept: float
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    # further named cut-offs a caller may apply to some cases ("unplaced")
    thresholds: dict[str, float] = field(default_factory=dict)

    def score(self, features: dict[str, float]) -> float:
        """The decision value w·x + b (features absent from the model weigh nothing)."""
        w = self.weights
        return self.intercept + sum(w.get(k, 0.0) * v for k, v in features.items())

    def probability(self, features: dict[str, float]) -> float:
        z = self.score(features)
        # the two-branch sigmoid never overflows math.exp
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def accepts(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "thresholds": self.thresholds,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "model") -> LinearModel:
        if not isinstance(data, dict):
            raise ModelError(f"{source}: expected a JSON object")
        if data.get("format") != FORMAT:
            raise ModelError(f"{source}: format is {data.get('format')!r}, expected {FORMAT!r}")
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            intercept = float(data["intercept"])
            threshold = float(data.get("threshold", 0.5))
            named = {str(k): float(v) for k, v in (data.get("thresholds") or {}).items()}
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: bad or missing field ({exc})") from exc
        bad = [k for k, v in weights.items() if not math.isfinite(v)]
        if not math.isfinite(intercept) or bad:
            raise ModelError(f"{source}: non-finite weight(s) {bad[:3] or ['intercept']}")
        for name, t in {"threshold": threshold, **named}.items():
            if not 0.0 <= t <= 1.0:  # also rejects NaN
                raise ModelError(f"{source}: {name} {t} is not in [0, 1]")
        meta = data.get("meta") or {}
        if not isinstance(meta, dict):
            raise ModelError(f"{source}: meta must be an object")
        return cls(
            weights=weights, intercept=intercept, threshold=threshold, meta=meta, thresholds=named
        )

    def dumps(self) -> str:
        """One weight per line, so a retrained model diffs readably."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=0) + "\n"

    def save(self, path: Path) -> None:
        path.write_text(self.dumps(), encoding="utf-8")


def read_json(path: str | Path) -> dict[str, Any]:
    """A model file's JSON; any problem is one `ModelError` line naming the file."""
    p = Path(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{p}: not a JSON model file ({exc})") from exc


def packaged_json(name: str) -> dict[str, Any]:
    """The JSON of a model shipped in `newsfacts/data/models/`."""
    ref = resources.files("newsfacts").joinpath(f"data/models/{name}.json")
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"packaged model {name}: {exc}") from exc


def load(path: str | Path) -> LinearModel:
    """Read a model file; any problem is one `ModelError` line naming the file."""
    return LinearModel.from_dict(read_json(path), source=str(path))


@cache
def packaged(name: str) -> LinearModel:
    """A model shipped in `newsfacts/data/models/`, loaded once per process."""
    return LinearModel.from_dict(packaged_json(name), source=f"data/models/{name}.json")
