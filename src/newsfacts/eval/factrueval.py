"""`newsfacts eval factrueval`: FactRuEval-2016 responses and our own comparator.

Why the pipeline sees the raw file: the devset layers count characters of
`book_N.txt` as it is, while our cleaner may strip, re-join or repair text. For
evaluation the pipeline therefore runs on an `Article` built directly from the file's
text (read as UTF-8 with newlines untouched, no cleaning, no repairs), so every offset
we write is an offset into the original file.

The scorer re-implements the published rules of the official comparator
(github.com/dialogue-evaluation/factRuEval-2016, `scripts/`), written here from its
description, not copied:

- Track 1 (mentions). Mentions are compared as sets of gold tokens; punctuation glued
  to a neighbour is ignored. A pair's quality is weighted: only the name-bearing spans
  of a gold mention (`name`, `surname`, `loc_name`, `org_name`, ...) earn credit;
  missing descriptor tokens cost nothing, extra response tokens cost one each. Gold
  mentions with no name span, organisations nested inside a larger organisation, and
  one of two organisation/LocOrg mentions on the same tokens are ignored (a response
  matched to an ignored gold mention is neither rewarded nor punished). Matching is
  one-to-one per type, perfect matches first, then the assignment that maximises the
  summed pair quality (the official script searches exhaustively for the best F1;
  the two agree whenever mentions do not compete, which is nearly always).
- Track 2 (entities). Gold entities come from `.coref` with their attributes; names
  also accept "descriptor + name" variants. Attribute values match when their edit
  distance is at most 2 after lower-casing and unifying quotes and ё. Pair quality is
  matched gold attributes / (matched + missed + extra). Entities named only inside
  another mention or only by a geographic adjective are not required. `lastname` in
  the gold and
  `surname` in responses are the same attribute; numbered names (`firstname1`) merge
  with their base name.
- Track 3 (facts). A response fact may pair with a gold fact of the same type sharing
  at least one argument value; several response facts may share one gold fact. A
  cluster scores (A + A·I) / 2, A the argument overlap, I the share of gold argument
  pairs found within one response fact. Recall sums cluster quality over gold facts,
  precision over response facts. Entity-valued gold arguments accept every name form
  of the entity (surname/first name combinations, `name` attributes, mention texts,
  and for occupation `where` the names of entities linked by `isPartOf`). The
  official list of normalized job titles is not reproduced. Modality and difficulty
  marks are dropped; all gold facts are scored (the "easy" setting).
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.eval import folds
from newsfacts.eval.metrics import (
    DOC_TIMEOUT,
    Score,
    add_doc_timeout,
    add_into,
    format_table,
    levenshtein,
    time_limit,
)

TRACK1_TAGS = ("per", "loc", "org", "locorg")
TRACK2_TAGS = ("per", "loc", "org")
FACT_TAGS = ("occupation", "meeting", "deal", "ownership")
OBJECT_TAGS = {
    "Person": "per",
    "Org": "org",
    "Organization": "org",
    "Location": "loc",
    "LocOrg": "locorg",
}

# Which span types carry the name of a mention of each type (official weight table).
NAME_SPANS = {
    "per": {"name", "surname", "patronymic", "nickname", "none"},
    "loc": {"loc_name", "org_name", "none"},
    "org": {"loc_name", "org_name", "none"},
    "locorg": {"loc_name", "org_name", "none"},
}
# Mentions of which types an org/locorg mention may be nested in (and then ignored).
PARENT_TAGS = {"org": {"org", "locorg"}, "locorg": {"org", "locorg"}}
SPECIAL_ARGS = {"сложность", "модальность"}
MAX_FACT_SEARCH = 20000  # response-to-gold assignments tried exhaustively per type


class FactRuEvalError(Exception):
    """A folder or file the command cannot use: reported as one line."""


# ---------------------------------------------------------------------------- text


def norm(text: str) -> str:
    """Comparison form: case, quote style and ё/е do not matter."""
    out = text.lower().strip(" \r\n\t")
    for q in "«»“”„":
        out = out.replace(q, '"')
    for q in "’`":
        out = out.replace(q, "'")
    return out.replace("ё", "е")


def similar(a: str, b: str) -> bool:
    return levenshtein(a, b, limit=2) <= 2


def read_text(path: Path) -> str:
    """The file exactly as the gold offsets count it: UTF-8, newlines untouched."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def book_files(data_dir: Path) -> list[Path]:
    def number(p: Path) -> tuple[int, str]:
        m = re.search(r"(\d+)$", p.stem)
        return (int(m.group(1)) if m else 10**9, p.name)

    return sorted(data_dir.glob("book_*.txt"), key=number)


# ---------------------------------------------------------------------------- gold layers


@dataclass(frozen=True)
class Token:
    id: str
    start: int
    end: int  # exclusive
    text: str
    glued_punct: bool = False  # one non-letter char touching a neighbour: ignored


@dataclass
class GoldSpan:
    id: str
    tag: str
    start: int
    end: int
    tokens: list[str]
    text: str


