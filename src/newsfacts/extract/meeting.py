"""Placeholder for the "meeting" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("meeting")
def meeting_layer(doc: Doc) -> None:
    return None
