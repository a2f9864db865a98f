"""YAML reading that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Location, RecordError

__all__ = ["LineDict", "LineList", "read_yaml", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 5 * 1024 * 1024


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


# YAML 1.1 reads 1e-5 (no dot) as a string; curators write it that way, so read it as a float.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+$"),
    list("-+0123456789."),
)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """libyaml's parser with the same resolvers and constructors (about 4× faster)."""

    _FastLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _Loader.yaml_implicit_resolvers.items()}
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = _Loader


def _load(text: str):
    """Parse with libyaml; on any error parse again with the pure-Python loader, whose messages are the reference."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        pass
    except Exception:  # noqa: BLE001 - e.g. an unhashable key: let the reference loader raise it
        pass
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass


def read_yaml(path: Path, display: str) -> LineDict:
    """Read one record file; raise :class:`RecordError` naming the file and line on any problem."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise RecordError(f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit", Location(display), "too_large")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecordError(f"file is not UTF-8 (byte {exc.start})", Location(display, line=line), "encoding") from exc
    if not text.strip():
        raise RecordError("file is empty", Location(display, line=1), "empty")
    try:
        data = _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RecordError(f"malformed YAML: {exc.problem or exc}", Location(display, line=line), "yaml") from exc
    except yaml.YAMLError as exc:
        raise RecordError(f"malformed YAML: {exc}", Location(display), "yaml") from exc
    if not isinstance(data, LineDict):
        raise RecordError("top level must be a mapping of record kinds to lists", Location(display, line=1), "structure")
    return data
