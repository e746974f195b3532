"""Which reuse policy applies to an article whose text states none.

Most outlets print their policy in a footer, which ingest reads (origin "footer").
For the rest we fall back to a per-domain table kept as data
(`data/policy_registry.toml`), and finally to a configurable default, so that an
unknown source is quoted conservatively rather than in full.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfacts.model import Article, Policy

FULL_TEXT_VALUES = ("allowed", "permission", "forbidden")
# An URL whose host urlsplit would return unchanged: a scheme, "//", then letters,
# digits, dots and hyphens up to the path, query, fragment or the end.
_PLAIN_URL = re.compile(r"[a-z][a-z0-9+.-]*://([a-z0-9.-]+)(?=[/?#]|$)")
ENV_REGISTRY = "NEWSFACTS_POLICY_REGISTRY"


class PolicyRegistryError(ValueError):
    """The registry file is unreadable or states an impossible policy."""


def source_key(source: str | None, url: str | None = None) -> str | None:
    """The domain a policy or permission is keyed by: lower case, no "www.".

    Articles name their source loosely ("Kapital.kz", "https://kapital.kz/..."),
    while grants are typed by hand, so both sides go through this one function.
    """
    for candidate in (source, url):
        if not candidate:
            continue
        text = candidate.strip().lower()
        if "//" in text:
            # A plain «scheme://host/…» is urlsplit's hostname as it stands (a third
            # of the look-up for each of a page's 200 articles); anything else
            # (user, port, brackets, a tab) goes through urlsplit.
            plain = _PLAIN_URL.match(text)
            text = plain.group(1) if plain else (urlsplit(text).hostname or "")
        else:
            text = text.split("/", 1)[0]
        text = text.split(":", 1)[0].strip(".")
        if text.startswith("www."):
            text = text[4:]
        if text:
            return text
    return None


def _policy(data: dict[str, Any], where: str, origin: str) -> Policy:
    try:
        share = float(data.get("max_share", 1.0))
    except (TypeError, ValueError) as exc:
        raise PolicyRegistryError(f"{where}: max_share must be a number") from exc
    if not 0.0 <= share <= 1.0:
        raise PolicyRegistryError(f"{where}: max_share must lie in [0, 1], got {share}")
    full = str(data.get("full_text", "permission"))
    if full not in FULL_TEXT_VALUES:
        raise PolicyRegistryError(
            f"{where}: full_text must be one of {', '.join(FULL_TEXT_VALUES)}, got {full!r}"
        )
    return Policy(
        max_share=share,
        link_required=bool(data.get("link_required", True)),
        full_text=full,
        origin=origin,
    )


@dataclass
class PolicyRegistry:
    """Per-domain reuse policies plus the default for sources nobody has looked at."""

    domains: dict[str, Policy] = field(default_factory=dict)
    default: Policy = field(
        default_factory=lambda: Policy(
            max_share=0.2, link_required=True, full_text="permission", origin="default"
        )
    )
    # lookup's answers by (source key, URL key); the table is not changed once loaded
    _found: dict[tuple[str | None, str | None], Policy] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_toml(cls, text: str, where: str = "policy registry") -> PolicyRegistry:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyRegistryError(f"{where}: {exc}") from exc
        default = _policy(data.get("default", {}), f"{where} [default]", "default")
        domains = {
            source_key(name) or name: _policy(entry, f"{where} [domains.{name}]", "registry")
            for name, entry in data.get("domains", {}).items()
        }
        return cls(domains=domains, default=default)

    @classmethod
    def load(cls, path: str | Path | None = None) -> PolicyRegistry:
        """The packaged table, or `path` / $NEWSFACTS_POLICY_REGISTRY when given."""
        path = path or os.environ.get(ENV_REGISTRY)
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise PolicyRegistryError(f"{path}: {exc.strerror or exc}") from exc
            return cls.from_toml(text, str(path))
        data = resources.files("newsfacts").joinpath("data/policy_registry.toml")
        return cls.from_toml(data.read_text(encoding="utf-8"), "data/policy_registry.toml")

    def lookup(self, source: str | None, url: str | None = None) -> Policy:
        """The most specific domain entry ("a.b.kz" falls back to "b.kz"), else default.

        Found once per (source, URL host) and registry: a page resolves each of its
        ~200 articles, from a dozen outlets (issue 13). Each call gets its own copy."""
        keys = (source_key(source), source_key(None, url))
        found = self._found.get(keys)
        if found is None:
            found = self._found[keys] = self._entry(keys)
        return replace(found)

    def _entry(self, keys: tuple[str | None, str | None]) -> Policy:
        for key in (k for k in dict.fromkeys(keys) if k):
            parts = key.split(".")
            for i in range(len(parts) - 1):
                hit = self.domains.get(".".join(parts[i:]))
                if hit is not None:
                    return hit
        return self.default

    def resolve(self, article: Article) -> Policy:
        """The policy that governs `article`: its own footer first, then this table."""
        if article.policy.origin == "footer":
            return article.policy
        return self.lookup(article.source, article.url)


_DEFAULT_REGISTRY: PolicyRegistry | None = None


def default_registry() -> PolicyRegistry:
    """Parsed once per process; every output shares it."""
    global _DEFAULT_REGISTRY
    if _DEFAULT_REGISTRY is None:
        _DEFAULT_REGISTRY = PolicyRegistry.load()
    return _DEFAULT_REGISTRY
