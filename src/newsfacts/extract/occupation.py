"""Placeholder for the "occupation" component: registered so the pipeline runs; adds nothing yet."""

from __future__ import annotations

from newsfacts.pipeline import Doc, component


@component("occupation")
def occupation_layer(doc: Doc) -> None:
    return None
