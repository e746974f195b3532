"""Placeholder for the "quantity" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("quantity")
def quantity_layer(doc: Doc) -> None:
    return None
