"""Load a GraphML or DOT export with graph-tool and print what it saw as JSON.

Run with the Python that has graph-tool (Debian's ``python3-graph-tool`` is for
``/usr/bin/python3``): ``python3 tests/readers/graph_tool_read.py FILE graphml|dot``.
"""

import json
import sys


def main() -> None:
    import graph_tool

    path, fmt = sys.argv[1], sys.argv[2]
    g = graph_tool.load_graph(path, fmt=fmt)
    names = "_graphml_vertex_id" if fmt == "graphml" else "vertex_name"
    print(json.dumps({
        "reader": "graph-tool", "version": graph_tool.__version__.split(" ")[0],
        "directed": bool(g.is_directed()), "nodes": int(g.num_vertices()), "edges": int(g.num_edges()),
        "node_attributes": {k: v.value_type() for k, v in g.vp.items()},
        "edge_attributes": {k: v.value_type() for k, v in g.ep.items()},
        "graph_attributes": sorted(g.gp.keys()),
        "labels": {g.vp[names][v]: g.vp["label"][v] for v in g.vertices()},
    }))


if __name__ == "__main__":
    main()
