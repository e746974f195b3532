"""Reading and checking the news gold: `data/news_gold/<batch>.jsonl`.

The format is specified in `docs/fact-labelling.md` §2: one text a line,

    {"id": "b01-01", "batch": "b01", "text": "...", "published": "2024-03-12" | null,
     "entities": [{"type": "person", "name": "Нурлан Беков", "aliases": ["Беков"]}],
     "facts": [{"type": "occupation",
                "args": {"person": "Нурлан Беков", "position": "аким", "where": "..."},
                "phase": "start", "evidence": "<a sentence copied from text>"}]}

Arguments hold entity *names*, not ids, so labellers never see the extractor's
numbering. `check_line` lists every way a line breaks the format, so a labeller can
run `newsfacts eval news --check` before handing a batch in and the scorer never
scores a typo as an extraction error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsfacts.model import ENTITY_TYPES, FACT_TYPES, MODALITIES

PHASES = ("current", "start", "end", "past")
QUANTITY_MODALITIES = ("actual", "planned", "forecast", "possible")
# Arguments that name entities, per fact type: their values must be names in `entities`.
ENTITY_ARGS: dict[str, tuple[str, ...]] = {
    "occupation": ("person", "where"),
    "meeting": ("participants", "place"),
    "deal": ("parties", "signatories"),
    "ownership": ("owner",),
    "intent": ("agent", "place", "on_behalf_of"),
    "proposal": ("proposer", "addressee", "parties"),
    "plan": ("agent", "place"),
    "launch": ("place", "route"),
    "discussion": ("participants",),
    "quantity": ("subjects",),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NewsGoldError(ValueError):
    """A gold file or line that cannot be used; the message names file and line."""


@dataclass
class GoldText:
    id: str
    batch: str
    text: str
    published: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)


def default_gold_dir() -> Path:
    return Path(str(resources.files("newsfacts").joinpath("data/news_gold")))


def batch_files(data: str | Path | None = None, batch: str | None = None) -> list[Path]:
    root = Path(data) if data else default_gold_dir()
    if batch:
        path = root / f"{batch}.jsonl"
        if not path.is_file():
            raise NewsGoldError(f"{path}: no such batch file")
        return [path]
    files = sorted(root.glob("*.jsonl")) if root.is_dir() else []
    if not files:
        raise NewsGoldError(f"{root}: no gold batch (*.jsonl) found")
    return files


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _check_fact(fact: Any, text: str, names: set[str] | None) -> list[str]:
    if not isinstance(fact, dict):
        return ["a fact is not an object"]
    ftype, args = fact.get("type"), fact.get("args")
    if ftype not in FACT_TYPES:
        return [f"unknown fact type {ftype!r}"]
    if not isinstance(args, dict):
        return [f"{ftype}: args is not an object"]
    out = []
    evidence = fact.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        out.append(f"{ftype}: no evidence sentence")
    elif evidence not in text:
        out.append(f"{ftype}: evidence is not copied exactly from text: {evidence[:60]!r}")
    if names is not None:
        for key in ENTITY_ARGS[ftype]:
            for value in _as_list(args.get(key)):
                if value not in names:
                    out.append(f"{ftype}: {key} {value!r} is not the name of an entity")
    if ftype == "occupation":
        if not args.get("person") or not args.get("position"):
            out.append("occupation: needs person and position")
        if fact.get("phase") not in PHASES:
            out.append(f"occupation: phase must be one of {', '.join(PHASES)}")
    elif ftype == "meeting":
        if len(_as_list(args.get("participants"))) < 2:
            out.append("meeting: needs at least two participants")
    elif ftype == "deal":
        if not _as_list(args.get("parties")) + _as_list(args.get("signatories")):
            out.append("deal: needs parties or signatories")
        if not args.get("kind"):
            out.append("deal: needs kind (меморандум, соглашение, ...)")
    elif ftype == "intent" and fact.get("modality") not in MODALITIES:
        out.append(f"intent: modality must be one of {', '.join(MODALITIES)}")
    elif ftype == "quantity":
        if not args.get("indicator"):
            out.append("quantity: needs an indicator")
        if args.get("value") is None and not args.get("change"):
            out.append("quantity: needs a value or a change")
        if fact.get("modality") not in QUANTITY_MODALITIES:
            out.append(f"quantity: modality must be one of {', '.join(QUANTITY_MODALITIES)}")
        change = args.get("change") or {}
        if change.get("against") is not None and change.get("against") == args.get("period"):
            out.append("quantity: change.against equals the period")
    return out


def check_line(raw: Any, batch: str | None = None) -> list[str]:
    """Every problem of one parsed gold line (empty when the line is sound)."""
    if not isinstance(raw, dict):
        return ["not a JSON object"]
    out = []
    for key in ("id", "batch", "text", "facts"):
        if key not in raw:
            out.append(f"missing field {key!r}")
    if out:
        return out
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        return ["text is empty"]
    if batch is not None and raw["batch"] != batch:
        out.append(f"batch {raw['batch']!r} differs from the file name {batch!r}")
    published = raw.get("published")
    if published is not None and not (isinstance(published, str) and _DATE.match(published)):
        out.append(f"published must be YYYY-MM-DD or null, not {published!r}")
    names: set[str] | None = None
    if "entities" in raw:
        names = set()
        for ent in raw["entities"] or []:
            if not isinstance(ent, dict) or ent.get("type") not in ENTITY_TYPES:
                out.append(f"entity {ent!r}: type must be one of {', '.join(ENTITY_TYPES)}")
                continue
            if not ent.get("name"):
                out.append("an entity has no name")
            elif ent["name"] in names:
                out.append(f"entity {ent['name']!r} listed twice")
            names.add(ent.get("name", ""))
    if not isinstance(raw["facts"], list):
        return [*out, "facts is not a list"]
    for fact in raw["facts"]:
        out.extend(_check_fact(fact, text, names))
    return out


def load_batch(path: Path) -> list[GoldText]:
    """The texts of one batch file; raises with every problem found, not the first."""
    items, problems, seen = [], [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}:{n}: invalid JSON ({exc.msg}, column {exc.colno})")
            continue
        errs = check_line(raw, batch=path.stem)
        if isinstance(raw, dict) and raw.get("id") in seen:
            errs.append(f"id {raw['id']!r} used twice")
        problems.extend(f"{path.name}:{n}: {e}" for e in errs)
        if errs:
            continue
        seen.add(raw["id"])
        items.append(
            GoldText(
                id=str(raw["id"]),
                batch=str(raw["batch"]),
                text=raw["text"],
                published=raw.get("published"),
                entities=list(raw.get("entities") or []),
                facts=list(raw["facts"]),
            )
        )
    if problems:
        raise NewsGoldError("\n".join(problems))
    return items


def load(data: str | Path | None = None, batch: str | None = None) -> dict[str, list[GoldText]]:
    """Batch name → its texts, every file checked first."""
    out, problems = {}, []
    for path in batch_files(data, batch):
        try:
            out[path.stem] = load_batch(path)
        except NewsGoldError as exc:
            problems.append(str(exc))
    if problems:
        raise NewsGoldError("\n".join(problems))
    return out
