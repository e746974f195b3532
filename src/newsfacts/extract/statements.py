"""Placeholder for the "statements" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("statements")
def statements_layer(doc: Doc) -> None:
    return None
