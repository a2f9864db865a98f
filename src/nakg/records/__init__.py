"""Curated records stage: YAML files → validated, typed records."""

from .loader import RecordSet, load_records
from .model import Prov, Record

__all__ = ["RecordSet", "Record", "Prov", "load_records"]
