"""The offline explorer: one self-contained HTML page to search, filter and browse a view of the graph.

The page is assembled by :mod:`nakg.export.html` from the files of this package:
``template.html``, ``explorer.css`` and ``explorer.js`` (the project's own code,
no third-party library), with the data of :mod:`.data` embedded as JSON and the
positions computed by :mod:`.layout`.
"""
