"""Where nakg keeps what it computed once: the user cache folder, and the fingerprint of the code behind it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["cache_dir", "fingerprint"]


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


def fingerprint(h, modules: tuple[str, ...], packages: tuple[str, ...]) -> None:
    """Feed the hash ``h`` with the source of these nakg modules (a ``.py`` file or a subpackage, named relative to
    the package) and the installed versions of these distributions: what a cached result depends on besides its
    own inputs."""
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).resolve().parent
    for name in modules:
        for f in sorted((here / name).rglob("*.py")) if (here / name).is_dir() else [here / name]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    for package in packages:
        try:
            h.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:  # pragma: no cover
            h.update(package.encode())