@dataclass
class GoldMention:
    id: str
    tag: str  # per | loc | org | locorg | other
    spans: list[GoldSpan]
    tokens: frozenset[str] = frozenset()

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)

    def is_geo_adj(self) -> bool:
        return all(s.tag == "geo_adj" for s in self.spans)


@dataclass
class GoldEntity:
    id: str
    tag: str | None  # per | loc | org; None when untyped (projects, facilities)
    attrs: dict[str, set[str]]
    mentions: list[GoldMention]


@dataclass
class GoldArg:
    name: str
    values: set[str]


@dataclass
class GoldFact:
    id: str
    tag: str
    args: list[GoldArg]
    refs: list[list[str]] = field(default_factory=list)  # entity ids behind each arg


@dataclass
class GoldDoc:
    name: str
    text: str
    tokens: list[Token] = field(default_factory=list)
    spans: dict[str, list[GoldSpan]] = field(default_factory=dict)
    mentions: list[GoldMention] = field(default_factory=list)
    entities: list[GoldEntity] | None = None  # None: no .coref layer
    facts: list[GoldFact] | None = None  # None: no .facts layer
    part_of: dict[str, set[str]] = field(default_factory=dict)


def _is_letter(ch: str) -> bool:
    return ch.lower() != ch.upper()


