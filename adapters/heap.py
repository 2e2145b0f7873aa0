"""Keeping Python's cycle collector off the objects a process builds once at start-up.

A long-running process holds hundreds of thousands of objects made at start-up (modules, SQLAlchemy's
mappings, the catalogue and its vectors, Bolt and the Teams SDK) that live as long as it does. Python's
oldest-generation collection walks all of them every time it runs: measured at 86–111 ms each in the web
process, several times a minute under load, with the event loop stopped throughout (every
acknowledgement waiting; docs/PERFORMANCE.md, "collection pauses"). ``gc.freeze`` moves what is alive
once start-up is done out of the collector's sight; what is made later is collected as before.
"""

from __future__ import annotations

import gc


def freeze_start_up() -> None:
    """Call once a process has built everything it keeps (the container, the app), before it serves."""
    gc.collect()  # start-up's own garbage is freed, not kept for ever
    gc.freeze()
