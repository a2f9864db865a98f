"""Serving the graph: a read-only SPARQL 1.1 endpoint with a query page (``nakg serve``).

The parts, from the network inwards:

* :mod:`~nakg.serve.server` — the HTTP server (standard library), routes, the
  SPARQL 1.1 Protocol, request limits, security headers;
* :mod:`~nakg.serve.pool` — worker processes that run the queries, so a query
  that overruns its time limit can be stopped by killing its process;
* :mod:`~nakg.serve.engine` — what a worker does with one request: check,
  run on its Oxigraph store, cap, serialise;
* :mod:`~nakg.serve.policy` — the parse-tree checks that refuse updates,
  ``SERVICE`` and remote ``FROM``;
* :mod:`~nakg.serve.results` — content negotiation and result formats;
* :mod:`~nakg.serve.page` — the HTML query page.

>>> ServeConfig().host
'127.0.0.1'
"""

from .server import ServeConfig, ServeError, Server

__all__ = ["ServeConfig", "ServeError", "Server"]
