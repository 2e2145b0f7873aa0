"""Replies leave through the outbox: a 429 waits for Retry-After, a 5xx is retried, a dead channel is not."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from adapters.send_failures import PermanentFailure, RetryLater
from adapters.slack.blocks import MAX_BLOCKS, render
from adapters.slack.sender import SlackSender, StaticToken
from bot.codec import reply_to_json
from bot.queues import OutboxItem, OutboxMessage
from bot.replies import Text
from storage.models import OutboxRow
from tests.adapters.slack.helpers import SlackEnv, dm_channel, wait_for
from tests.support.fake_slack import DEFAULT_TOKEN, FakeSlack

SAM = "U0SAM"


def test_rate_limited_post_waits_for_retry_after_and_is_delivered_once(slack: SlackEnv) -> None:
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    assert slack.dm(SAM, "hello").status_code == 200
    limited = wait_for(lambda: slack.fake.calls_to("chat.postMessage"), what="the first attempt")[0]
    assert limited.status == 429
    delivered = wait_for(lambda: slack.posts_to(dm_channel(SAM)), timeout=10, what="the retry")
    slack.settle()
    attempts = slack.fake.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200] and len(delivered) == 1
    assert attempts[1].at - attempts[0].at >= 0.9  # not before Slack's Retry-After
    assert attempts[1].body["blocks"] == attempts[0].body["blocks"]
    with slack.container.sessions() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.result == {"channel": dm_channel(SAM), "ts": [attempts[1].answer["ts"]]}


def _item(replies: list[Any], item_id: int = 1, kind: str = "post", **payload: Any) -> OutboxItem:
    message = OutboxMessage("slack", "T0TEST", "D0SAM", {"replies": [reply_to_json(r) for r in replies], **payload},
                            kind=kind)
    return OutboxItem(item_id, message, 1, None)


@pytest.mark.parametrize(("status", "error", "expected", "after"), [
    (429, "ratelimited", RetryLater, 7.0),
    (500, "", RetryLater, None),
    (503, "", RetryLater, None),
    (200, "internal_error", RetryLater, None),
    (200, "channel_not_found", PermanentFailure, None),
    (200, "not_in_channel", PermanentFailure, None),
    (200, "account_inactive", PermanentFailure, None),
    (200, "invalid_auth", PermanentFailure, None),
    (200, "token_revoked", PermanentFailure, None),
])
async def test_slack_answers_map_to_outbox_outcomes(fake: FakeSlack, status: int, error: str,
                                                    expected: type[Exception], after: float | None) -> None:
    fake.fail_next("chat.postMessage", status=status, error=error, retry_after=7 if status == 429 else None)
    sender = SlackSender(StaticToken(DEFAULT_TOKEN), fake.api_url)
    with pytest.raises(expected) as raised:
        await sender.send(_item([Text("hello")]))
    if isinstance(raised.value, RetryLater):
        assert raised.value.after == after
    assert DEFAULT_TOKEN not in str(raised.value)
    assert (await sender.send(_item([Text("hello")])))["ts"]  # the next attempt goes through


async def test_unreachable_slack_is_retried_later() -> None:
    from tests.support.server import free_port

    sender = SlackSender(StaticToken(DEFAULT_TOKEN), f"http://127.0.0.1:{free_port()}/api/")
    with pytest.raises(RetryLater):
        await sender.send(_item([Text("hello")]))


async def test_a_long_answer_resumes_after_the_parts_already_sent(fake: FakeSlack) -> None:
    replies = [Text(f"line {n}") for n in range(MAX_BLOCKS + 5)]
    assert len(render(replies)) == 2
    sender = SlackSender(StaticToken(DEFAULT_TOKEN), fake.api_url)
    fake.fail_next("chat.postMessage", status=429, retry_after=0, skip=1)  # the second part is rate limited
    with pytest.raises(RetryLater):
        await sender.send(_item(replies))
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [200, 429]
    result = await sender.send(_item(replies))  # the retry sends only what is left
    posts = fake.calls_to("chat.postMessage")
    assert [c.status for c in posts] == [200, 429, 200] and "line 54" in posts[-1].raw
    assert result is not None and result["ts"] == [posts[0].answer["ts"], posts[2].answer["ts"]]


async def test_unknown_kinds_and_unrenderable_replies_fail_permanently(fake: FakeSlack) -> None:
    sender = SlackSender(StaticToken(DEFAULT_TOKEN), fake.api_url)
    with pytest.raises(PermanentFailure):
        await sender.send(_item([Text("hi")], kind="carrier-pigeon"))
    bad = OutboxItem(1, OutboxMessage("slack", "T0TEST", "D0SAM", {"replies": [{"type": "hologram"}]}), 1, None)
    with pytest.raises(PermanentFailure):
        await sender.send(bad)
    with pytest.raises(PermanentFailure):
        await SlackSender(StaticToken(""), fake.api_url).send(_item([Text("hi")]))
    assert fake.calls == []


async def test_posts_to_one_channel_are_paced_one_per_second(fake: FakeSlack) -> None:
    sender = SlackSender(StaticToken(DEFAULT_TOKEN), fake.api_url)
    now = [100.0]
    sender._clock = lambda: now[0]  # an injected clock: no sleeping in the test
    assert await sender.send(_item([Text("one")], 1))
    with pytest.raises(RetryLater) as paced:
        await sender.send(_item([Text("two")], 2))
    assert paced.value.after == pytest.approx(1.0)
    other = OutboxItem(3, OutboxMessage("slack", "T0TEST", "D0OTHER", {"replies": [reply_to_json(Text("x"))]}), 1, None)
    assert await sender.send(other)  # another channel is not held up
    now[0] += 0.4
    with pytest.raises(RetryLater) as paced:
        await sender.send(_item([Text("two")], 2))
    assert paced.value.after == pytest.approx(0.6)
    now[0] += 0.6
    assert await sender.send(_item([Text("two")], 2))
    assert [c.body["channel"] for c in fake.calls_to("chat.postMessage")] == ["D0SAM", "D0OTHER", "D0SAM"]


async def test_posts_sent_at_once_to_one_channel_still_take_turns(fake: FakeSlack) -> None:
    """The dispatcher sends many conversations at once; two of them can be one Slack channel."""
    import asyncio

    sender = SlackSender(StaticToken(DEFAULT_TOKEN), fake.api_url)
    now = [100.0]
    sender._clock = lambda: now[0]
    first, second = await asyncio.gather(sender.send(_item([Text("one")], 1)), sender.send(_item([Text("two")], 2)),
                                         return_exceptions=True)
    assert isinstance(first, dict) and isinstance(second, RetryLater) and second.after == pytest.approx(1.0)
    assert len(fake.calls_to("chat.postMessage")) == 1
    # A post that fails gives its turn back: the next waits from the post before, not from the failure.
    now[0] += 1.0
    fake.fail_next("chat.postMessage", status=500)
    with pytest.raises(RetryLater):
        await sender.send(_item([Text("two")], 2))
    assert sender._pace("T0TEST", "D0SAM") == 0.0
    assert await sender.send(_item([Text("two")], 2))
