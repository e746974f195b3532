"""Placeholder for the "coref" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("coref")
def coref_layer(doc: Doc) -> None:
    return None
