"""A database outage is logged once, then ever more rarely, and its end once; loops pause longer too."""

from __future__ import annotations

import logging

import pytest

from adapters.outage import MAX_PAUSE, OutageLog


def test_an_outage_is_said_once_then_at_a_slowing_rate(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    outage = OutageLog(logging.getLogger("test.outage"), "inbound event processing", clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="test.outage")
    pauses = []
    for _ in range(4 * 60 * 10):  # ten minutes of a loop trying four times a second
        pauses.append(outage.failed(OSError("connection refused")))
        now[0] += 0.25
    lines = [r for r in caplog.records if r.name == "test.outage"]
    # The first failure (with its traceback), then at 10, 30, 70, 150 and 310 s: six lines, not 2,400.
    assert len(lines) == 6
    assert "connection refused" in lines[0].getMessage() and lines[0].exc_info is not None
    assert all(r.exc_info is None and "still failing" in r.getMessage() for r in lines[1:])
    assert pauses[:5] == [0.25, 0.5, 1.0, 2.0, 4.0] and max(pauses) == MAX_PAUSE
    outage.recovered()
    outage.recovered()
    back = [r for r in caplog.records if "works again after" in r.getMessage()]
    assert len(back) == 1 and "2400 failed tries" in back[0].getMessage()
    assert outage.failed(OSError("again")) == 0.25  # a new outage starts afresh
