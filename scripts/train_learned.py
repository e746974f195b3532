"""Train the learned extraction models on NEREL train, choose them on NEREL dev.

    .venv/bin/python scripts/train_learned.py --nerel ../shared/data/nerel-1.1 \\
        --out src/newsfacts/data/models

Writes three models, each a readable JSON file scored in pure Python at run time:

- `post_event_tagger.json` (`multiclass`): O / B-POST / I-POST / B-EVENT / I-EVENT per
  token, features from `extract/learned/tagger.py` (words, morphology, syntax, and the
  rules' post chunks and trigger words);
- `occupation_places.json` (`linear`): does this ORG/LOC mention name the post's
  workplace (NEREL WORKPLACE)? features from `extract/learned/places.py`, the rules'
  own choice among them;
- `event_participants.json` (`linear`): did this person/organisation/place take part
  in this event (PARTICIPANT_IN or AGENT)? `extract/learned/events.py`, the meeting,
  deal and agreement rules' participants among the features.

For each, a small grid of C is fitted on train and the best by a dev measure is kept
(span F1 for the tagger, average precision for the pair models); the dev figures are
printed next to the rules' own (the baseline). Deterministic: sorted documents, the
lbfgs solver, fixed random_state; two runs write identical files. The candidates and
features are cached under --cache (a second run only refits). The test split is never
read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learned_data import extract_split  # noqa: E402

TAG_CS = (0.1, 0.3, 1.0)
PAIR_CS = (0.03, 0.1, 0.3, 1.0)
TAG_MAX_BYTES = 2_500_000
PAIR_MAX_BYTES = 300_000


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    from newsfacts.extract.learned.tagger import decode

    return set(decode(tags))


def span_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Exact and overlap span P/R/F1 per label, sentence by sentence."""
    out: dict[str, dict[str, float]] = {}
    for label in ("POST", "EVENT"):
        g_n = p_n = exact = g_hit = p_hit = 0
        for g, p in zip(gold, pred, strict=True):
            gs = {s for s in _spans(g) if s[2] == label}
            ps = {s for s in _spans(p) if s[2] == label}
            g_n += len(gs)
            p_n += len(ps)
            exact += len(gs & ps)
            g_hit += sum(1 for a in gs if any(a[0] <= b[1] and b[0] <= a[1] for b in ps))
            p_hit += sum(1 for b in ps if any(a[0] <= b[1] and b[0] <= a[1] for a in gs))
        pe, re_ = exact / max(1, p_n), exact / max(1, g_n)
        po, ro = p_hit / max(1, p_n), g_hit / max(1, g_n)
        out[label] = {
            "gold": g_n,
            "pred": p_n,
            "exact_p": round(pe, 4),
            "exact_r": round(re_, 4),
            "exact_f1": round(2 * pe * re_ / max(1e-9, pe + re_), 4),
            "overlap_p": round(po, 4),
            "overlap_r": round(ro, 4),
            "overlap_f1": round(2 * po * ro / max(1e-9, po + ro), 4),
        }
    return out


