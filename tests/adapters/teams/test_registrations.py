"""One deployment, several bot registrations: each force tenant has its own single-tenant app (one with a
client secret, one a user-assigned managed identity here), over real HTTP with real JWTs.

An officer in each tenant shares an idea; each idea reaches its own force's broker; every call to the
connector carries the token of the registration that serves that tenant; a token for app A presented
with tenant B's activity is a 401 and changes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from sqlalchemy import func, select

from adapters.settings import ConfigurationError, Settings
from adapters.teams.registrations import load_registrations
from adapters.web import create_app
from bot.domain import PersonRef, Role
from bot.i18n import Translator
from storage.models import ConversationRow, OutboxRow, ProcessedEventRow
from tests.adapters.teams.conftest import TeamsBot, find_button, texts
from tests.conftest import make_container
from tests.support.fake_teams import FakeTeams
from tests.support.server import serve
from tests.test_review import ONE_SHOT

t = Translator()
APP_KENT, TENANT_KENT = "aaaaaaaa-0000-4000-8000-00000000000a", "tenant-kent"
APP_LANCS, TENANT_LANCS = "bbbbbbbb-0000-4000-8000-00000000000b", "tenant-lancs"
IDEA = ONE_SHOT  # says what, why and how far along: one message reaches the summary


class Tenant:
    def __init__(self, app_id: str, tenant: str, force: str, officer: str, broker: str) -> None:
        self.app_id, self.tenant, self.force = app_id, tenant, force
        self.officer = {"id": f"29:{officer}", "name": f"PC {officer.title()}", "aadObjectId": f"aad-{officer}"}
        self.broker = {"id": f"29:{broker}", "name": f"{broker.title()} Broker", "aadObjectId": f"aad-{broker}"}
        self.officer_chat, self.broker_chat = f"a:chat-{officer}", f"a:chat-{broker}"

    def activity(self, fake: FakeTeams, type_: str = "message", *, broker: bool = False, tenant: str | None = None,
                 **fields: Any) -> dict[str, Any]:
        tenant = tenant or self.tenant
        sender = self.broker if broker else self.officer
        chat = self.broker_chat if broker else self.officer_chat
        return {"type": type_, "id": f"act-{uuid.uuid4().hex[:10]}", "channelId": "msteams",
                "serviceUrl": fake.base_url, "timestamp": datetime.now(UTC).isoformat(), "locale": "en-GB",
                "from": sender, "recipient": {"id": f"28:{self.app_id}", "name": "Innovation Network"},
                "conversation": {"id": chat, "conversationType": "personal", "tenantId": tenant},
                "channelData": {"tenant": {"id": tenant}}, **fields}


KENT = Tenant(APP_KENT, TENANT_KENT, "kent", "kim", "kay")
LANCS = Tenant(APP_LANCS, TENANT_LANCS, "lancashire", "lee", "lou")


@pytest.fixture
def two_tenants(sqlite_url: str, fake: FakeTeams, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsBot]:
    # Lancashire's registration is a managed identity: MSAL finds App Service's identity endpoint in the
    # environment, as it would on Azure, here pointing at the fake.
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"{fake.base_url}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", fake.identity_header)
    monkeypatch.setenv("KENT_TEAMS_SECRET", "kent-s3cret")
    registrations = [{"app_id": APP_KENT, "tenant_id": TENANT_KENT, "client_secret_env": "KENT_TEAMS_SECRET"},
                     {"app_id": APP_LANCS, "tenant_id": TENANT_LANCS, "managed_identity": True}]
    container = make_container(sqlite_url, teams_registrations=json.dumps(registrations), playground=False,
                               teams_openid_metadata_url=fake.openid_metadata_url, teams_token_url=fake.token_url)
    with serve(create_app(container)) as url:
        bot = TeamsBot(container, url, fake)
        yield bot
        bot.http.close()
    container.engine.dispose()


def post(bot: TeamsBot, activity: dict[str, Any], app_id: str) -> int:
    token = bot.fake.token_for(app_id, service_url=activity["serviceUrl"])
    response = bot.http.post(f"{bot.url}/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def set_up(bot: TeamsBot, place: Tenant) -> None:
    for broker in (False, True):
        install = place.activity(bot.fake, "conversationUpdate", broker=broker,
                                 membersAdded=[{"id": f"28:{place.app_id}"}])
        assert post(bot, install, place.app_id) == 200
    with bot.container.uow_factory() as uow:
        uow.people.map_tenant("teams", place.tenant, place.force)
        broker = uow.people.ensure(PersonRef("teams", place.tenant, str(place.broker["aadObjectId"])),
                                   display_name=str(place.broker["name"]), at=datetime.now(UTC))
        uow.people.grant(broker.person_id, Role.BROKER, place.force)
        uow.commit()


def last_card(bot: TeamsBot, chat: str) -> dict[str, Any]:
    for activity in reversed(bot.sent(chat)):
        if activity.get("attachments"):
            content: dict[str, Any] = activity["attachments"][0]["content"]
            return content
    raise AssertionError(f"no card was sent to {chat}")


async def share(bot: TeamsBot, place: Tenant) -> None:
    assert post(bot, place.activity(bot.fake, text=IDEA), place.app_id) == 200
    await bot.deliver()
    verb, data = find_button(last_card(bot, place.officer_chat), t("button.submit"))
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    assert post(bot, place.activity(bot.fake, "invoke", name="adaptiveCard/action", value=value), place.app_id) == 200
    await bot.deliver()


async def test_each_tenant_reaches_its_own_broker_with_its_own_registration(two_tenants: TeamsBot) -> None:
    bot, fake = two_tenants, two_tenants.fake
    set_up(bot, KENT)
    set_up(bot, LANCS)
    await bot.deliver()
    await share(bot, KENT)
    await share(bot, LANCS)

    kent_card = texts({"attachments": [{"content": last_card(bot, KENT.broker_chat)}]})
    lancs_card = texts({"attachments": [{"content": last_card(bot, LANCS.broker_chat)}]})
    assert any("Kent Police" in x for x in kent_card) and not any("Lancashire" in x for x in kent_card)
    assert any("Lancashire Constabulary" in x for x in lancs_card) and not any("Kent" in x for x in lancs_card)
    assert any("Kay Broker, the innovation broker for Kent Police" in x
               for a in bot.sent(KENT.officer_chat) for x in texts(a))
    assert any("Lou Broker, the innovation broker for Lancashire Constabulary" in x
               for a in bot.sent(LANCS.officer_chat) for x in texts(a))

    # Every reply carries the token of the registration serving its tenant: Kent's from Kent's own
    # tenant endpoint (single-tenant authority), Lancashire's from the managed identity.
    calls = [c for c in fake.calls if c.path.startswith("/v3/conversations/")]
    kent_chats, lancs_chats = (KENT.officer_chat, KENT.broker_chat), (LANCS.officer_chat, LANCS.broker_chat)
    for call in calls:
        auth = call.headers["authorization"]
        if any(chat in call.path for chat in kent_chats):
            assert auth.startswith(f"Bearer fake-{TENANT_KENT}-{APP_KENT}-"), call.path
        else:
            assert any(chat in call.path for chat in lancs_chats), call.path
            assert jwt.decode(auth.removeprefix("Bearer "), options={"verify_signature": False})["appid"] == APP_LANCS
    secret_tokens = [i for i in fake.tokens_issued if i["tenant"] != "managed-identity"]
    assert secret_tokens and all(i["tenant"] == TENANT_KENT and i["client_id"] == APP_KENT
                                 and i["client_secret"] == "kent-s3cret" for i in secret_tokens)
    assert any(i["tenant"] == "managed-identity" and i["client_id"] == APP_LANCS for i in fake.tokens_issued)


async def test_a_token_for_one_app_with_another_tenants_activity_is_refused(two_tenants: TeamsBot) -> None:
    bot, fake = two_tenants, two_tenants.fake
    crossed = KENT.activity(fake, text=IDEA, tenant=TENANT_LANCS)  # Kent's app, Lancashire's tenant
    assert post(bot, crossed, APP_KENT) == 401
    unknown = KENT.activity(fake, text=IDEA)
    assert post(bot, unknown, "cccccccc-0000-4000-8000-00000000000c") == 401  # no such registration
    with bot.container.sessions() as s:
        for model in (ProcessedEventRow, ConversationRow, OutboxRow):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__tablename__
    # The same activity under its own app's token goes through: the refusals were about the pairing.
    assert post(bot, KENT.activity(fake, text="help"), APP_KENT) == 200


def test_registrations_are_checked_at_start_with_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(value: str, **more: object) -> object:
        return load_registrations(Settings(teams_registrations=value, **more))  # type: ignore[arg-type]

    monkeypatch.delenv("MISSING_SECRET", raising=False)
    cases = {
        "not json": "not valid JSON",
        '[{"tenant_id": "t1", "client_secret": "x"}]': "registration 1: app_id is missing",
        '[{"app_id": "a", "tenant_id": "t1"}]': "exactly one of client_secret",
        '[{"app_id": "a", "tenant_id": "t1", "client_secret_env": "MISSING_SECRET"}]': "MISSING_SECRET is not set",
        '[{"app_id": "a", "tenant_id": "t1", "client_secret": "x", "colour": "blue"}]': "unknown field 'colour'",
        '[{"app_id": "a", "tenant_id": "t1", "client_secret": "x"}, {"app_id": "A", "tenant_id": "t2", '
        '"managed_identity": true}]': "app id A is listed twice",
        '[{"app_id": "a", "tenant_id": "t1", "client_secret": "x"}, {"app_id": "b", "tenant_id": "t1", '
        '"managed_identity": true}]': "tenant t1 has two registrations",
    }
    for value, message in cases.items():
        with pytest.raises(ConfigurationError) as caught:
            load(value)
        assert message in str(caught.value) and "\n" not in str(caught.value), value

    # The single-registration variables still work, beside a list.
    both = load('[{"app_id": "a", "tenant_id": "t1", "client_secret": "x"}]', teams_app_id="b",
                teams_app_password="y", teams_tenant_id="t2")
    assert [(r.app_id, r.tenant_id, r.credential) for r in both] == [("a", "t1", "secret"), ("b", "t2", "secret")]
    assert [r.token_url for r in both] == ["https://login.microsoftonline.com/t1/oauth2/v2.0/token",
                                           "https://login.microsoftonline.com/t2/oauth2/v2.0/token"]


def test_a_registrations_file_keeps_secrets_out_of_it(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "registrations.json"
    path.write_text(json.dumps([{"app_id": "a", "tenant_id": "t1", "client_secret_env": "T1_SECRET", "label": "Kent"},
                                {"app_id": "b", "tenant_id": "t2", "managed_identity": True}]))
    monkeypatch.setenv("T1_SECRET", "from-the-vault")
    found = load_registrations(Settings(teams_registrations_file=str(path)))  # type: ignore[call-arg]
    assert found.for_tenant("T1") is not None and found.for_tenant("t1").client_secret == "from-the-vault"  # type: ignore[union-attr]
    assert found.for_audience("api://botid-b").credential == "managed-identity"  # type: ignore[union-attr]
    assert found.for_tenant("t3") is None  # no multi-tenant registration: nobody serves t3


def test_every_registrations_secret_is_redacted_from_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.logs import secret_values

    monkeypatch.setenv("T2_SECRET", "t2-secret-from-env")
    value = json.dumps([{"app_id": "a", "tenant_id": "t1", "client_secret": "t1-inline-secret"},
                        {"app_id": "b", "tenant_id": "t2", "client_secret_env": "T2_SECRET"}])
    found = secret_values(Settings(teams_registrations=value))  # type: ignore[call-arg]
    assert {"t1-inline-secret", "t2-secret-from-env"} <= set(found)


def test_each_registration_gets_its_own_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    from adapters.cli import main

    monkeypatch.setenv("TEAMS_REGISTRATIONS", json.dumps([
        {"app_id": APP_KENT, "tenant_id": TENANT_KENT, "client_secret": "x"},
        {"app_id": APP_LANCS, "tenant_id": TENANT_LANCS, "managed_identity": True}]))
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--app-id" in err and APP_KENT in err and APP_LANCS in err
    out = tmp_path / "lancs.zip"
    assert main(["teams-package", "--out", str(out), "--app-id", APP_LANCS]) == 0
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["id"] == APP_LANCS and manifest["bots"][0]["botId"] == APP_LANCS
