"""RDF stage: namespaces, IRIs and the records → triples transform."""
