"""FactRuEval-2016 gold layers: the book files and their annotation, read into objects.

Why a module of its own: reading the corpus format (tokens, spans, objects, coref,
facts) is one job, used by the scorer and by tests alike; the comparison rules live in
`factrueval_scoring` and the command in `factrueval`. Entity-valued fact arguments
are expanded here into every name form the gold allows (surname/first name
combinations, `name` attributes, mention texts, and for an occupation's `where` the
names of entities linked by `isPartOf`), so the scorer only compares strings.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.eval.metrics import levenshtein

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


SPECIAL_ARGS = {"сложность", "модальность"}


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
