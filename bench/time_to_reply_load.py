"""Simulated officers for the time-to-reply benchmark: paced turns over signed HTTP, replies read from the fake.

An officer's conversation is ``SCRIPT``: the first DM, the idea, the problem, then three presses in
the messages the bot posted (the stage button, a force from the menu, Submit), then ``status``. Each
turn is sent as Slack sends it (a signed ``message.im`` event callback, or a signed ``block_actions``
form post to the same URL), and its reply is the first ``chat.postMessage`` the fake receives in that
DM for that turn. Replies within one DM come in order (the bot keeps each conversation's order), and
how many messages the bot posts for each turn is learnt once per target from one officer talking
alone (``calibrate``), so turn k's reply is the DM's post number ``sum(posts per turn before k)``.
An officer sends the next turn a think time after the last message of the previous answer.

Arrivals are paced (``paced``): in ``first`` mode turn i of a step is a new officer's first DM at
``i / rate`` seconds (the issue's table); in ``mixed`` mode new officers start at ``rate / 7`` a second
and each goes through the whole script, so turns arrive at ``rate`` a second in the script's mix
(one first DM, three later DMs, three presses in seven) once conversations overlap.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bench.slack_events import SECRET, TEAM

log = logging.getLogger(__name__)

BOT_USER = "UBOT"
DESCRIPTION = "We use a drone with a thermal camera to search woodland for missing people at night."
PROBLEM = "Searches on foot took hours and tied up whole shifts; the drone finds people much faster."
# (kind, what): a DM's text, or the label of the button or menu option to press in the newest message with it.
SCRIPT: tuple[tuple[str, str], ...] = (
    ("first", "I've got an idea"), ("dm", DESCRIPTION), ("dm", PROBLEM), ("click", "Being tried"),
    ("click", "Kent Police"), ("click", "Submit"), ("dm", "status"))
_ids = itertools.count(1)


def signed(body: bytes, content_type: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def dm_request(user: str, text: str) -> tuple[bytes, dict[str, str]]:
    ts = f"{time.time():.6f}"
    n = next(_ids)
    body = json.dumps({
        "token": "x", "team_id": TEAM, "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": f"EvT{n:09d}", "event_time": int(time.time()),
        "event": {"client_msg_id": f"m-{n}", "type": "message", "channel_type": "im", "channel": "D" + user[1:],
                  "user": user, "text": text, "ts": ts, "event_ts": ts, "team": TEAM},
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }).encode()
    return body, signed(body, "application/json")


def buttons(post: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(block_id, element, option) of every button and menu option in a posted message."""
    blocks = post["blocks"] if isinstance(post["blocks"], list) else json.loads(post["blocks"])
    found: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    for i, block in enumerate(blocks):
        block_id = block.get("block_id") or f"blk{i}"
        elements = block.get("elements", []) if block["type"] == "actions" else \
            [block["accessory"]] if "accessory" in block else []
        for element in elements:
            if element["type"] == "button":
                found.append((block_id, element, None))
            elif element["type"] == "static_select":
                found += [(block_id, element, option) for option in element["options"]]
    return found


def click_request(user: str, posts: list[dict[str, Any]], label: str) -> tuple[bytes, dict[str, str]]:
    """Press ``label`` in the newest message that has it (bare Bolt's replies have one "Next" button
    for every label)."""
    choice = None
    for post in reversed(posts):
        for block_id, element, option in buttons(post):
            if (option or element).get("text", {}).get("text") == label:
                choice = (post, block_id, element, option)
                break
        if choice:
            break
    if choice is None:  # the floor: press whatever the newest message offers
        post = next(p for p in reversed(posts) if buttons(p))
        choice = (post, *buttons(post)[0])
    post, block_id, element, option = choice
    channel = post["channel"]
    action: dict[str, Any] = {"action_id": element["action_id"], "block_id": block_id, "type": element["type"],
                              "action_ts": f"{time.time():.6f}"}
    action |= {"selected_option": option} if option else {"text": element["text"], "value": element.get("value", "")}
    blocks = post["blocks"] if isinstance(post["blocks"], list) else json.loads(post["blocks"])
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0BENCH", "token": "x", "team": {"id": TEAM, "domain": "bench"}, "enterprise": None,
        "is_enterprise_install": False, "trigger_id": f"trig.{next(_ids)}",
        "container": {"type": "message", "message_ts": post["ts"], "channel_id": channel, "is_ephemeral": False},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER, "bot_id": "BBOT", "ts": post["ts"], "text": post["text"],
                    "blocks": [{**b, "block_id": b.get("block_id") or f"blk{i}"} for i, b in enumerate(blocks)]},
        "state": {"values": {}}, "response_url": "http://127.0.0.1:9/respond/bench", "actions": [action]}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return body, signed(body, "application/x-www-form-urlencoded")


class Feed:
    """Every post the fake Slack received, by DM, read as they arrive (polled every 10 ms)."""

    def __init__(self, fake_url: str) -> None:
        self.fake_url = fake_url
        self.seen = 0
        self.by_channel: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.changed = asyncio.Event()

    async def run(self, session: aiohttp.ClientSession) -> None:
        while True:
            async with session.get(f"{self.fake_url}/bench/posts", params={"after": str(self.seen)}) as response:
                posts = await response.json()
            for post in posts:
                self.by_channel[post["channel"]].append(post)
            self.seen += len(posts)
            if posts:
                self.changed.set()
                self.changed = asyncio.Event()
            await asyncio.sleep(0.01)

    async def wait_posts(self, channel: str, count: int, deadline: float) -> bool:
        while len(self.by_channel[channel]) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return False
        return True


