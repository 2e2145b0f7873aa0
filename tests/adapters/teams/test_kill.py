"""kill -9 at the instant of acknowledgement loses nothing, for Teams too: `innovation-bot serve` in a
process of its own, SIGKILLed the moment it answers 200 to a personal-chat message; after a restart
the message has been processed once and answered. And a card click (an invoke, answered by its own
request) whose server dies between storing it and finishing it is decided once after the restart."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import httpx
from sqlalchemy import select, text

from bot.i18n import Translator
from storage.db import make_engine, session_factory
from storage.inbound_store import SqlInbound
from storage.models import InboundEventRow, OutboxRow, ProcessedEventRow
from tests.adapters.slack.helpers import wait_for
from tests.adapters.slack.test_kill import server_process
from tests.adapters.teams.conftest import APP_ID, SAM_CHAT, TeamsBot, find_button
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


def test_a_card_click_whose_server_dies_mid_decision_is_decided_once_after_the_restart(
        postgres_url: str, fake: FakeTeams, tmp_path: Path) -> None:
    """kill -9 between an invoke's record and its finish (the decision held up by a lock on
    processed_events, so the kill lands there every time: PostgreSQL): after the restart the worker
    takes the stored click over once its lease has lapsed, decides it once and answers the card
    through the outbox; a late retry of the click from Teams is answered with the card and decides
    nothing again."""
    log = tmp_path / "server.log"
    env = {"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "s3cret", "TEAMS_OPENID_METADATA_URL":
           fake.openid_metadata_url, "TEAMS_TOKEN_URL": fake.token_url}
    engine = make_engine(postgres_url)
    sessions = session_factory(engine)

    def settled() -> bool:
        with sessions() as s:
            outbox = s.scalars(select(OutboxRow.status)).all()
            return SqlInbound(s).backlog() == 0 and bool(outbox) and set(outbox) == {"sent"}

    try:
        with server_process(postgres_url, env, log) as (base, process):
            bot = TeamsBot(None, base, fake)  # type: ignore[arg-type]
            assert bot.install_personal().status_code == 200
            wait_for(settled, timeout=60, what="the welcome card")
            verb, data = find_button(bot.last_card(), Translator()("button.start"))
            value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
            invoke = bot.activity("invoke", name="adaptiveCard/action", value=value)
            with engine.connect() as lock:
                lock.execute(text("LOCK TABLE processed_events IN SHARE ROW EXCLUSIVE MODE"))
                answers: list[object] = []
                click = threading.Thread(target=lambda: answers.append(_post_quietly(bot, invoke)))
                click.start()

                def held() -> bool:
                    with sessions() as s:
                        return s.scalars(select(InboundEventRow.status)).all() == ["working"]

                wait_for(held, timeout=30, what="the click to be stored, held by its request")
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
                lock.rollback()
            click.join(timeout=30)
            bot.http.close()
        assert answers and not isinstance(answers[0], int), "the dying server answered the click"
        assert not fake.updates()
        with server_process(postgres_url, env, log) as (base, _):
            wait_for(settled, timeout=90, what="the stored click to be taken over once its lease lapsed")
            # Nobody heard an answer: the worker answered the clicked card through the outbox, once.
            assert len(fake.updates()) == 1 and "Action.Execute" not in str(fake.updates()[0].body)
            bot = TeamsBot(None, base, fake)  # type: ignore[arg-type]
            retry = bot.post(invoke)  # Teams' own retry of the click, late: answered, not decided again
            assert retry.status_code == 200 and retry.json()["type"] == "application/vnd.microsoft.card.adaptive"
            wait_for(settled, timeout=30, what="the retry to settle")
            bot.http.close()
        with sessions() as s:
            decided = s.scalars(select(ProcessedEventRow.event_id).where(
                ProcessedEventRow.event_id == f"teams:{invoke['id']}")).all()
            posts = s.scalars(select(OutboxRow.payload).where(OutboxRow.kind == "post")).all()
        assert len(decided) == 1
        assert len(posts) == 2, "the welcome and one answer to the click: decided once"
        assert len(fake.updates()) == 1
    finally:
        engine.dispose()


def _post_quietly(bot: TeamsBot, activity: dict[str, object]) -> object:
    """The status of the answer, or the error of a request whose server died."""
    try:
        return bot.post(activity).status_code
    except httpx.HTTPError as exc:
        return exc
