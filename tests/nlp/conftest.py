from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def nlp_models() -> Any:
    """natasha's models, loaded once for the whole session."""
    from newsfacts.nlp.natasha_pipe import models

    return models()
