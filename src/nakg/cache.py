"""Where nakg keeps what it computed once: the user cache folder."""

from __future__ import annotations

from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """The user cache folder of nakg: ``$NAKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/nakg``, else ``~/.cache/nakg``.

    >>> cache_dir().name in ("nakg",) or bool(__import__("os").environ.get("NAKG_CACHE_DIR"))
    True
    """
    import os

    if os.environ.get("NAKG_CACHE_DIR"):
        return Path(os.environ["NAKG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nakg"
