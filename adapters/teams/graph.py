"""Optional Microsoft Graph features, through ``msgraph-sdk`` (``pip install '.[graph]'``).

* **force from profile**: a person whose force is unknown (and whose tenant is not mapped to one) gets
  the force their Entra profile names in ``companyName``, ``department`` or ``officeLocation`` — the
  summary card shows it, and they can change it;
* **activity-feed notices**: ``notify_feed`` queues a Teams activity-feed notice (for example to a
  broker about a new idea); the outbox sends it through Graph, so it is retried like any message.

Off unless ``GRAPH_ENABLED`` is true *and* msgraph-sdk is installed; the bot works the same without.
The app needs the application permissions ``User.Read.All`` and ``TeamsActivity.Send`` (admin consent
per tenant). Tokens come from the tenant's own token endpoint; ``GRAPH_BASE_URL`` points elsewhere for
sovereign clouds and tests.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from adapters.send_failures import PermanentFailure, RetryLater
from adapters.settings import Settings
from adapters.teams.registrations import Registrations, token_url
from adapters.teams.tokens import TokenSource, token_source
from bot.codec import reply_to_json
from bot.conversation.drafting import pick_force
from bot.domain import Force, PersonRef, Platform
from bot.ports import UnitOfWork
from bot.queues import OutboxMessage
from bot.replies import Text

if TYPE_CHECKING:
    from adapters.bootstrap import Container

log = logging.getLogger(__name__)

GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
PROFILE_FIELDS = ("companyName", "department", "officeLocation")
FEED_ACTIVITY_TYPE = "newIdea"  # declared in the manifest's "activities"
FEED = "feed"  # the outbox kind for activity-feed notices


def _sdk(module: str) -> Any:
    """Import a module of the optional graph extra. Typed as Any on purpose: the project type-checks
    the same whether or not msgraph-sdk is installed."""
    return importlib.import_module(module)


def graph_installed() -> bool:
    try:
        _sdk("msgraph")
    except ImportError:
        return False
    return True


def load_graph(settings: Settings, registrations: Registrations) -> Graph | None:
    if not settings.graph_enabled:
        return None
    if not graph_installed():
        log.warning("GRAPH_ENABLED is set but msgraph-sdk is not installed (pip install '.[graph]'); "
                    "Graph features are off")
        return None
    return Graph(settings, registrations)


class Graph:
    def __init__(self, settings: Settings, registrations: Registrations) -> None:
        self.settings = settings
        self.registrations = registrations
        self.base_url = (settings.graph_base_url or GRAPH_BASE_URL).rstrip("/")
        origin = urlsplit(self.base_url)
        self._scope = f"{origin.scheme}://{origin.netloc}/.default"
        self._hosts = [origin.netloc]
        self._tokens: dict[str, TokenSource] = {}
        self._looked_up: set[PersonRef] = set()  # a lookup that found nothing is not repeated per message

    # --- force from profile ------------------------------------------------------------------------

    def worth_asking(self, ref: PersonRef) -> bool:
        """False once the person's profile was read by this process (a lookup that found nothing is not
        repeated per message). Whether they need a force at all is the core's question."""
        return ref not in self._looked_up

    async def profile(self, tenant: str, user_id: str) -> dict[str, str]:
        user = await self._get_user(tenant, user_id, list(PROFILE_FIELDS))
        if user is None:
            return {}
        return {"companyName": user.company_name or "", "department": user.department or "",
                "officeLocation": user.office_location or ""}

    async def user(self, tenant: str, user_id: str) -> dict[str, str]:
        """Name, mail and userPrincipalName of one user (``User.Read.All``)."""
        user = await self._get_user(tenant, user_id, ["displayName", "mail", "userPrincipalName"])
        if user is None:
            return {}
        return {"displayName": user.display_name or "", "mail": user.mail or "",
                "userPrincipalName": user.user_principal_name or ""}

    async def _get_user(self, tenant: str, user_id: str, fields: list[str]) -> Any:
        users = _sdk("msgraph.generated.users.item.user_item_request_builder")
        query = users.UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=fields)
        config = _sdk("kiota_abstractions.base_request_configuration").RequestConfiguration(query_parameters=query)
        return await self._client(tenant).users.by_user_id(user_id).get(request_configuration=config)

    async def suggest_force(self, tenant: str, user_id: str, forces: Sequence[Force]) -> str | None:
        if not tenant or not user_id:
            return None
        self._looked_up.add(PersonRef(Platform.TEAMS.value, tenant, user_id))
        try:
            found = await self.profile(tenant, user_id)
        except Exception as exc:  # no consent, a deleted user, Graph down: the bot asks instead
            log.info("Graph profile lookup failed (%s); the bot will ask for the force", type(exc).__name__)
            return None
        for field in PROFILE_FIELDS:
            force = pick_force(found.get(field, ""), forces) if found.get(field) else None
            if force is not None:
                return force.slug
        return None

    # --- activity feed -----------------------------------------------------------------------------

    async def send_feed(self, tenant: str, user_id: str, notice: dict[str, Any]) -> None:
        models = "msgraph.generated.models."
        request = "msgraph.generated.users.item.teamwork.send_activity_notification."
        topic = _sdk(models + "teamwork_activity_topic").TeamworkActivityTopic(
            source=_sdk(models + "teamwork_activity_topic_source").TeamworkActivityTopicSource.Text,
            value=str(notice["topic"]), web_url=str(notice["url"]))
        preview = _sdk(models + "item_body").ItemBody(content=str(notice["preview"]),
                                                      content_type=_sdk(models + "body_type").BodyType.Text)
        pair = _sdk(models + "key_value_pair").KeyValuePair
        body = _sdk(request + "send_activity_notification_post_request_body").SendActivityNotificationPostRequestBody(
            topic=topic, activity_type=FEED_ACTIVITY_TYPE, preview_text=preview,
            template_parameters=[pair(name=k, value=str(v)) for k, v in notice["parameters"].items()])
        api_error = _sdk("kiota_abstractions.api_error").APIError
        try:
            await self._client(tenant).users.by_user_id(user_id).teamwork.send_activity_notification.post(body)
        except api_error as exc:
            status = int(exc.response_status_code or 0)
            if status == 429 or status >= 500:
                raise RetryLater(f"Graph answered {status}") from exc
            raise PermanentFailure(f"Graph answered {status}: {exc.primary_message or ''}"[:300]) from exc

    def _client(self, tenant: str) -> Any:
        token = self._tokens.get(tenant)
        if token is None:
            registration = self.registrations.for_tenant(tenant)
            if registration is None:
                raise PermanentFailure(f"no Teams bot registration serves tenant {tenant[:64]!r}")
            # Graph tokens always come from the person's own tenant, whatever kind of registration it is.
            token = token_source(registration, self._scope, token_url(self.settings, tenant))
            self._tokens[tenant] = token
        bot_token, hosts = token, self._hosts

        class Tokens:  # kiota's AccessTokenProvider, by duck typing
            async def get_authorization_token(self, uri: str, context: dict[str, Any] | None = None) -> str:
                import httpx

                async with httpx.AsyncClient(timeout=15.0) as http:
                    return await bot_token.get(http)

            def get_allowed_hosts_validator(self) -> Any:
                return _sdk("kiota_abstractions.authentication").AllowedHostsValidator(hosts)

        bearer = _sdk("kiota_abstractions.authentication.base_bearer_token_authentication_provider")
        adapter = _sdk("msgraph.graph_request_adapter").GraphRequestAdapter(
            bearer.BaseBearerTokenAuthenticationProvider(Tokens()))
        adapter.base_url = self.base_url
        return _sdk("msgraph.graph_service_client").GraphServiceClient(request_adapter=adapter)


def notify_feed(container: Container, person: PersonRef, *, topic: str, preview: str, url: str,
                parameters: dict[str, str], dedupe_key: str | None = None, uow: UnitOfWork | None = None,
                at: datetime | None = None) -> int | None:
    """Queue a Teams activity-feed notice for a person (type ``newIdea``; ``parameters`` fill the
    manifest's template). Returns the outbox id; None when queued before or Graph is off. Pass ``uow`` to
    queue inside your own transaction."""
    if not container.settings.graph_enabled or not graph_installed():
        return None
    notice = {"topic": topic, "preview": preview, "url": url, "parameters": dict(parameters)}
    message = OutboxMessage(Platform.TEAMS.value, person.tenant, person.user_id,
                            {"replies": [reply_to_json(Text(preview))], "feed": notice}, kind=FEED,
                            dedupe_key=dedupe_key)
    outbox_id = container.installs.queue(message, uow=uow, at=at)
    if uow is None:
        container.dispatcher.wake()
    return outbox_id
