"""Incremental rebuilds: after some record files change, a build recompiles, revalidates and rewrites only what
they change, and writes the same bytes as a clean build."""


class FullBuild(Exception):
    """An incremental rebuild cannot show that its outputs would equal a full build's; the message says why."""
