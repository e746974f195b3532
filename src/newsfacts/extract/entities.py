"""Baseline entity layer: natasha NER spans, normalized, one entity per name.

This is a placeholder that later work replaces with typed, merged entities.
"""

from __future__ import annotations

from newsfacts.model import Entity
from newsfacts.pipeline import Doc, Mention, component
from newsfacts.nlp.natasha_pipe import models

NER_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}


@component("entities")
def entities_layer(doc: Doc) -> None:
    by_key: dict[tuple[str, str], Entity] = {}
    for span in doc.nlp.spans:
        span.normalize(models().morph_vocab)
        etype = NER_TYPES[span.type]
        name = span.normal or span.text
        key = (etype, name.lower())
        entity = by_key.get(key)
        if entity is None:
            entity = Entity(id=f"E{len(by_key) + 1}", type=etype, name=name)
            by_key[key] = entity
        entity.mentions.append((span.start, span.stop))
        doc.mentions.append(Mention(span.start, span.stop, entity.id))
    doc.entities = list(by_key.values())
