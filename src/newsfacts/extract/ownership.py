"""Placeholder for the "ownership" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("ownership")
def ownership_layer(doc: Doc) -> None:
    return None