def load_tokens(path: Path) -> list[Token]:
    raw: list[tuple[str, int, int, str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 4:
            raise FactRuEvalError(f"{path}:{n}: expected 'ID START LENGTH TEXT'")
        raw.append((parts[0], int(parts[1]), int(parts[2]), parts[3]))
    raw.sort(key=lambda t: t[1])
    tokens = []
    for i, (tid, start, length, text) in enumerate(raw):
        end = start + length
        glued = False
        if length == 1 and not _is_letter(text):
            glued = (i > 0 and raw[i - 1][1] + raw[i - 1][2] == start) or (
                i + 1 < len(raw) and raw[i + 1][1] == end
            )
        tokens.append(Token(tid, start, end, text, glued))
    return tokens


def load_spans(path: Path) -> dict[str, list[GoldSpan]]:
    spans: dict[str, list[GoldSpan]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        left, _, right = line.partition("#")
        lp, rp = left.split(), right.split()
        if len(lp) < 6:
            raise FactRuEvalError(f"{path}:{n}: expected 'ID TYPE START LENGTH TOKEN NTOKENS'")
        ntok = int(lp[5])
        token_ids = rp[:ntok]
        start, length = int(lp[2]), int(lp[3])
        span = GoldSpan(lp[0], lp[1], start, start + length, token_ids, " ".join(rp[ntok:]))
        spans.setdefault(span.id, []).append(span)
    return spans


def load_mentions(path: Path, spans: dict[str, list[GoldSpan]]) -> list[GoldMention]:
    mentions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.partition("#")[0].split()
        if not parts:
            continue
        if len(parts) < 3:
            raise FactRuEvalError(f"{path}:{n}: expected 'ID TYPE SPAN...'")
        mspans = [s for sid in parts[2:] for s in spans.get(sid, [])]
        if not mspans:
            continue
        tokens = frozenset(t for s in mspans for t in s.tokens)
        mentions.append(GoldMention(parts[0], OBJECT_TAGS.get(parts[1], "other"), mspans, tokens))
    return mentions


def _blocks(path: Path) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.strip())
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _attr_name(raw: str) -> str:
    name = raw.strip().lower().rstrip("0123456789")
    return "surname" if name == "lastname" else name


def load_entities(path: Path, mentions: list[GoldMention]) -> list[GoldEntity]:
    by_id = {m.id: m for m in mentions}
    entities = []
    for block in _blocks(path):
        ids = block[0].split()
        ments = [by_id[i] for i in ids[1:] if i in by_id]
        raw: dict[str, set[str]] = {}
        descr: set[str] = set()
        for line in block[1:]:
            key, _, value = line.partition(" ")
            name, value = _attr_name(key), norm(value)
            if not value or name == "wikidata":
                continue
            if name in ("descriptor", "descr"):
                descr.add(value)
            else:
                raw.setdefault(name, set()).add(value)
        attrs = {}
        for name, values in raw.items():
            alts = set(values)
            for v in values:
                for d in descr:
                    if f" {d} " not in f" {v} ":
                        alts.update((f"{v} {d}", f"{d} {v}"))
            attrs[name] = alts
        tags = {m.tag for m in ments} - {"other"}
        if "loc" in tags or "locorg" in tags:
            tag: str | None = "loc"
        elif len(tags) == 1:
            tag = tags.pop()
        else:
            tag = None
        entities.append(GoldEntity(ids[0], tag, attrs, ments))
    return entities


def _person_forms(attrs: dict[str, set[str]]) -> set[str]:
    """Every name order a person may be written in (the official combinations)."""
    f = attrs.get("firstname", set())
    s = attrs.get("surname", set())
    p = attrs.get("patronymic", set())
    n = attrs.get("nickname", set())
    forms: set[str] = set()
    for combo in ((s, f, p), (f, p, s), (f, p), (f, s), (s, f), (n,), (f,), (p,), (s,), (f, n)):
        if all(combo):
            forms.update(" ".join(parts) for parts in itertools.product(*combo))
    return forms


def _entity_values(entity: GoldEntity | None, text: str) -> set[str]:
    if entity is None:
        return set()
    values: set[str] = set()
    if entity.tag == "per":
        values |= _person_forms(entity.attrs)
    else:
        values |= entity.attrs.get("name", set())
    for m in entity.mentions:
        values.add(norm(" ".join(s.text for s in m.spans)))
        values.add(norm(text[m.start : m.end]))
    return values


def load_facts(path: Path, doc: GoldDoc) -> tuple[list[GoldFact], dict[str, set[str]]]:
    ents = {e.id: e for e in doc.entities or []}
    facts: list[GoldFact] = []
    part_of: dict[str, set[str]] = {}
    for block in _blocks(path):
        head = block[0].split()
        if len(head) < 2:
            continue
        tag = head[1].lower()
        args: list[GoldArg] = []
        refs_by_arg: list[list[str]] = []
        for line in block[1:]:
            key, _, rest = line.partition(" ")
            name = key.lower()
            name = "position" if name == "job" else name
            if name in SPECIAL_ARGS:
                continue
            values: set[str] = set()
            refs: list[str] = []
            for alt in rest.split("|"):
                alt = alt.strip()
                m = re.match(r"(obj|span)(\d+)\s*(.*)$", alt)
                if m and m.group(1) == "obj":
                    refs.append(m.group(2))
                    values |= _entity_values(ents.get(m.group(2)), doc.text)
                    alt = m.group(3)
                elif m:
                    alt = m.group(3)
                if alt:
                    values.add(norm(alt))
            args.append(GoldArg(name, {v for v in values if v}))
            refs_by_arg.append(refs)
        if tag == "ispartof":
            refs = [r for rs in refs_by_arg for r in rs]
            for a, b in itertools.permutations(refs, 2):
                part_of.setdefault(a, set()).add(b)
            continue
        facts.append(GoldFact(head[0], tag, args, refs_by_arg))
    # An occupation's workplace also matches the whole it is part of.
    for fact in facts:
        if fact.tag != "occupation":
            continue
        for arg, refs in zip(fact.args, fact.refs, strict=True):
            if arg.name == "where":
                for r in refs:
                    for other in part_of.get(r, ()):
                        arg.values |= _entity_values(ents.get(other), doc.text)
    return facts, part_of


def load_gold(data_dir: Path, name: str, text: str) -> GoldDoc | None:
    """The gold layers of one book, or None when the folder has none for it."""
    base = data_dir / name
    if not (base.with_suffix(".tokens").exists() and base.with_suffix(".objects").exists()):
        return None
    doc = GoldDoc(name, text)
    doc.tokens = load_tokens(base.with_suffix(".tokens"))
    doc.spans = load_spans(base.with_suffix(".spans"))
    doc.mentions = load_mentions(base.with_suffix(".objects"), doc.spans)
    if base.with_suffix(".coref").exists():
        doc.entities = load_entities(base.with_suffix(".coref"), doc.mentions)
    if base.with_suffix(".facts").exists():
        doc.facts, doc.part_of = load_facts(base.with_suffix(".facts"), doc)
    return doc


# ---------------------------------------------------------------------------- responses


@dataclass
class RespEntity:
    tag: str
    attrs: list[tuple[str, str]]


@dataclass
class RespFact:
    tag: str
    args: list[tuple[str, str]]


def write_task1(path: Path, mentions: Iterable[tuple[str, int, int]]) -> None:
    """`TAG START LENGTH` per mention, START/LENGTH in characters of book_N.txt."""
    lines = [
        f"{tag} {start} {end - start}"
        for tag, start, end in sorted(set(mentions), key=lambda m: (m[1], m[2], m[0]))
        if end > start
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _clean_value(value: str) -> str:
    # A newline or a second colon would break the `key : value` block format.
    return re.sub(r"\s+", " ", value.replace(":", " ")).strip()


def write_blocks(path: Path, blocks: Iterable[tuple[str, list[tuple[str, str]]]]) -> None:
    out = []
    for head, pairs in blocks:
        lines = [head] + [f"{k} : {_clean_value(v)}" for k, v in pairs if _clean_value(v)]
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + ("\n" if out else ""), encoding="utf-8")


def read_task1(path: Path) -> list[tuple[str, int, int]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or parts[0].lower() not in TRACK1_TAGS:
            raise FactRuEvalError(f"{path}:{n}: expected 'per|loc|org|locorg START LENGTH'")
        start, length = int(parts[1]), int(parts[2])
        out.append((parts[0].lower(), start, start + length))
    return out


def read_blocks(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for block in _blocks(path):
        pairs = []
        for line in block[1:]:
            key, sep, value = line.partition(":")
            if sep:
                pairs.append((key.strip().lower(), norm(value)))
        out.append((block[0].strip(" :").lower(), pairs))
    return out


# ---------------------------------------------------------------------------- track 1


@dataclass(eq=False)
class _T1Gold:
    tag: str
    tokens: frozenset[str]
    marks: dict[str, float]
    punct: frozenset[str]
    parents: bool = False
    siblings: list[_T1Gold] = field(default_factory=list)

    @property
    def unnamed(self) -> bool:
        return not any(self.marks.values())


def _t1_gold(doc: GoldDoc, locorg: bool) -> list[_T1Gold]:
    punct = frozenset(t.id for t in doc.tokens if len(t.text) == 1 and not _is_letter(t.text))
    out = []
    for m in doc.mentions:
        if m.tag not in TRACK1_TAGS:
            continue
        tag = m.tag if locorg or m.tag != "locorg" else "loc"
        marks = dict.fromkeys(m.tokens, 0.0)
        for s in m.spans:
            if s.tag in NAME_SPANS[tag]:
                for t in s.tokens:
                    marks[t] = 1.0
        out.append(_T1Gold(tag, m.tokens, marks, punct & m.tokens))
    orgs = [g for g in out if g.tag in PARENT_TAGS]
    for g in orgs:
        for other in orgs:
            if other is g or other.tag not in PARENT_TAGS[g.tag]:
                continue
            if g.tokens < other.tokens:
                g.parents = True
            elif g.tokens == other.tokens:
                g.siblings.append(other)
    return out


def _t1_pred(doc: GoldDoc, mentions: Iterable[tuple[str, int, int]], locorg: bool):
    out = []
    for tag, start, end in mentions:
        tag = tag if locorg or tag != "locorg" else "loc"
        toks = frozenset(
            t.id for t in doc.tokens if t.start >= start and t.end <= end and not t.glued_punct
        )
        out.append((tag, toks))
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _t1_quality(g: _T1Gold, p: frozenset[str]) -> float:
    tp = sum(g.marks[t] for t in g.tokens & p)
    fn = sum(g.marks[t] for t in g.tokens - p if t not in g.punct)
    fp = len(p - g.tokens)
    total = tp + fn + fp
    return tp / total if total else _jaccard(g.tokens, p)


def best_matching(priority: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """One-to-one pairs: perfect (1.0) pairs first, then max total priority among the rest."""
    from scipy.optimize import linear_sum_assignment

    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for i, row in enumerate(priority):
        for j, v in enumerate(row):
            if v >= 1.0 and i not in used_g and j not in used_p:
                pairs.append((i, j))
                used_g.add(i)
                used_p.add(j)
    rest_g = [i for i in range(len(priority)) if i not in used_g]
    rest_p = [j for j in range(len(priority[0]) if priority else 0) if j not in used_p]
    if rest_g and rest_p:
        cost = [[-priority[i][j] for j in rest_p] for i in rest_g]
        for a, b in zip(*linear_sum_assignment(cost), strict=True):
            i, j = rest_g[a], rest_p[b]
            if priority[i][j] > 0:
                pairs.append((i, j))
    return pairs


def score_track1(
    doc: GoldDoc, mentions: Iterable[tuple[str, int, int]], *, locorg: bool = True
) -> dict[str, Score]:
    """Per-type and overall scores of one document's response mentions."""
    gold = _t1_gold(doc, locorg)
    pred = _t1_pred(doc, mentions, locorg)
    tags = TRACK1_TAGS if locorg else ("per", "loc", "org")
    matched: dict[int, int] = {}  # id(gold) -> pred index
    pairs: list[tuple[_T1Gold, int]] = []
    for tag in tags:
        gi = [g for g in gold if g.tag == tag]
        pi = [j for j, (t, _) in enumerate(pred) if t == tag]
        prio = [[_jaccard(g.tokens, pred[j][1]) for j in pi] for g in gi]
        for a, b in best_matching(prio):
            pairs.append((gi[a], pi[b]))
            matched[id(gi[a])] = pi[b]

    decided: set[int] = set()

    def ignored(g: _T1Gold) -> bool:
        if g.unnamed or g.parents:
            return True
        for sib in g.siblings:
            both_or_neither = (id(g) in matched) == (id(sib) in matched)
            if not both_or_neither:
                return id(g) not in matched
            if sib.tag == g.tag:  # keep the first of two identical mentions
                if id(sib) in decided:
                    return True
                decided.add(id(g))
                return False
            return g.tag != "org"
        return False

    ign = {id(g): ignored(g) for g in gold}
    out = {tag: Score() for tag in tags}
    matched_pred = set()
    for g, j in pairs:
        matched_pred.add(j)
        if ign[id(g)]:
            continue
        q = _t1_quality(g, pred[j][1])
        out[g.tag] += Score.simple(q, 1, 1)
    for g in gold:
        if id(g) not in matched and not ign[id(g)]:
            out[g.tag] += Score.simple(0, 1, 0)
    for j, (tag, _) in enumerate(pred):
        if j not in matched_pred:
            out[tag] += Score.simple(0, 0, 1)
    out["overall"] = sum(out.values(), Score())
    return out


# ---------------------------------------------------------------------------- track 2


def _attr_quality(gold: dict[str, set[str]], resp: list[tuple[str, str]]) -> float:
    matched_g: set[str] = set()
    extra = 0
    for name, value in resp:
        hit = [n for n, vals in gold.items() if n == name and any(similar(v, value) for v in vals)]
        if hit:
            matched_g.update(hit)
        else:
            extra += 1
    n = len(matched_g)
    d = n + (len(gold) - n) + extra
    return n / d if d else 0.0


# Track 2: a mention of which type may sit inside a mention of which types.
MENTION_PARENTS = {
    "per": {"loc", "org", "locorg"},
    "loc": {"loc", "org", "locorg"},
    "org": {"org", "locorg"},
    "locorg": {"org", "locorg"},
}


def _is_nested(m: GoldMention, mentions: list[GoldMention]) -> bool:
    """Inside a larger mention ("Москвы" in "мэрии Москвы"); an organisation also
    takes precedence over a person or place on exactly the same text."""
    for o in mentions:
        if o is m or o.tag not in MENTION_PARENTS.get(m.tag, ()):
            continue
        if (o.start, o.end) == (m.start, m.end):
            if m.tag in ("per", "loc") and o.tag == "org":
                return True
        elif o.start <= m.start and m.end <= o.end:
            return True
    return False


def _gold_entity_ignored(e: GoldEntity, doc: GoldDoc) -> bool:
    """Entities named only inside other names, or only by an adjective ("российский"),
    are not required in track 2."""
    if not e.mentions:
        return False
    if all(_is_nested(m, doc.mentions) for m in e.mentions):
        return True
    return all(m.is_geo_adj() for m in e.mentions)


def score_track2(doc: GoldDoc, resp: list[RespEntity]) -> dict[str, Score]:
    assert doc.entities is not None
    gold = [e for e in doc.entities if e.tag in TRACK2_TAGS and e.attrs]
    out = {tag: Score() for tag in TRACK2_TAGS}
    for tag in TRACK2_TAGS:
        gi = [e for e in gold if e.tag == tag]
        pi = [r for r in resp if (r.tag if r.tag != "locorg" else "loc") == tag]
        prio = [[_attr_quality(g.attrs, r.attrs) for r in pi] for g in gi]
        pairs = best_matching(prio)
        mg = {a for a, _ in pairs}
        for a, b in pairs:
            if not _gold_entity_ignored(gi[a], doc):
                out[tag] += Score.simple(prio[a][b], 1, 1)
        for a, g in enumerate(gi):
            if a not in mg and not _gold_entity_ignored(g, doc):
                out[tag] += Score.simple(0, 1, 0)
        out[tag] += Score.simple(0, 0, len(pi) - len(pairs))
    out["overall"] = sum(out.values(), Score())
    return out


# ---------------------------------------------------------------------------- track 3


def _arg_matches(g: GoldArg, name: str, value: str) -> bool:
    return g.name == name and any(similar(v, value) for v in g.values)


def _fact_can_match(g: GoldFact, r: RespFact) -> bool:
    return g.tag == r.tag and any(_arg_matches(a, n, v) for a in g.args for n, v in r.args)


def cluster_quality(g: GoldFact, resp: list[RespFact]) -> float:
    """(A + A·I) / 2 for one gold fact and the response facts paired with it."""
    if not resp:
        return 0.0
    by_gold: dict[int, set[int]] = {}
    unmatched_resp = 0
    for k, r in enumerate(resp):
        for name, value in r.args:
            i = next((i for i, a in enumerate(g.args) if _arg_matches(a, name, value)), None)
            if i is None:
                unmatched_resp += 1
            else:
                by_gold.setdefault(i, set()).add(k)
    n = len(by_gold)
    denom = n + (len(g.args) - n) + unmatched_resp
    arg_q = n / denom if denom else 0.0
    if len(resp) == 1:
        id_q = 1.0
    else:
        keys = sorted(by_gold)
        pairs = list(itertools.combinations(keys, 2))
        together = sum(1 for x, y in pairs if by_gold[x] & by_gold[y])
        id_q = together / len(pairs) if pairs else 1.0
    return (arg_q + id_q * arg_q) / 2


def _facts_score(gold: list[GoldFact], resp: list[RespFact], choice: Sequence[int]) -> Score:
    clusters: dict[int, list[RespFact]] = {}
    for k, c in enumerate(choice):
        if c >= 0:
            clusters.setdefault(c, []).append(resp[k])
    tp_gold = 0.0
    tp_pred = 0.0
    for c, members in clusters.items():
        q = cluster_quality(gold[c], members)
        tp_gold += q
        tp_pred += q * len(members)
    return Score(tp_gold, tp_pred, len(gold), len(resp))


def score_facts(gold: list[GoldFact], resp: list[RespFact]) -> Score:
    """Best pairing of one document's response facts (of one type) with the gold."""
    options = [[i for i, g in enumerate(gold) if _fact_can_match(g, r)] + [-1] for r in resp]
    n = 1
    for o in options:
        n *= len(o)
    if n <= MAX_FACT_SEARCH:
        best = max(
            (_facts_score(gold, resp, c) for c in itertools.product(*options)),
            key=lambda s: s.f1,
            default=Score(0, 0, len(gold), len(resp)),
        )
        return best
    # Too many combinations: each response fact joins the gold fact it fits best alone.
    choice = []
    for r, opts in zip(resp, options, strict=True):
        scored = [(cluster_quality(gold[i], [r]), i) for i in opts if i >= 0]
        choice.append(max(scored)[1] if scored else -1)
    return _facts_score(gold, resp, choice)


def score_track3(doc: GoldDoc, resp: list[RespFact]) -> dict[str, Score]:
    assert doc.facts is not None
    out = {}
    for tag in FACT_TAGS:
        out[tag] = score_facts(
            [f for f in doc.facts if f.tag == tag], [r for r in resp if r.tag == tag]
        )
    out["overall"] = sum(out.values(), Score())
    return out


# ---------------------------------------------------------------------------- our output


def person_parts(name: str) -> dict[str, str]:
    """firstname / surname / patronymic of a normalized person name, by morphology.

    pymorphy2 knows most Russian first names (`Name`), patronymics (`Patr`) and many
    surnames (`Surn`); words it does not know fall back on the usual order of a
    news name: "Имя Фамилия" or "Имя Отчество Фамилия".
    """
    from newsfacts.nlp.natasha_pipe import models

    words = name.split()
    if not words:
        return {}
    morph = models().morph_vocab
    roles: list[str | None] = []
    for w in words:
        role = None
        for p in morph.parse(w)[:3]:
            if "Patr" in p.tag:
                role = "patronymic"
            elif "Name" in p.tag:
                role = "firstname"
            elif "Surn" in p.tag:
                role = "surname"
            if role:
                break
        roles.append(role)
    if len(words) == 1:
        return {roles[0] or "surname": words[0]}
    if None in roles or len(set(roles)) != len(roles):
        default = {2: ["firstname", "surname"], 3: ["firstname", "patronymic", "surname"]}
        order = default.get(len(words))
        if order is None:
            return {"firstname": words[0], "surname": words[-1]}
        roles = list(order)
    return {r: w for r, w in zip(roles, words, strict=True) if r}


def person_value(name: str) -> str:
    """Surname first, as FactRuEval writes people: "гринспен аарон"."""
    parts = person_parts(name)
    order = [parts.get(k) for k in ("surname", "firstname", "patronymic")]
    return norm(" ".join(p for p in order if p) or name)


# A place name after one of these is where something happens (Location); a country
# or city named anywhere else usually acts (LocOrg): "Россия заявила", "мэрия Москвы".
SPATIAL_PREPOSITIONS = {"в", "во", "на", "из", "до", "к", "над", "по", "под", "о", "об"}


def entity_tag(entity: Any, text: str = "", start: int | None = None) -> str:
    """FactRuEval type of our entity mention: per, org, loc or locorg."""
    if entity.type == "person":
        return "per"
    if entity.type == "organization":
        return "org"
    if getattr(entity, "subtype", None) not in ("country", "city"):
        return "loc"
    if start is not None:
        before = re.findall(r"\w+", text[max(0, start - 20) : start])
        if before and before[-1].lower() in SPATIAL_PREPOSITIONS:
            return "loc"
    return "locorg"


def named_mentions(doc: Any) -> list[tuple[str, int, int]]:
    """Named mentions only: FactRuEval track 1 does not score "посол" or "стороны"."""
    ents = {e.id: e for e in doc.entities}
    text = getattr(doc, "text", "") or ""
    out = []
    if doc.mentions:
        for m in doc.mentions:
            e = ents.get(m.entity_id)
            if e is not None and getattr(m, "kind", "name") == "name":
                out.append((entity_tag(e, text, m.start), m.start, m.end))
    else:
        for e in doc.entities:
            out.extend((entity_tag(e, text, s[0]), s[0], s[1]) for s in e.mentions)
    return out


def response_entities(doc: Any) -> list[RespEntity]:
    out = []
    for e in doc.entities:
        tag = entity_tag(e)
        if tag == "per":
            parts = person_parts(e.name)
            attrs = [(k, parts[k]) for k in ("firstname", "surname", "patronymic") if k in parts]
        else:
            attrs = [("name", e.name)]
        out.append(RespEntity(tag, [(k, v) for k, v in attrs if v]))
    return out


def _value(doc: Any, value: Any) -> str | None:
    if isinstance(value, str):
        e = doc.entity(value) if re.fullmatch(r"E\d+", value) else None
        if e is None:
            return norm(value)
        return person_value(e.name) if e.type == "person" else norm(e.name)
    if isinstance(value, dict):
        return _value(doc, value.get("id") or value.get("name") or value.get("text"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# our fact type -> ((our arg, FactRuEval arg), ...)
FACT_ARGS: dict[str, tuple[tuple[str, str], ...]] = {
    "occupation": (("person", "who"), ("position", "position"), ("where", "where")),
    "meeting": (("participants", "participant"),),
    "deal": (("parties", "participant"), ("type", "type"), ("kind", "type")),
    "ownership": (("owner", "owner"), ("property", "property")),
}
PHASES = {"start": "начало", "end": "конец"}
# FactRuEval's Deal is a transaction (purchase, investment, loan, fine); a signed
# agreement is not one of its types, and its devset leaves signings unannotated.
NOT_FRE_DEAL_EXTRACTORS = frozenset({"agreement"})


def response_facts(doc: Any) -> list[RespFact]:
    out = []
    for f in doc.facts:
        mapping = FACT_ARGS.get(f.type)
        if not mapping:
            continue
        if f.type == "deal" and getattr(f, "extractor", None) in NOT_FRE_DEAL_EXTRACTORS:
            continue
        args: list[tuple[str, str]] = []
        for ours, theirs in mapping:
            for v in _many(f.args.get(ours)):
                text = _value(doc, v)
                if text:
                    args.append((theirs, text))
        phase = PHASES.get(str(f.args.get("phase")))
        if f.type == "occupation" and phase:
            args.append(("фаза", phase))
        if args:
            out.append(RespFact(f.type, args))
    return out


# ---------------------------------------------------------------------------- the command


def natasha_mentions(text: str) -> list[tuple[str, int, int]]:
    """natasha NER alone (segmenter + NER tagger), the baseline of BENCHMARKS.md."""
    from natasha import Doc as NatashaDoc

    from newsfacts.nlp.natasha_pipe import models

    m = models()
    nd = NatashaDoc(text)
    nd.segment(m.segmenter)
    nd.tag_ner(m.ner_tagger)
    tags = {"PER": "per", "LOC": "loc", "ORG": "org"}
    return [(tags[s.type], s.start, s.stop) for s in nd.spans if s.type in tags]


def extract_raw(text: str, name: str) -> Any:
    """Run the pipeline on the file's own text (no cleaning: offsets must match)."""
    from newsfacts.model import Article, article_id
    from newsfacts.pipeline import default_pipeline

    article = Article(id=article_id(text), text=text, title=None, source=name)
    return default_pipeline().make_doc(article)


@dataclass
class Totals:
    t1: dict[str, Score] = field(default_factory=dict)
    t1_loc: dict[str, Score] = field(default_factory=dict)
    t2: dict[str, Score] = field(default_factory=dict)
    t3: dict[str, Score] = field(default_factory=dict)
    base_t1: dict[str, Score] = field(default_factory=dict)
    base_t1_loc: dict[str, Score] = field(default_factory=dict)
    docs: int = 0
    gold_docs: int = 0
    errors: list[str] = field(default_factory=list)

    def tables(self) -> list[str]:
        out = []
        order = ("per", "loc", "org", "locorg", "overall")
        fact_order = (*FACT_TAGS, "overall")

        def pick(d: dict[str, Score], keys: Sequence[str]) -> dict[str, Score]:
            return {k: d[k] for k in keys if k in d}

        if self.t1_loc:
            out.append(
                format_table("Track 1, LocOrg counted as Location", pick(self.t1_loc, order))
            )
            out.append(format_table("Track 1, LocOrg as its own class", pick(self.t1, order)))
        if self.base_t1_loc:
            out.append(
                format_table(
                    "natasha NER baseline, track 1, LocOrg as Location",
                    pick(self.base_t1_loc, order),
                )
            )
            out.append(
                format_table(
                    "natasha NER baseline, track 1, LocOrg as its own class",
                    pick(self.base_t1, order),
                )
            )
        if self.t2:
            out.append(format_table("Track 2 (entities)", pick(self.t2, order)))
        if self.t3:
            out.append(format_table("Track 3 (facts)", pick(self.t3, fact_order)))
        return out

    def as_dict(self) -> dict[str, Any]:
        def conv(d: dict[str, Score]) -> dict[str, Any]:
            return {k: v.as_dict() for k, v in d.items()}

        return {
            "documents": self.docs,
            "documents_with_gold": self.gold_docs,
            "track1_locorg_as_loc": conv(self.t1_loc),
            "track1_locorg": conv(self.t1),
            "track2": conv(self.t2),
            "track3": conv(self.t3),
            "natasha_track1_locorg_as_loc": conv(self.base_t1_loc),
            "natasha_track1_locorg": conv(self.base_t1),
            "errors": self.errors,
        }


def evaluate(
    data_dir: Path,
    out_dir: Path,
    *,
    baseline: str | None = None,
    limit: int | None = None,
    log: Any = None,
    doc_timeout: float | None = DOC_TIMEOUT,
    split: str = "all",
) -> Totals:
    """Write book_N.task1/2/3 into out_dir; score them where data_dir has gold.

    `split` picks the books (newsfacts.eval.folds): on 'blind' no per-document
    line is logged and errors are only counted, so the blind books stay unread.
    """
    if not data_dir.is_dir():
        raise FactRuEvalError(f"{data_dir}: not a directory")
    books = folds.select(book_files(data_dir), split)
    books = books[:limit] if limit else books
    if split == "blind":
        log = None
    if not books:
        raise FactRuEvalError(f"{data_dir}: no book_N.txt files")
    out_dir.mkdir(parents=True, exist_ok=True)
    totals = Totals()
    for path in books:
        name = path.stem
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            totals.errors.append(f"{path.name}: unreadable: {exc}")
            continue
        totals.docs += 1
        try:
            with time_limit(doc_timeout):
                doc = extract_raw(text, path.name)
            mentions = named_mentions(doc)
            ents = response_entities(doc)
            facts = response_facts(doc)
        except Exception as exc:  # one bad document must not end a corpus run
            totals.errors.append(f"{path.name}: extraction failed: {type(exc).__name__}: {exc}")
            mentions, ents, facts = [], [], []
        write_task1(out_dir / f"{name}.task1", mentions)
        write_blocks(out_dir / f"{name}.task2", ((e.tag, e.attrs) for e in ents))
        write_blocks(out_dir / f"{name}.task3", ((f.tag, f.args) for f in facts))
        if log:
            log(f"{path.name}: {len(mentions)} mentions, {len(ents)} entities, {len(facts)} facts")
        try:
            gold = load_gold(data_dir, name, text)
        except (FactRuEvalError, ValueError, KeyError, IndexError) as exc:
            totals.errors.append(f"{path.name}: gold layers unreadable, not scored: {exc}")
            continue
        if gold is None:
            continue
        totals.gold_docs += 1
        # Score what was written: the files are the answer, as for the official script.
        resp1 = read_task1(out_dir / f"{name}.task1")
        add_into(totals.t1, score_track1(gold, resp1, locorg=True))
        add_into(totals.t1_loc, score_track1(gold, resp1, locorg=False))
        if gold.entities is not None:
            resp2 = [RespEntity(t, a) for t, a in read_blocks(out_dir / f"{name}.task2")]
            add_into(totals.t2, score_track2(gold, resp2))
        if gold.facts is not None:
            resp3 = [RespFact(t, a) for t, a in read_blocks(out_dir / f"{name}.task3")]
            add_into(totals.t3, score_track3(gold, resp3))
        if baseline == "natasha":
            base = natasha_mentions(text)
            add_into(totals.base_t1, score_track1(gold, base, locorg=True))
            add_into(totals.base_t1_loc, score_track1(gold, base, locorg=False))
    if split == "blind" and totals.errors:
        totals.errors = [f"{len(totals.errors)} blind document(s) had errors (not shown)"]
    return totals


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="folder of book_N.txt files")
    parser.add_argument("--out", required=True, type=Path, help="folder for book_N.task1/2/3")
    parser.add_argument("--baseline", choices=["natasha"], help="also score natasha NER alone")
    parser.add_argument("--limit", type=int, help="only the first N books")
    parser.add_argument(
        "--split",
        choices=folds.SPLITS,
        default="all",
        help="devset books to run: the frozen blind quarter, the rest (tune) or all",
    )
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per document")
    add_doc_timeout(parser)


def run(
    data_dir: Path,
    out_dir: Path | None,
    *,
    baseline: str | None = None,
    limit: int | None = None,
    json_out: Path | None = None,
    verbose: bool = False,
    doc_timeout: float | None = DOC_TIMEOUT,
    split: str = "all",
) -> int:
    import json

    if out_dir is None:
        raise FactRuEvalError("--out is required: the responses are written there")
    log = (lambda line: print(line, file=sys.stderr)) if verbose else None
    totals = evaluate(
        data_dir,
        out_dir,
        baseline=baseline,
        limit=limit,
        log=log,
        doc_timeout=doc_timeout,
        split=split,
    )
    print(
        f"FactRuEval-2016 ({split} split): {totals.docs} documents, "
        f"{totals.gold_docs} with gold; "
        f"responses in {out_dir}"
    )
    for err in totals.errors:
        print(f"warning: {err}", file=sys.stderr)
    for table in totals.tables():
        print()
        print(table)
    if json_out:
        json_out.write_text(
            json.dumps(totals.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0 if totals.docs else 1


def main(args: argparse.Namespace) -> int:
    """CLI entry: `newsfacts eval factrueval`."""
    try:
        return run(
            args.data,
            args.out,
            baseline=args.baseline,
            limit=args.limit,
            json_out=args.json,
            verbose=args.verbose,
            doc_timeout=getattr(args, "doc_timeout", DOC_TIMEOUT),
            split=getattr(args, "split", "all"),
        )
    except FactRuEvalError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
