"""Extraction components, one module per fact type; called, the library's entry point.

`newsfacts.extract` names both this package and the function users call,
`newsfacts.extract(text, published=..., url=..., source=...)`. Python binds a
subpackage to its parent's attribute as soon as it is imported (the pipeline
imports it), so a plain function of that name would be replaced by the package.
The package is therefore made callable and forwards to `newsfacts.library.extract`.
Importing it stays cheap: the components are imported by the pipeline, not here.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfacts.model import Record


class _CallablePackage(types.ModuleType):
    def __call__(
        self,
        text: str,
        *,
        published: str | None = None,
        url: str | None = None,
        source: str | None = None,
        title: str | None = None,
    ) -> Record:
        """The fact record of one article (see `newsfacts.library.extract`)."""
        from newsfacts.library import extract

        return extract(text, published=published, url=url, source=source, title=title)


sys.modules[__name__].__class__ = _CallablePackage
