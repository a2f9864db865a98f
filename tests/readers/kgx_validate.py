"""Validate a KGX export with kgx against the Biolink model shipped in the ``biolink-model`` package, offline.

Run with the Python that has kgx (``.ci/run`` makes ``build/kgx-venv``):
``build/kgx-venv/bin/python tests/readers/kgx_validate.py FOLDER`` (kgx pins
versions of numpy, pandas and pyarrow that nakg does not share, so it has a
virtualenv of its own). Prints JSON: the
kgx and Biolink versions, the node and edge counts of kgx's graph store and of a
streamed transform, and the validator's errors by level and type.

kgx fetches the Biolink model and its JSON-LD context from GitHub when it starts;
here both come from the installed ``biolink-model`` package instead, and the
context is extended with the export's own ``prefix_map.json`` (the CURIE prefixes
of its ids).
"""

import json
import logging
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path


def main() -> None:
    import biolink_model
    import bmt

    folder = Path(sys.argv[1])
    package = Path(list(biolink_model.__path__)[0])
    bmt.Toolkit.__init__.__defaults__ = (str(package / "schema" / "biolink_model.yaml"), {"predicate mappings": []})
    import kgx.config

    own = json.loads((folder / "prefix_map.json").read_text(encoding="utf-8"))
    context = {**json.loads((package / "prefixmaps" / "biolink_model_prefix_map.json").read_text(encoding="utf-8")), **own}
    logging.getLogger("KGX").setLevel(logging.ERROR)  # its warnings go to stdout, where the JSON goes
    kgx.config.jsonld_context_map.update({"biolink": context, "monarch_context": {}, "obo_context": {}})
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    files = [str(folder / "nodes.tsv"), str(folder / "edges.tsv")]
    validator = Validator()
    store = Transformer(stream=False)
    store.transform(input_args={"filename": files, "format": "tsv", "prefix_map": own}, inspector=validator)
    errors = {level: {kind: {message: len(set(ids)) for message, ids in messages.items()} for kind, messages in kinds.items()}
              for level, kinds in validator.get_errors().items()}
    with tempfile.TemporaryDirectory() as tmp:
        Transformer(stream=True).transform(input_args={"filename": files, "format": "tsv", "prefix_map": own},
                                           output_args={"filename": f"{tmp}/out", "format": "tsv"})
        streamed = {kind: sum(1 for _ in open(f"{tmp}/out_{kind}.tsv", encoding="utf-8")) - 1 for kind in ("nodes", "edges")}
    print(json.dumps({
        "reader": "kgx", "version": version("kgx"), "biolink_model": bmt.Toolkit().get_model_version(),
        "nodes": store.store.graph.number_of_nodes(), "edges": store.store.graph.number_of_edges(),
        "streamed_nodes": streamed["nodes"], "streamed_edges": streamed["edges"], "errors": errors,
    }))


if __name__ == "__main__":
    main()
