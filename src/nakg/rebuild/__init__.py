"""Incremental rebuilds: after some record files change, a build recompiles, revalidates and rewrites only what
they change, and writes the same bytes as a clean build."""
