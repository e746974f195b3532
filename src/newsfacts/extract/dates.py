"""Placeholder for the "dates" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("dates")
def dates_layer(doc: Doc) -> None:
    return None
