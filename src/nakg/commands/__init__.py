"""Command modules of the ``nakg`` CLI, one per area; :mod:`nakg.cli` adds their click commands to the group.

Each module imports only click at import time, so ``nakg --help`` stays fast.
"""
