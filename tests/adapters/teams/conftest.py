"""Teams tests: the real web app (with the real Teams SDK) over real HTTP, a fake Microsoft side, and
JWTs signed with a key generated for the test run."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, or_, select

from adapters.bootstrap import Container
from adapters.web import create_app
from storage.inbound_store import SqlInbound
from storage.models import OutboxRow
from tests.conftest import make_container
from tests.support.fake_teams import FakeTeams, new_key
from tests.support.server import serve

APP_ID = "1b2c3d4e-0000-4000-8000-123456789abc"
BOT = f"28:{APP_ID}"
TENANT = "tenant-kent-0001"
SAM = {"id": "29:sam-teams-id", "name": "PC Sam Taylor", "aadObjectId": "aad-sam"}
SAM_CHAT = "a:personal-chat-with-sam"
TEAM = "19:team-general@thread.tacv2"
_KEY = new_key()  # one RSA key for the run: generating one per test is slow


@pytest.fixture
def fake() -> Iterator[FakeTeams]:
    fake = FakeTeams(key=_KEY)
    with serve(fake.app()) as url:
        fake.base_url = url
        yield fake


def teams_settings(fake: FakeTeams, **extra: object) -> dict[str, object]:
    return {"teams_app_id": APP_ID, "teams_app_password": "s3cret", "teams_openid_metadata_url":
            fake.openid_metadata_url, "teams_token_url": fake.token_url, "playground": False, **extra}


class TeamsBot:
    """The bot as Teams sees it: post signed activities, read what reached the fake connector."""

    def __init__(self, container: Container, url: str, fake: FakeTeams) -> None:
        self.container, self.url, self.fake = container, url, fake
        self.http = httpx.Client(timeout=30)

    # --- inbound -----------------------------------------------------------------------------------

    def activity(self, type_: str = "message", *, conversation: dict[str, Any] | None = None,
                 sender: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        return {"type": type_, "id": f"act-{uuid.uuid4().hex[:10]}", "channelId": "msteams",
                "serviceUrl": self.fake.base_url, "timestamp": datetime.now(UTC).isoformat(), "locale": "en-GB",
                "from": sender or SAM, "recipient": {"id": BOT, "name": "Innovation Network"},
                "conversation": conversation or {"id": SAM_CHAT, "conversationType": "personal", "tenantId": TENANT},
                "channelData": {"tenant": {"id": TENANT}}, **fields}

    def post(self, activity: dict[str, Any] | str, *, token: str | None = "valid") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if token == "valid":
            service_url = activity.get("serviceUrl") if isinstance(activity, dict) else None
            token = self.fake.token_for(APP_ID, service_url=service_url)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        content = activity if isinstance(activity, str) else httpx.Request("POST", "/", json=activity).content
        return self.http.post(f"{self.url}/api/messages", content=content, headers=headers)

    async def say(self, text: str, **fields: Any) -> httpx.Response:
        """A personal-chat message; its replies are delivered before the next turn, as in a real chat."""
        response = self.post(self.activity(text=text, **fields))
        assert response.status_code == 200, response.text
        await self.deliver()
        return response

    async def execute(self, verb: str, data: dict[str, Any]) -> httpx.Response:
        """An ``Action.Execute`` click: the ``adaptiveCard/action`` invoke."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        response = self.post(self.activity("invoke", name="adaptiveCard/action", value=value))
        await self.deliver()
        return response

    async def submit(self, data: dict[str, Any]) -> httpx.Response:
        """An ``Action.Submit`` click: a message carrying the button's data as ``value``."""
        response = self.post(self.activity(value=data))
        assert response.status_code == 200, response.text
        await self.deliver()
        return response

    def install_personal(self) -> httpx.Response:
        return self.post(self.activity("conversationUpdate", membersAdded=[{"id": BOT}]))

    def install_team(self, team_id: str = TEAM, name: str = "Innovation brokers") -> httpx.Response:
        conversation = {"id": team_id, "conversationType": "channel", "tenantId": TENANT, "isGroup": True}
        channel_data = {"tenant": {"id": TENANT}, "eventType": "teamMemberAdded",
                        "team": {"id": team_id, "name": name, "aadGroupId": "group-1"}, "channel": {"id": team_id}}
        return self.post(self.activity("conversationUpdate", conversation=conversation, membersAdded=[{"id": BOT}],
                                       channelData=channel_data))

    # --- outbound ----------------------------------------------------------------------------------

    async def deliver(self, timeout: float = 20) -> None:
        """Wait for the stored activities to be processed, and run the outbox until nothing is due or in
        flight (the app's own worker and dispatcher run too)."""
        deadline = time.monotonic() + timeout
        while True:
            await self.container.dispatcher.run_once()
            if not self._busy():
                return
            if time.monotonic() > deadline:
                raise AssertionError("the outbox did not settle")
            await asyncio.sleep(0.05)

    def _busy(self) -> int:
        """Activities stored and not yet processed (the inbound worker), or messages due to leave."""
        now = datetime.now(UTC)
        with self.container.sessions() as s:
            if SqlInbound(s).backlog() or self.container.inbound.busy:
                return 1
            return int(s.scalar(select(func.count()).select_from(OutboxRow).where(or_(
                OutboxRow.status == "sending", (OutboxRow.status == "pending") & (OutboxRow.next_attempt_at <= now))))
                or 0)

    def sent(self, conversation_id: str = SAM_CHAT) -> list[dict[str, Any]]:
        return [c.body for c in self.fake.posts(conversation_id)]

    def last_card(self, conversation_id: str = SAM_CHAT) -> dict[str, Any]:
        for activity in reversed(self.sent(conversation_id)):
            if activity.get("attachments"):
                content: dict[str, Any] = activity["attachments"][0]["content"]
                return content
        raise AssertionError("no card was sent")


