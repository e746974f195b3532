"""How the linker decides one mention: blocking keys, name scores, context, margins.

Split from link.py, which walks an article's mentions in order and records the
decisions: this module only scores one mention against its candidates (read
through the batch's `KBView`), so the rules can be read and tuned in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsfacts.kb.kbview import KBView
from newsfacts.kb.names import (
    is_generic_org,
    is_given_name,
    org_keys,
    parse_person,
    person_keys,
    place_keys,
)
from newsfacts.policy.names import is_long, short_name
from newsfacts.store.keys import fold

FULL_NAME = 0.9
INITIAL = 0.6
SURNAME_ONLY = 0.5
ORG_CORE = 0.9
PLACE_GAZETTEER = 1.0
PLACE_NAME = 0.85
POST_WEIGHT = 0.25
WITH_WEIGHT = 0.1
IN_WEIGHT = 0.03  # sharing a country says little: Россия co-occurs with a third of the news
CONTEXT_CAP = 0.4
MARGIN = 0.1  # the best candidate must lead the next by this much (one shared entity)
TYPE_ORDER = {"location": 0, "organization": 1, "person": 2}


@dataclass
class Mention:
    """One article entity as the linker sees it."""

    local_id: str
    type: str
    name: str
    subtype: str | None = None
    code: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    posts: set[str] = field(default_factory=set)  # "post:аким", "post:аким@<kb id>"
    n_mentions: int = 0
    # The folded full name a short `name` stands for (`entities.search_norm`, issue
    # 12): bodies and places are keyed by it, as before names were shortened, so two
    # bodies stored «НГ» are not one; `name` stays what the KB shows.
    full: str | None = None

    @property
    def match_name(self) -> str:
        """The name blocking keys and the generic-body test read."""
        return self.full if self.full and self.type != "person" else self.name


@dataclass
class Decision:
    kb_id: str | None  # None: found a new entity
    score: float
    method: str
    status: str  # linked | new | ambiguous
    evidence: dict[str, Any]
    candidates: list[tuple[str, float]]


def keys_for(mention: Mention) -> tuple[list[str], str | None]:
    """Blocking keys of a mention, and a better display name when the data knows one."""
    if mention.type == "location":
        keys, canonical = place_keys(mention.match_name, mention.code, mention.country)
        if canonical and is_long(canonical):  # the KB shows it (issue 12)
            canonical = short_name(canonical, mention.type)
        return keys, canonical
    if mention.type == "organization":
        keys = org_keys(mention.match_name)
        if mention.code:  # supranational bodies the gazetteer types as organisations
            keys.append(f"org:{mention.code.upper()}")
        return keys, None
    return person_keys(mention.name) or [f"per:{fold(mention.name)}"], None


def decide(
    view: KBView,
    mention: Mention,
    keys: list[str],
    context: set[str],
    home: str | None = None,
) -> Decision:
    """Choose the canonical entity for one mention (None = found a new one)."""
    name_norm = fold(mention.name)
    curated = _curated_target(view, name_norm, mention.type)
    if curated is not None:
        return Decision(curated, 1.0, "curated-alias", "linked", {"alias": name_norm}, [])
    if mention.type == "person" and " " not in name_norm and is_given_name(name_norm):
        return Decision(None, 1.0, "new", "new", {"keys": keys, "why": "given name only"}, [])
    blocked = {kb_id for kb_id, _ in view.aliases(name_norm, "blocked")}
    cands = [c for c in view.candidates(keys, mention.type) if c["id"] not in blocked]
    if not cands:
        return Decision(None, 1.0, "new", "new", {"keys": keys}, [])
    if mention.type == "location":
        best = cands[0]
        score = PLACE_NAME if keys[0].startswith("loc~") else PLACE_GAZETTEER
        if len(cands) == 1:
            return Decision(best["id"], score, "place-key", "linked", {"keys": keys}, [])
    scored = []
    named = [(c, _name_score(mention, c)) for c in cands]
    named = [(c, n) for c, n in named if n > 0]
    # a unique exact name needs no context read (the common, cheap case)
    needs_context = len(named) > 1 or any(n < FULL_NAME for _, n in named)
    generic = mention.type == "organization" and bool(named) and named[0][1] < ORG_CORE
    known = view.has_features([c["id"] for c, _ in named], context) if needs_context else {}
    for cand, name_score in named:
        shared = sorted(context & known.get(cand["id"], set()))
        if generic:
            # "МВД" links only to the МВД whose country is this article's main country
            at_home = home is not None and view.home(cand["id"]) == f"in:{home}"
            shared = [*shared, f"home:{home}"] if at_home else []
        ctx = min(
            CONTEXT_CAP,
            sum(_WEIGHTS[f.partition(":")[0]] for f in shared),
        )
        scored.append((min(1.0, name_score + ctx), name_score, shared, cand["id"]))
    if not scored:
        return Decision(None, 1.0, "new", "new", {"keys": keys}, [])
    scored.sort(key=lambda s: (-s[0], s[3]))
    listing = [(s[3], round(s[0], 3)) for s in scored[:5]]
    top, name_score, shared, kb_id = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    evidence = {"keys": keys, "name_score": name_score, "shared": shared}
    exact = name_score >= min(FULL_NAME, ORG_CORE)
    clear = round(top - runner_up, 3) >= MARGIN
    if mention.type == "person" or (mention.type == "organization" and exact is False):
        # a partial name (or a generic body) needs context; an exact name only uniqueness
        # context must hold more than a shared country: a person, place, body or post
        enough = round(top - name_score, 3) >= WITH_WEIGHT
        if (exact and clear) or (clear and enough):
            if mention.type == "organization":
                method = "generic-org+context"
            else:
                method = "full-name" if exact else "partial-name+context"
            return Decision(kb_id, top, method, "linked", evidence, listing)
        return Decision(None, 1.0 - top, "new", "ambiguous", evidence, listing)
    if clear:
        method = "org-key" if mention.type == "organization" else "place-key"
        return Decision(kb_id, top, method, "linked", evidence, listing)
    return Decision(None, 1.0 - top, "new", "ambiguous", evidence, listing)


_WEIGHTS = {"post": POST_WEIGHT, "with": WITH_WEIGHT, "in": IN_WEIGHT, "home": WITH_WEIGHT}


def _name_score(mention: Mention, cand: dict[str, Any]) -> float:
    if mention.type == "location":
        return PLACE_NAME if (cand.get("key") or "").startswith("loc~") else PLACE_GAZETTEER
    if mention.type == "organization":
        return SURNAME_ONLY if is_generic_org(mention.match_name) else ORG_CORE
    a, b = parse_person(mention.name), parse_person(cand["name"])
    if a is None or b is None:
        return FULL_NAME if fold(mention.name) == fold(cand["name"]) else 0.0
    if not a.compatible(b):
        return 0.0
    if a.is_full and b.is_full:
        return FULL_NAME
    if a.first and b.first:
        return INITIAL
    return SURNAME_ONLY


def _curated_target(view: KBView, name_norm: str, type_: str) -> str | None:
    """The one entity a curator gave this name, if exactly one."""
    targets = {view.resolve(kb_id) for kb_id, t in view.aliases(name_norm, "curated") if t == type_}
    return targets.pop() if len(targets) == 1 else None
