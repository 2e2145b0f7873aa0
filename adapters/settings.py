"""Configuration from the environment (names are part of the public interface in DESIGN.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.database_url import check_database_url

DEFAULT_DATABASE_URL = "sqlite:///./var/innovation-bot.sqlite3"
MIN_ADMIN_TOKEN = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      case_sensitive=False)

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    playground: bool | None = None  # None: on when no platform credentials are set
    # Development only: PLAYGROUND=true beside real Slack or Teams credentials (see _playground_alone).
    playground_allow_with_platforms: bool = False
    admin_token: SecretStr | None = None
    # Comma-separated PERSON references (slack:TEAM:USER, teams:TENANT:AAD_ID, local:NAME) made admins at start.
    initial_admins: str = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # Conversation limits
    max_message_chars: int = Field(default=4000, ge=200, le=40000)
    draft_ttl_hours: float = Field(default=72, gt=0)
    # Back mid-draft after this long: the draft is shown and the person chooses carry on / start again.
    resume_after_minutes: float = Field(default=60, gt=0)
    draft_reminder_hours: float = Field(default=24, gt=0)
    # Review: remind brokers after this many working days; after twice as many, the national team hears.
    reminder_working_days: int = Field(default=5, ge=1, le=60)
    # Retention: declined ideas are deleted after this many days (idle drafts expire after DRAFT_TTL_HOURS).
    declined_retention_days: int = Field(default=365, ge=1, le=3650)
    # Sent messages (their text holds ideas and names) are deleted this many days after they were sent.
    sent_message_retention_days: int = Field(default=30, ge=1, le=3650)
    # How often each server process picks up catalogue changes made by other processes.
    catalogue_refresh_seconds: float = Field(default=10, gt=0, le=3600)

    # Slack
    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str | None = None

    # Microsoft Teams
    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    teams_tenant_id: str | None = None
    # Several bot registrations (one per force tenant): JSON, inline or in a file (adapters/teams/registrations.py).
    teams_registrations: str | None = None
    teams_registrations_file: str | None = None
    teams_openid_metadata_url: str | None = None
    teams_token_url: str | None = None
    teams_service_url: str | None = None
    # Development only: accept Teams activities without a valid token (never on by default; start-up warns).
    teams_dev_skip_auth: bool = False

    # Microsoft Graph (optional extra)
    graph_enabled: bool = False
    graph_base_url: str | None = None

    # Dashboard
    dashboard_sso_header: str | None = None  # e.g. X-Forwarded-Email, set by the hosting platform's sign-on proxy

    scheduler: Literal["in-process", "external"] = "in-process"
    # Platform events are stored, acknowledged, then processed: in the web process, or (external) by
    # `innovation-bot worker`, so that a burst of conversation work never slows the acknowledgements.
    worker: Literal["in-process", "external"] = "in-process"
    # Where this app is reachable from the internet (https://bot.example.police.uk): used to link
    # roundup charts from Slack, which only shows images it can fetch. Unset: charts are described in text.
    public_url: str | None = None
    timezone: str = "Europe/London"

    # Roundups
    roundup_grace_hours: float = Field(default=6, gt=0, le=72)  # catch up a missed run this long after its time
    roundup_quiet: Literal["note", "skip"] = "note"  # a period with no new ideas: a short note, or nothing

    @field_validator("database_url")
    @classmethod
    def _valid_database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("admin_token")
    @classmethod
    def _long_admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        # The token is the whole of the dashboard's password: short ones fall to guessing, even throttled.
        if value is not None and value.get_secret_value() and len(value.get_secret_value()) < MIN_ADMIN_TOKEN:
            raise ValueError(f"must be at least {MIN_ADMIN_TOKEN} characters (for example the output of "
                             "`python -c \"import secrets; print(secrets.token_urlsafe(32))\"`)")
        return value

    @model_validator(mode="after")
    def _playground_alone(self) -> Settings:
        # Anyone who reaches the playground can pick any persona, admin included, and act through the
        # same service as Slack and Teams: beside real platform credentials that is an open admin door.
        if self.playground and self.has_platform_credentials and not self.playground_allow_with_platforms:
            raise ValueError("on beside Slack or Teams credentials it would let anyone who reaches "
                             "the web app act as an admin of the real workspace; unset PLAYGROUND, or on a "
                             "development machine only set PLAYGROUND_ALLOW_WITH_PLATFORMS=true")
        return self

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("expected the app's base URL, such as https://bot.example.police.uk")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value[:60]!r} (use a name such as Europe/London)") from None
        return value

    @property
    def has_platform_credentials(self) -> bool:
        return bool(self.slack_signing_secret or self.slack_bot_token or self.slack_client_id or self.teams_app_id
                    or self.teams_registrations or self.teams_registrations_file)

    @property
    def teams_enabled(self) -> bool:
        """POST /api/messages is served: a registration is configured, or the development mode is on."""
        return bool(self.teams_app_id or self.teams_registrations or self.teams_registrations_file
                    or self.teams_dev_skip_auth)

    @property
    def playground_enabled(self) -> bool:
        return self.playground if self.playground is not None else not self.has_platform_credentials


class ConfigurationError(Exception):
    """Raised with one human line that says which setting is wrong and why."""


def load_settings(**overrides: object) -> Settings:
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]).upper() or "PLAYGROUND"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigurationError(f"configuration error: {name}: {message}{more}") from None
