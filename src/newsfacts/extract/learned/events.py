"""Candidate (participant, event) pairs and their features: who took part in a
meeting, a signing or any other event a sentence names.

The meeting and agreement rules decide participants and parties from a few verb
frames; NEREL's PARTICIPANT_IN and AGENT link persons, organisations and countries to
every event mention. A classifier over each (entity mention, event span) pair of a
sentence, with the rules' decision (is this entity a participant of a meeting fact,
or a party of a deal, over this event word) as features, scores the link. An event
whose words name a signing or a document is a party–agreement pair; the rest are
participant–event pairs; `event_kind` tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfacts.extract.grammars.lexicon import DEAL_TRIGGERS, MEETING_NOUNS, MEETING_VERBS
from newsfacts.extract.grammars.tokens import Sent, lemma
from newsfacts.extract.learned.pairs import SentInfo
from newsfacts.extract.learned.relfeats import head_of, span_pair_features, token_span
from newsfacts.model import Entity, Fact

PARTY_TYPES = ("person", "organization", "location")
AGREEMENT_STEMS = ("подпис", "соглашен", "договор", "меморандум", "контракт", "протокол")


def event_kind(sent: Sent, span: tuple[int, int]) -> str:
    """agreement (a signing or a document), meeting, or other."""
    lemmas = [lemma(t) for t in sent.tokens[span[0] : span[1] + 1]]
    if any(lem.startswith(AGREEMENT_STEMS) for lem in lemmas):
        return "agreement"
    if any(lem in MEETING_NOUNS or lem in MEETING_VERBS for lem in lemmas):
        return "meeting"
    return "other"


@dataclass
class EventCandidate:
    mention: tuple[int, int, Entity, str]
    event: tuple[int, int]  # token indexes
    kind: str
    features: dict[str, float]


def rule_roles(facts: list[Fact]) -> list[tuple[tuple[int, int], set[str], str]]:
    """(evidence span, entity ids, fact type) of the meeting, deal and agreement facts."""
    out = []
    for f in facts:
        if f.type not in ("meeting", "deal", "agreement"):
            continue
        ids: set[str] = set()
        for v in f.args.values():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str):
                    ids.add(x)
                elif isinstance(x, dict) and isinstance(x.get("id"), str):
                    ids.add(x["id"])
        for lo, hi in f.evidence:
            out.append(((lo, hi), ids, f.type))
    return out


def event_candidates(
    info: SentInfo,
    event: tuple[int, int],
    roles: list[tuple[tuple[int, int], set[str], str]],
) -> list[EventCandidate]:
    """Every person, organisation or place mention of the sentence outside the event."""
    sent = info.sent
    toks = sent.tokens
    eh = head_of(sent, event)
    kind = event_kind(sent, event)
    ev_lemma = lemma(toks[eh])
    ev_at = toks[eh].start
    out: list[EventCandidate] = []
    seen: set[tuple[int, int]] = set()
    for m in sent.mentions:
        ent = m[2]
        if ent.type not in PARTY_TYPES or (m[0], m[1]) in seen:
            continue
        span = token_span(sent, m[0], m[1])
        if span is None or not (span[1] < event[0] or event[1] < span[0]):
            continue
        seen.add((m[0], m[1]))
        f = span_pair_features(info, event, span, eh, head_of(sent, span))
        f[f"type={ent.type}"] = 1.0
        f[f"kind={kind}&type={ent.type}"] = 1.0
        f[f"ev={ev_lemma}"] = 1.0
        f[f"ev_pos={toks[eh].pos}"] = 1.0
        f[f"mention={m[3]}"] = 1.0
        ruled = [t for (lo, hi), ids, t in roles if lo <= ev_at < hi and ent.id in ids]
        for t in sorted(set(ruled)):
            f[f"rule_{t}"] = 1.0
        if not ruled:
            f["rule_none"] = 1.0
        out.append(EventCandidate(m, event, kind, f))
    return out


def event_spans_by_rule(sent: Sent) -> list[tuple[int, int]]:
    """Single-token event spans the rules' lexicons name (meeting and deal words)."""
    out = []
    for k, t in enumerate(sent.tokens):
        lem = lemma(t)
        if lem in MEETING_NOUNS or lem in MEETING_VERBS or lem in DEAL_TRIGGERS:
            out.append((k, k))
    return out
