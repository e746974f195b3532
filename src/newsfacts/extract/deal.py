"""Placeholder for the "deal" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("deal")
def deal_layer(doc: Doc) -> None:
    return None