def texts(activity: dict[str, Any]) -> list[str]:
    """Every piece of text in an activity: its text, its cards' TextBlocks, facts and button titles."""
    found: list[str] = [activity["text"]] if activity.get("text") else []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str) and node.get("type") != "Action.Submit":
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for attachment in activity.get("attachments", []):
        walk(attachment["content"])
    return found


def find_button(card: dict[str, Any], title: str) -> tuple[str, dict[str, Any]]:
    """(verb, data) of the Action.Execute titled ``title``, or of the drop-down list offering ``title``."""
    inputs: dict[str, str] = {}

    def walk(node: Any) -> tuple[str, dict[str, Any]] | None:
        if isinstance(node, dict):
            if node.get("type") == "Input.ChoiceSet":
                for choice in node["choices"]:
                    if choice["title"] == title:
                        inputs[node["id"]] = choice["value"]
            if node.get("type") == "Action.Execute" and (node["title"] == title or node["data"].get("input") in inputs):
                data = dict(node["data"])
                if data.get("input") in inputs:
                    data[data["input"]] = inputs[data["input"]]
                return node["verb"], data
            for value in node.values():
                if (hit := walk(value)) is not None:
                    return hit
        elif isinstance(node, list):
            for item in node:
                if (hit := walk(item)) is not None:
                    return hit
        return None

    hit = walk(card)
    if hit is None:
        raise AssertionError(f"no {title!r} button in the card")
    return hit


def _bot(url: str, fake: FakeTeams, **settings: object) -> Iterator[TeamsBot]:
    container = make_container(url, **teams_settings(fake, **settings))
    with serve(create_app(container)) as bot_url:
        bot = TeamsBot(container, bot_url, fake)
        yield bot
        bot.http.close()
    container.engine.dispose()


@pytest.fixture
def teams(sqlite_url: str, fake: FakeTeams) -> Iterator[TeamsBot]:
    yield from _bot(sqlite_url, fake)


@pytest.fixture
def teams_on_every_db(database_url: str, fake: FakeTeams) -> Iterator[TeamsBot]:
    yield from _bot(database_url, fake)
