"""kill -9 at the instant of acknowledgement loses nothing, for Teams too: `innovation-bot serve` in a
process of its own, SIGKILLed the moment it answers 200 to a personal-chat message; after a restart
the message has been processed once and answered."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from sqlalchemy import select

from storage.db import make_engine, session_factory
from storage.inbound_store import SqlInbound
from storage.models import OutboxRow, ProcessedEventRow
from tests.adapters.slack.helpers import wait_for
from tests.adapters.slack.test_kill import server_process
from tests.adapters.teams.conftest import APP_ID, SAM_CHAT, TeamsBot
from tests.support.fake_teams import FakeTeams


def test_a_teams_message_acknowledged_as_the_server_dies_is_answered_after_the_restart(
        database_url: str, fake: FakeTeams, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    env = {"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "s3cret", "TEAMS_OPENID_METADATA_URL":
           fake.openid_metadata_url, "TEAMS_TOKEN_URL": fake.token_url}
    with server_process(database_url, env, log) as (base, process):
        bot = TeamsBot(None, base, fake)  # type: ignore[arg-type]
        response = bot.post(bot.activity(text="help"))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        bot.http.close()
    assert response.status_code == 200
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    try:
        with server_process(database_url, env, log):
            def done() -> bool:
                with sessions() as s:
                    outbox = s.scalars(select(OutboxRow.status)).all()
                    return SqlInbound(s).backlog() == 0 and bool(outbox) and set(outbox) == {"sent"}

            wait_for(done, timeout=90, what="the stored message to be processed and answered")
        with sessions() as s:
            assert len(s.scalars(select(ProcessedEventRow.event_id)).all()) == 1
    finally:
        engine.dispose()
    assert fake.posts(SAM_CHAT)  # answered (at least once: a send cut by the kill may repeat)
