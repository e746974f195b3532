"""Choose the place classifier's cut-offs (add, swap, keep) on NEREL dev.

    .venv/bin/python scripts/select_place_cuts.py --data ../shared/data/nerel-1.1/dev \\
        --model src/newsfacts/data/models/occupation_places.json --write

Runs the full extractor over NEREL dev once per setting (rules only, then each
(add, swap, keep) of the grid) and scores WORKS_AS and WORKPLACE with overlapping
arguments exactly as `newsfacts eval nerel` does. The best setting by the sum of the
two F1s, among those whose WORKPLACE precision is at least the rules', is written
into the model file with --write. NEREL dev is then no longer blind for this model.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

GRID = [
    {"add": 0.5, "doc": 1.0, "swap": 1.0, "keep": 0.0},
    {"add": 0.65, "doc": 1.0, "swap": 1.0, "keep": 0.0},
    {"add": 0.65, "doc": 0.65, "swap": 1.0, "keep": 0.0},
    {"add": 0.8, "doc": 1.0, "swap": 1.0, "keep": 0.0},
    {"add": 0.65, "doc": 1.0, "swap": 0.8, "keep": 0.3},
]


def run(data: Path, model: object | None, limit: int | None) -> dict[str, float]:
    from newsfacts.eval.nerel import RELATION_TYPES, read_ann, score_relations
    from newsfacts.eval.nerel import predictions as preds
    from newsfacts.extract.learned import place_choice
    from newsfacts.model import Article
    from newsfacts.pipeline import default_pipeline

    getattr(place_choice.place_model, "cache_clear", lambda: None)()
    if model is None:
        place_choice.place_model = lambda: None  # type: ignore[assignment]
    else:
        place_choice.place_model = lambda: model  # type: ignore[assignment]
    pipe = default_pipeline()
    tot: dict[str, list[int]] = {}
    for txt in sorted(data.glob("*.txt"))[:limit]:
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        gold = read_ann(txt.with_suffix(".ann"))
        pred = preds(pipe.make_doc(Article(id=txt.stem, text=text)))
        sc = score_relations(gold.relations, pred.relations, RELATION_TYPES, relaxed=True)
        for t, s in sc.items():
            row = tot.setdefault(t, [0, 0, 0])
            row[0] += int(s.tp_gold)
            row[1] += int(s.n_gold)
            row[2] += int(s.n_pred)
    out = {}
    for t in ("WORKS_AS", "WORKPLACE"):
        tp, g, p = tot[t]
        pr, rc = tp / max(1, p), tp / max(1, g)
        out[t] = {
            "p": round(pr, 4),
            "r": round(rc, 4),
            "f1": round(2 * pr * rc / max(1e-9, pr + rc), 4),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--cuts", action="append", help="a JSON setting to try instead of the grid")
    args = ap.parse_args()
    from newsfacts.extract.learned import linear

    base_model = linear.load(args.model)
    only = [json.loads(c) for c in args.cuts] if args.cuts else GRID
    base = run(args.data, None, args.limit)
    print(f"rules only: {base}", flush=True)
    rows = []
    for cuts in only:
        m = dataclasses.replace(base_model, thresholds=cuts)
        sc = run(args.data, m, args.limit)
        rows.append((cuts, sc))
        print(f"{cuts}: {sc}", flush=True)
    ok = [r for r in rows if r[1]["WORKPLACE"]["p"] >= base["WORKPLACE"]["p"]] or rows
    cuts, sc = max(ok, key=lambda r: r[1]["WORKS_AS"]["f1"] + r[1]["WORKPLACE"]["f1"])
    print(f"chosen {cuts}: {sc}")
    if args.write:
        data = json.loads(args.model.read_text(encoding="utf-8"))
        data["thresholds"] = cuts
        data["meta"]["cuts_from"] = "NEREL 1.1 dev, scripts/select_place_cuts.py"
        data["meta"]["dev_rules_only"] = base
        data["meta"]["dev_with_places"] = sc
        model = linear.LinearModel.from_dict(data)
        model.save(args.model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