def rule_tags(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The rules as a tagger: their post chunks, their meeting/deal trigger words."""
    out = []
    for r in rows:
        tags = []
        for feats in r["x"]:
            mark = next(f[5:] for f in feats if f.startswith("rule=") and "&" not in f)
            tags.append(
                {
                    "PB": "B-POST",
                    "PH": "I-POST",
                    "PI": "I-POST",
                    "MEET": "B-EVENT",
                    "DEAL": "B-EVENT",
                }.get(mark, "O")
            )
        # a chunk whose head opens it: B, not I
        for k, feats in enumerate(r["x"]):
            if "rule=PH" in feats and (k == 0 or tags[k - 1] == "O"):
                tags[k] = "B-POST"
        out.append(tags)
    return out


def _vectorize(train_x: list[dict], dev_x: list[dict]) -> tuple[Any, Any, Any]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sparse=True, sort=True)
    xt = vec.fit_transform(train_x)
    xd = vec.transform(dev_x)
    for x in (xt, xd):
        x.indices = x.indices.astype(np.int32)
        x.indptr = x.indptr.astype(np.int32)
    return vec, xt, xd


def train_tagger(train: list, dev: list, out: Path) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from newsfacts.extract.learned.multiclass import MulticlassModel

    tr = [s for d in train for s in d["tags"]]
    dv = [s for d in dev for s in d["tags"]]
    xs = [{f: 1.0 for f in fs} for s in tr for fs in s["x"]]
    ys = [t for s in tr for t in s["y"]]
    vec, xt, xd = _vectorize(xs, [{f: 1.0 for f in fs} for s in dv for fs in s["x"]])
    gold = [s["y"] for s in dv]
    base = span_scores(gold, rule_tags(dv))
    print(f"tagger: train {len(ys)} tokens, dev {xd.shape[0]}; rules as tagger on dev: {base}")
    best: tuple[float, float, Any, dict] | None = None
    for c in TAG_CS:
        clf = LogisticRegression(C=c, max_iter=300, random_state=0)
        clf.fit(xt, ys)
        flat = list(clf.predict(xd))
        pred, k = [], 0
        for s in gold:
            pred.append(flat[k : k + len(s)])
            k += len(s)
        sc = span_scores(gold, pred)
        f = (sc["POST"]["overlap_f1"] + sc["EVENT"]["overlap_f1"]) / 2
        print(f"  C={c}: {sc}")
        if best is None or f > best[0]:
            best = (f, c, clf, sc)
    assert best is not None
    _, c, clf, sc = best
    names = vec.get_feature_names_out()
    classes = [str(x) for x in clf.classes_]
    coef = np.asarray(clf.coef_)
    for prune in (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3):
        keep = np.abs(coef).max(axis=0) >= prune
        weights = {
            str(n): [round(float(v), 3) for v in coef[:, j]] for j, n in enumerate(names) if keep[j]
        }
        model = MulticlassModel(classes, weights, [round(float(v), 4) for v in clf.intercept_])
        if len(model.dumps().encode()) <= TAG_MAX_BYTES:
            break
    # score the pruned, shipped model itself
    pred = [[model.predict(fs) for fs in s["x"]] for s in dv]
    shipped = span_scores(gold, pred)
    print(
        f"tagger chosen C={c}, pruned below {prune}: {len(weights)} of {len(names)}; dev {shipped}"
    )
    model = MulticlassModel(
        classes,
        weights,
        model.intercepts,
        meta={
            "task": "post (PROFESSION) and event (EVENT) mention tagger, BIO per token",
            "trained_on": "NEREL 1.1 train",
            "chosen_on": "NEREL 1.1 dev, mean overlap span F1 of POST and EVENT",
            "C": c,
            "pruned_below": prune,
            "dev": shipped,
            "dev_rules_as_tagger": base,
            "script": "scripts/train_learned.py",
        },
    )
    model.save(out / "post_event_tagger.json")
    return {"dev": shipped, "rules": base}


def pair_scores(y: Any, p: Any, threshold: float) -> dict[str, float]:
    tp = int(((p >= threshold) & (y == 1)).sum())
    fp = int(((p >= threshold) & (y == 0)).sum())
    fn = int(((p < threshold) & (y == 1)).sum())
    pr, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"p": round(pr, 4), "r": round(rc, 4), "f1": round(2 * pr * rc / max(1e-9, pr + rc), 4)}


def train_pairs(
    name: str, key: str, train: list, dev: list, out: Path, task: str
) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    from newsfacts.extract.learned.linear import LinearModel

    tr = [r for d in train for r in d[key]]
    dv = [r for d in dev for r in d[key]]
    ys = np.array([r["y"] for r in tr], dtype=int)
    yd = np.array([r["y"] for r in dv], dtype=int)
    vec, xt, xd = _vectorize([r["x"] for r in tr], [r["x"] for r in dv])
    rule = np.array([r["rule"] for r in dv], dtype=float)
    base = pair_scores(yd, rule, 0.5)
    print(
        f"{name}: train {len(ys)} pairs ({ys.sum()} positive), dev {len(yd)} ({yd.sum()}); "
        f"rules on dev: {base}"
    )
    best: tuple[float, float, Any] | None = None
    for c in PAIR_CS:
        clf = LogisticRegression(C=c, max_iter=3000, random_state=0)
        clf.fit(xt, ys)
        ap = average_precision_score(yd, clf.predict_proba(xd)[:, 1])
        print(f"  C={c}: dev AP {ap:.4f}")
        if best is None or ap > best[0]:
            best = (ap, c, clf)
    assert best is not None
    ap, c, clf = best
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    intercept = round(float(clf.intercept_[0]), 5)
    for prune in (1e-3, 0.01, 0.02, 0.03, 0.05, 0.1):
        weights = {
            str(n): round(float(w), 3) for n, w in zip(names, coef, strict=True) if abs(w) >= prune
        }
        if len(LinearModel(weights, intercept).dumps().encode()) <= PAIR_MAX_BYTES:
            break
    pruned = LinearModel(weights, intercept)
    pd = np.array([pruned.probability(r["x"]) for r in dv])
    ap_p = average_precision_score(yd, pd)
    sweep = {t / 100: pair_scores(yd, pd, t / 100) for t in range(20, 85, 5)}
    t_best = max(sweep, key=lambda t: (sweep[t]["f1"], t))
    print(
        f"{name} chosen C={c}, pruned below {prune}: {len(weights)} of {len(names)}, "
        f"dev AP {ap_p:.4f}; best-F1 threshold {t_best}: {sweep[t_best]}"
    )
    by_kind = {}
    for kind in sorted({r.get("kind", "all") for r in dv}):
        mask = np.array([r.get("kind", "all") == kind for r in dv])
        by_kind[kind] = {
            "pairs": int(mask.sum()),
            "positive": int(yd[mask].sum()),
            "rules": pair_scores(yd[mask], rule[mask], 0.5),
            "model": pair_scores(yd[mask], pd[mask], t_best),
        }
    if len(by_kind) > 1:
        print(f"  by event kind: {by_kind}")
    model = LinearModel(
        weights=weights,
        intercept=intercept,
        threshold=t_best,
        meta={
            "task": task,
            "trained_on": "NEREL 1.1 train",
            "chosen_on": "NEREL 1.1 dev: C by average precision, threshold by pair F1",
            "C": c,
            "pruned_below": prune,
            "dev_average_precision": round(float(ap_p), 4),
            "dev_pairs": sweep[t_best],
            "dev_rules": base,
            "dev_by_kind": by_kind,
            "script": "scripts/train_learned.py",
        },
    )
    model.save(out / f"{name}.json")
    return {"ap": ap_p, "threshold": t_best, "dev": sweep[t_best], "rules": base}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nerel", type=Path, default=Path("../shared/data/nerel-1.1"))
    ap.add_argument("--out", type=Path, default=Path("src/newsfacts/data/models"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/learn_cache"))
    ap.add_argument("--limit", type=int, help="only the first N documents per split")
    ap.add_argument("--only", choices=("tagger", "places", "events"), action="append")
    args = ap.parse_args()
    for split in ("train", "dev"):
        if not (args.nerel / split).is_dir():
            print(f"error: {args.nerel / split}: not a directory", file=sys.stderr)
            return 1
    sfx = f"-{args.limit}" if args.limit else ""
    train = extract_split(args.nerel / "train", args.cache / f"train{sfx}.json.gz", args.limit)
    dev = extract_split(args.nerel / "dev", args.cache / f"dev{sfx}.json.gz", args.limit)
    print(f"NEREL train {len(train)} docs, dev {len(dev)} docs")
    args.out.mkdir(parents=True, exist_ok=True)
    only = set(args.only or ("tagger", "places", "events"))
    if "places" in only:
        train_pairs(
            "occupation_places",
            "places",
            train,
            dev,
            args.out,
            "post workplace: is this ORG/LOC mention the post's place (NEREL WORKPLACE)?",
        )
    if "events" in only:
        train_pairs(
            "event_participants",
            "events",
            train,
            dev,
            args.out,
            "participant: did this mention take part in this event (PARTICIPANT_IN/AGENT)?",
        )
    if "tagger" in only:
        train_tagger(train, dev, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
