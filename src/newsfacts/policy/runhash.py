"""A hash of a run of text, the same wherever and however it is computed.

Two polynomial hashes modulo primes below 2^31, joined into one 62-bit value: the
same for a run wherever it is computed (Python's `hash` is salted per process), and
vectorised over every run of a text at once with numpy (blake2b per run was most of
the pass's time, issue 12). The store keys its run tables by it (`store.shown`);
`policy.overlap` uses it to find the few runs that may repeat before comparing
strings (equal runs always hash alike, so a repeated run is never missed).
"""

from __future__ import annotations

from typing import Any

_MODS = (2_147_483_629, 2_147_483_587)
_BASES = (1_000_003, 911_382_323)


def run_hash(run: str) -> int:
    """The hash of one run, as `all_hashes` computes it for every run of a text."""
    out = 0
    for mod, base in zip(_MODS, _BASES, strict=True):
        h = 0
        for ch in run:
            h = (h * base + ord(ch)) % mod
        out = (out << 31) | h
    return out


def code_points(value: str) -> Any:
    """The code points of `value` as numpy int64 (what `all_hashes` takes)."""
    import numpy as np

    cps = np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return cps.astype(np.int64)


def all_hashes(cps: Any, size: int) -> Any:
    """The hash of the `size` characters starting at every offset (numpy int64)."""
    return hash_table(cps, (size,))[size]


def hash_table(cps: Any, sizes: tuple[int, ...]) -> dict[int, Any]:
    """`all_hashes` for each of `sizes`, sharing the work.

    Built by doubling: the hash of 2w characters is that of the first w times
    base^w plus that of the next w (mod p), so a size takes about log2(size) array
    passes per prime instead of `size` (the same values as `run_hash`: only the
    order of the modular sums differs; issue 13)."""
    import numpy as np

    out = {size: np.zeros(max(len(cps) - size + 1, 0), dtype=np.int64) for size in sizes}
    todo = [size for size in sizes if len(cps) >= size]
    if not todo:
        return out
    for mod, base in zip(_MODS, _BASES, strict=True):
        blocks = {1: cps}  # width -> hash of `width` characters at every offset (< mod)
        width = 1
        while width * 2 <= max(todo):
            h, m = blocks[width], len(cps) - 2 * width + 1
            blocks[2 * width] = (h[:m] * pow(base, width, mod) + h[width : width + m]) % mod
            width *= 2
        for size in todo:
            n = len(cps) - size + 1
            done = 1 << (size.bit_length() - 1)
            acc = blocks[done][:n]
            for w in sorted(blocks, reverse=True):
                if done + w <= size:
                    acc = (acc * pow(base, w, mod) + blocks[w][done : done + n]) % mod
                    done += w
            out[size] = (out[size] << 31) | acc
    return out


def run_hashes(value: str, runs: list[tuple[int, int]]) -> list[int]:
    """`run_hash(value[i : i + n])` of each (i, n) of `runs`, from prefix hashes in
    plain Python: for a short string (a page's statement) numpy's set-up in
    `hash_table` cost ten times the hashing (issue 13). The same values: h(i, n) =
    prefix(i + n) - prefix(i) * base^n (mod p) is `run_hash`'s sum."""
    parts: list[list[int]] = []
    for mod, base in zip(_MODS, _BASES, strict=True):
        prefix, h = [0], 0
        for ch in value:
            h = (h * base + ord(ch)) % mod
            prefix.append(h)
        powers = {n: pow(base, n, mod) for n in {n for _, n in runs}}
        parts.append([(prefix[i + n] - prefix[i] * powers[n]) % mod for i, n in runs])
    return [(a << 31) | b for a, b in zip(*parts, strict=True)]
