"""YAML reading that remembers line numbers and refuses what a record file has no use for.

Records are read as plain data, and a file is checked before it is built into
Python objects:

* aliases (``*name``) are refused — expanding them can make a file of a few
  hundred bytes stand for an unbounded value (an "alias bomb");
* nesting deeper than :data:`MAX_DEPTH` is refused (records nest a few levels;
  the C parser would exhaust the stack on deeper input);
* mapping keys are text (field names), never numbers, lists or ``null``;
* numbers are read only in the forms a curator means: decimal integers without
  leading zeros and decimal or exponent floats (``.inf``/``.nan`` are read and
  refused by the checks). YAML 1.1's other forms (``1:30`` base 60, ``0x1F``,
  ``010`` octal, ``1_0``) stay text, so a field that needs a number says so,
  and ``true``/``false`` are the only booleans (``yes``, ``on``, ``no`` are text);
* duplicate keys are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Location, RecordError
from ..errors import shown as _short

__all__ = ["LineDict", "LineList", "read_yaml", "MAX_FILE_BYTES", "MAX_DEPTH"]

MAX_FILE_BYTES = 5 * 1024 * 1024
#: Collections nested deeper than this are refused.
MAX_DEPTH = 32


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
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a field name (text), got {type(key).__name__} {_short(key)}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{_short(key)}'", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_TAGS = {"int": "tag:yaml.org,2002:int", "float": "tag:yaml.org,2002:float", "bool": "tag:yaml.org,2002:bool"}


def _strict_resolvers() -> dict:
    """SafeLoader's implicit resolvers with YAML 1.1's number and boolean forms replaced by the strict ones."""
    out: dict = {}
    for first, items in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in items if tag not in _TAGS.values()]
        if kept:
            out[first] = kept
    for tag, rx, firsts in ((_TAGS["bool"], _BOOL, "tTfF"), (_TAGS["int"], _INT, "-+0123456789"),
                            (_TAGS["float"], _FLOAT, "-+0123456789."), (_TAGS["float"], _SPECIAL_FLOAT, "-+.")):
        for first in firsts:
            out.setdefault(first, []).append((tag, rx))
    return out


def _strict_scalar(kind: str, pattern, convert):
    def construct(loader, node):
        text = loader.construct_scalar(node)
        if not any(p.match(text) for p in pattern):
            raise yaml.constructor.ConstructorError(
                None, None, f"{kind} written as {_short(text)}: write numbers in decimal (YAML 1.1's octal, hex, base-60 "
                            "and 1_000 forms are not read)" if kind != "boolean" else
                            f"boolean written as {_short(text)}: write true or false", node.start_mark)
        return convert(text)
    return construct


_CONSTRUCTORS = {
    _TAGS["int"]: _strict_scalar("integer", (_INT,), int),
    _TAGS["float"]: _strict_scalar("number", (_FLOAT, _SPECIAL_FLOAT), lambda t: float(t.replace(".", "", 1))
                                   if _SPECIAL_FLOAT.match(t) else float(t)),
    _TAGS["bool"]: _strict_scalar("boolean", (_BOOL,), lambda t: t.lower() == "true"),
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG: _construct_mapping,
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG: _construct_sequence,
}
_Loader.yaml_implicit_resolvers = _strict_resolvers()
for _tag, _fn in _CONSTRUCTORS.items():
    _Loader.add_constructor(_tag, _fn)

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """libyaml's parser with the same resolvers and constructors (about 4× faster).

        A scalar's tag depends only on its text and how it was quoted: each is
        resolved once per file (record files repeat their keys and values).
        """

        def __init__(self, stream):
            super().__init__(stream)
            self._tags: dict = {}

        def resolve(self, kind, value, implicit):
            if kind is not yaml.ScalarNode:
                return super().resolve(kind, value, implicit)
            key = (value, implicit)
            tag = self._tags.get(key)
            if tag is None:
                tag = self._tags[key] = super().resolve(kind, value, implicit)
            return tag

    _FastLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _Loader.yaml_implicit_resolvers.items()}
    for _tag, _fn in _CONSTRUCTORS.items():
        _FastLoader.add_constructor(_tag, _fn)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = _Loader


def _prescan(text: str, loader=None) -> None:
    """Refuse aliases and deep nesting from the event stream, before any node or object is built.

    Where libyaml stops with an error, the events are read again by PyYAML's own
    parser (``_Loader``), which reads nesting without a limit and without
    recursion: libyaml 0.2.5's own nesting limit (in PyYAML 6.0.4's wheels) stops
    its scanner before the 33rd level is reached, and the pure-Python loader that
    reports syntax errors would then recurse once per level.
    """
    depth = 0
    events = yaml.parse(text, Loader=loader or _FastLoader)
    while True:
        try:
            event = next(events)
        except StopIteration:
            return
        except yaml.YAMLError:
            if loader is None and _FastLoader is not _Loader:
                return _prescan(text, _Loader)
            return  # a syntax error: the loader reports it with its own message
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{_short(event.anchor, 40)}) are not allowed in records: write the value out",
                event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels (records nest a few levels)", event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _load(text: str):
    """Parse with libyaml; on any error parse again with the pure-Python loader, whose messages are the reference."""
    _prescan(text)
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        pass
    except Exception:  # noqa: BLE001 - e.g. an unhashable key: let the reference loader raise it
        pass
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except RecursionError:  # pragma: no cover - the pre-scan refuses deep nesting first
        raise yaml.YAMLError(f"nested deeper than {MAX_DEPTH} levels (records nest a few levels)") from None


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
