"""Exports of the knowledge graph to the tools people use.

One module per format, looked up in the registry :data:`EXPORTERS` (format name →
:class:`Exporter`); :func:`export` is the entry point. Every exporter takes the
knowledge graph, a view (``whole``, ``lineage``, ``dopant-host``, ``cells`` or
``family:<key>``) and a path, and writes atomically.

* RDF (:mod:`~nakg.export.rdfview`): ``turtle``, ``ntriples``, ``jsonld``, ``owl-rdfxml``.
* Graph viewers (:mod:`~nakg.export.projection`): ``graphml``, ``gexf``, ``cyjs``,
  ``graphology``, ``dot``, ``neo4j`` (a folder), ``kgx`` (a folder).
* The offline explorer (:mod:`~nakg.export.html`): ``html``.

>>> sorted(EXPORTERS)
['cyjs', 'dot', 'gexf', 'graphml', 'graphology', 'html', 'jsonld', 'kgx', 'neo4j', 'ntriples', 'owl-rdfxml', 'turtle']
"""

from .registry import EXPORTERS, VIEW_NAMES, Exporter, ExportError, ExportResult, default_output, export, get_exporter


def export_html(kg, path, view: str = "whole"):
    """Write the offline HTML explorer (see :func:`nakg.export.html.export_html`)."""
    from .html import export_html as _export_html

    return _export_html(kg, path, view)


__all__ = ["EXPORTERS", "VIEW_NAMES", "Exporter", "ExportError", "ExportResult", "default_output", "export",
           "export_html", "get_exporter"]
