"""Signed links to a chart's image, for platforms that only show images they fetch (Slack).

A link carries the chart itself — its weeks and series, compact JSON, compressed, base64url — and an
HMAC of that, so ``GET /charts/{token}.png`` can draw the image again with no database and no state,
for as long as the key stays the same, and nobody can make the server draw anything it did not sign.
The title and the words are not in the link: the message shows them as text.

The key is derived from the Slack signing secret (HMAC-SHA256 of a fixed label), never the secret
itself: links then need no setting of their own, and a link's signature says nothing about the
secret and cannot stand in for a Slack request signature. Rotating the signing secret retires old
links (Slack has by then fetched and cached the images it showed).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib

from adapters.settings import Settings
from bot.codec import reply_from_json
from bot.replies import Chart

KEY_LABEL = b"innovation-bot: roundup chart links, v1"
SIGNATURE_BYTES = 16
MAX_TOKEN_CHARS = 2400  # Slack takes image URLs of up to 3,000 characters, base URL included
MAX_JSON_BYTES = 64 * 1024


def derive_key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


class ChartLinks:
    """Makes and reads chart tokens with one key; ``url`` also needs the app's public base URL."""

    def __init__(self, key: bytes, base_url: str | None = None) -> None:
        self._key = key
        self._base = base_url.rstrip("/") if base_url else None

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()[:SIGNATURE_BYTES])

    def token(self, chart: Chart) -> str:
        data = [list(chart.weeks), [[s.label, list(s.counts)] for s in chart.series]]
        payload = _b64(zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 9))
        return f"{payload}.{self._sign(payload)}"

    def url(self, chart: Chart) -> str | None:
        """Where the chart's PNG can be fetched, or None (no public URL, or a link too long for Slack)."""
        if self._base is None:
            return None
        token = self.token(chart)
        return f"{self._base}/charts/{token}.png" if len(token) <= MAX_TOKEN_CHARS else None

    def chart(self, token: str) -> Chart | None:
        """The chart a token carries (no title or words), or None for anything this key did not sign."""
        if len(token) > MAX_TOKEN_CHARS or token.count(".") != 1 or not token.isascii():
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        try:  # signed by us, so well formed; checked all the same
            inflater = zlib.decompressobj()
            text = inflater.decompress(_unb64(payload), MAX_JSON_BYTES)
            if inflater.unconsumed_tail:
                return None
            weeks, series = json.loads(text)
            # The outbox's decoder, so a token is checked exactly as a stored chart is.
            chart = reply_from_json({"type": "chart", "title": "", "weeks": weeks, "alt": "",
                                     "series": [{"label": label, "counts": counts} for label, counts in series]})
        except (ValueError, TypeError, KeyError, zlib.error, binascii.Error):
            return None
        return chart if isinstance(chart, Chart) else None


def chart_links(settings: Settings) -> ChartLinks | None:
    """Links signed with a key derived from the Slack signing secret; None without one (no Slack)."""
    if settings.slack_signing_secret is None or not settings.slack_signing_secret.get_secret_value():
        return None
    return ChartLinks(derive_key(settings.slack_signing_secret.get_secret_value()), settings.public_url)
