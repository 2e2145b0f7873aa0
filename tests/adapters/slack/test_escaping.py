"""User text can never become a live mention, link or markup in anything the bot sends."""

from __future__ import annotations

import re

from sqlalchemy import select

from adapters.slack.blocks import escape, fit, render
from adapters.slack.payloads import plain_text
from bot.i18n import Translator
from bot.replies import Card, Field, Text
from storage.models import IdeaRow
from tests.adapters.slack.helpers import SlackEnv, dm_channel, texts

t = Translator()
SAM = "U0SAM"
# What Slack sends for a message that pings everyone, @here and a person, with a link and, typed
# literally, the markup for @everyone (which Slack escapes as entities).
HOSTILE = ("<!channel> <!here> <@U123> please look: our drone team finds missing people in woodland at night "
           "with a thermal camera, see <https://evil.example/x|this page> &lt;!everyone&gt; &amp; more. "
           "The problem was that searches on foot took hours and tied up whole shifts of officers.")
LIVE = re.compile(r"<\s*[!@#]|<\s*(https?|mailto):|\blink_names\b")


def test_no_outbound_call_carries_a_live_mention(slack: SlackEnv) -> None:
    assert slack.shortcut(SAM, HOSTILE).status_code == 200
    slack.reply(dm_channel(SAM), 0)
    slack.press(SAM, t("stage.being-tried"))  # the message does not say how far along it is
    slack.press(SAM, "Kent Police")
    done = slack.press(SAM, t("button.submit"))
    assert "Submitted" in texts(done)
    slack.say(SAM, "status")
    assert slack.dm(SAM, "<!subteam^S0TEAM|@brokers> <#C0GEN|general> search <!here> drones").status_code == 200
    slack.settle()

    calls = slack.fake.all_calls()
    posted = [c for c in calls if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral")
              or c.method.startswith("response_url:")]
    assert len(posted) >= 5
    for call in calls:
        assert not LIVE.search(call.raw), (call.method, LIVE.search(call.raw))
    everything = texts(posted)
    # Shown as the words the person typed, escaped: readable, never pinging anyone.
    assert "@channel @here @U123" in everything and "&lt;!everyone&gt; &amp;amp; more" not in everything
    assert "&lt;!everyone&gt; &amp; more" in everything
    with slack.container.sessions() as s:
        idea = s.scalars(select(IdeaRow)).one()
    assert idea.description.startswith("@channel @here @U123 please look")
    assert "this page (https://evil.example/x) <!everyone> & more" in idea.description
    assert all(block["text"]["verbatim"] is True for c in posted for block in c.body.get("blocks", [])
               if block.get("type") == "section" and "text" in block)


def test_plain_text_reads_slack_markup() -> None:
    assert plain_text("<@U1|sam> and <@W2> in <#C1|general> <#C2>") == "@sam and @W2 in #general #C2"
    assert plain_text("<!here> <!channel> <!everyone>") == "@here @channel @everyone"
    assert plain_text("<!subteam^S1|@brokers> <!subteam^S2>") == "@brokers @S2"
    assert plain_text("<!date^1392734382^{date}|Feb 18, 2014>") == "Feb 18, 2014"
    assert plain_text("<https://a.example|A> <https://b.example> <mailto:x@y.uk|x@y.uk>") == \
        "A (https://a.example) https://b.example x@y.uk"
    assert plain_text("a &lt;b&gt; &amp;lt; c") == "a <b> &lt; c"


def test_every_mrkdwn_string_is_escaped() -> None:
    card = Card("<!channel> & co", (Field("Why <@U1>", "<!here> > all"),), body="<b>", note="<#C1>")
    for message in render([Text("<!everyone> & <@U2>"), card]):
        for block in message.blocks:
            for node in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
                if isinstance(node, dict) and node.get("type") == "mrkdwn":
                    assert "<" not in node["text"] and ">" not in node["text"]
        assert "<" not in message.text
    assert escape("a & <b> &amp;") == "a &amp; &lt;b&gt; &amp;amp;"
    assert fit("<" * 10, 20) == "&lt;&lt;&lt;&lt;…" and fit("a & b", 5) == "a…"
