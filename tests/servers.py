"""Starting real servers on loopback for tests: a free port, and waiting until it answers (shared with the
benchmarks, ``evals/servers.py``)."""

from __future__ import annotations

from evals.servers import free_port, wait_for_port

__all__ = ["free_port", "wait_for_port"]
