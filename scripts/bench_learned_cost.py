"""What the learned places and post tagger add to extraction time, next to natasha NER.

    .venv/bin/python scripts/bench_learned_cost.py [--data ../shared/data/factrueval-2016/devset]

On a shared machine whole-pipeline timings swing with the load; timing natasha's NER
and the occupation component (main's learned pass vs. places + tagger) interleaved in
one process, median of 3, gives their ratio, from which the full-extraction
throughput ratio of `newsfacts bench` (0.48 idle before this work) is projected.
"""

import statistics
import sys
import time
import warnings
from pathlib import Path

from natasha import Doc as NDoc

from newsfacts.extract import occupation as occ
from newsfacts.model import Article
from newsfacts.nlp.natasha_pipe import models
from newsfacts.pipeline import Pipeline

warnings.simplefilter("ignore")


DATA = (
    sys.argv[sys.argv.index("--data") + 1]
    if "--data" in sys.argv
    else "../shared/data/factrueval-2016/devset"
)
files = sorted(Path(DATA).glob("*.txt"))
texts = [f.read_text(encoding="utf-8") for f in files]
pipe = Pipeline(["natasha", "entities", "coref", "dates"])
docs = [pipe.make_doc(Article(id=str(i), text=t)) for i, t in enumerate(texts)]
m = models()


def nat():
    for t in texts:
        d = NDoc(t)
        d.segment(m.segmenter)
        d.tag_ner(m.ner_tagger)


def occ_run(tagger, learned):
    occ.USE_TAGGER = tagger  # the learned switches (off as shipped)
    occ.USE_PLACES = tagger
    for d in docs:
        occ.extract_occupations(d, learned=learned)


occ_run(True, True)
occ_run(False, True)
nat()
res = {"natasha": [], "rules": [], "pairs": [], "pairs+places+tagger": []}
for _ in range(3):
    for name, fn in (
        ("natasha", nat),
        ("rules", lambda: occ_run(False, False)),
        ("pairs", lambda: occ_run(False, True)),  # main's learned pass
        ("pairs+places+tagger", lambda: occ_run(True, True)),
    ):
        t0 = time.perf_counter()
        fn()
        res[name].append(time.perf_counter() - t0)
med = {k: statistics.median(v) for k, v in res.items()}
print({k: round(v, 3) for k, v in med.items()})
d = med["pairs+places+tagger"] - med["pairs"]
print(
    f"added by places+tagger: {d:.3f} s over {len(docs)} docs = {d / med['natasha']:.3f} of natasha NER time"
)
for base_ratio in (0.48,):
    new = 1 / (1 / base_ratio + d / med["natasha"])
    print(f"throughput ratio {base_ratio} -> {new:.3f}")