@dataclass
class Turn:
    kind: str  # first, dm, click
    sent: float  # wall clock, just before the request
    ack: float = float("nan")  # seconds
    status: int = 0
    reply: float | None = None  # seconds from sent to the reply's chat.postMessage at the fake


@dataclass
class Officer:
    user: str
    step: int = 0

    @property
    def channel(self) -> str:
        return "D" + self.user[1:]


@dataclass
class Step:
    """One paced run: its turns, and the officers who took part."""
    rate: float
    turns: list[Turn] = field(default_factory=list)
    officers: int = 0
    extra_posts: int = 0  # DMs with more posts than calibration said: replies could be misattributed


async def talk(session: aiohttp.ClientSession, url: str, feed: Feed, officer: Officer, posts_per_turn: list[int],
               timeout: float) -> Turn:
    """Send the officer's next turn and wait for all of its answer; the turn, with its reply time."""
    kind, what = SCRIPT[officer.step]
    before = sum(posts_per_turn[:officer.step])
    if kind == "click":
        await feed.wait_posts(officer.channel, before, time.monotonic() + timeout)
        body, headers = click_request(officer.user, feed.by_channel[officer.channel][:before], what)
    else:
        body, headers = dm_request(officer.user, what)
    turn = Turn(kind, time.time())
    start = time.perf_counter()
    try:
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            turn.status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        # No answer (a connection the server closed, or none in time): an error for this turn (status 0),
        # as Slack would count it before trying again, not the end of the whole run.
        log.warning("turn of %s not acknowledged: %s", officer.user, type(exc).__name__)
    turn.ack = time.perf_counter() - start
    deadline = time.monotonic() + timeout
    if turn.status == 200 and await feed.wait_posts(officer.channel, before + 1, deadline):
        turn.reply = feed.by_channel[officer.channel][before]["at"] - turn.sent
        await feed.wait_posts(officer.channel, before + posts_per_turn[officer.step], deadline)
    officer.step += 1
    return turn


async def paced(url: str, fake_url: str, rate: float, seconds: float, mode: str, tag: str,
                posts_per_turn: list[int], think: float = 1.0, timeout: float = 60.0) -> Step:
    """``rate`` turns a second for ``seconds``, then every reply awaited (at most ``timeout`` s each).

    ``first``: each turn is a new officer's first DM, one every ``1 / rate`` s. ``mixed``: a new officer
    every ``len(SCRIPT) / rate`` s, who goes through the whole script, ``think`` s after each answer, so
    that once conversations overlap (after one conversation's length) turns arrive at ``rate`` a second
    in a fixed mix while the bot keeps up. When it does not, officers wait for their answers, as people
    do, and fewer turns arrive: the replies' times say so."""
    step = Step(rate)
    new_ids = itertools.count(1)
    everyone: list[Officer] = []

    async def converse(session: aiohttp.ClientSession, feed: Feed, officer: Officer) -> None:
        while True:
            turn = await talk(session, url, feed, officer, posts_per_turn, timeout)
            step.turns.append(turn)
            if mode == "first" or turn.reply is None or officer.step >= len(SCRIPT):
                return
            await asyncio.sleep(think)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        feed = Feed(fake_url)
        async with session.get(f"{fake_url}/bench/posts", params={"after": "0"}) as response:
            feed.seen = len(await response.json())  # only this step's posts matter
        poller = asyncio.create_task(feed.run(session))
        tasks = []
        starts = rate if mode == "first" else rate / len(SCRIPT)  # new officers a second
        start = time.perf_counter()
        for i in range(max(1, int(starts * seconds))):
            delay = start + i / starts - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            officer = Officer(f"U{tag}{next(new_ids):06d}")
            everyone.append(officer)
            tasks.append(asyncio.create_task(converse(session, feed, officer)))
        step.officers = len(everyone)
        await asyncio.gather(*tasks)
        await asyncio.sleep(0.5)  # late extra posts, if any
        poller.cancel()
        step.extra_posts = sum(1 for officer in everyone
                               if len(feed.by_channel[officer.channel]) > sum(posts_per_turn[:officer.step]))
    return step


async def calibrate(url: str, fake_url: str, tag: str, settle: float = 1.5) -> list[int]:
    """How many messages the target posts for each turn of ``SCRIPT``: one officer alone, each turn sent
    once the previous answer has been quiet for ``settle`` seconds."""
    counts: list[int] = []
    officer = Officer(f"U{tag}000000")
    async with aiohttp.ClientSession() as session:
        feed = Feed(fake_url)
        poller = asyncio.create_task(feed.run(session))
        for n in range(len(SCRIPT)):
            before = len(feed.by_channel[officer.channel])
            # posts_per_turn so far, and a generous guess for this turn; the quiet wait finds the rest
            turn = await talk(session, url, feed, officer, [*counts, 1], timeout=60)
            if turn.reply is None:
                raise RuntimeError(f"no reply to calibration turn {n + 1} ({SCRIPT[n]}) from {url}")
            while True:
                seen = len(feed.by_channel[officer.channel])
                await asyncio.sleep(settle)
                if len(feed.by_channel[officer.channel]) == seen:
                    break
            counts.append(len(feed.by_channel[officer.channel]) - before)
        poller.cancel()
    return counts
