"""Builds the replies the conversation shows: questions, the summary card, matches, lists.

Kept apart from the transitions in ``machine.py`` so the flow reads as a flow, and so the review and
roundup features can reuse the same cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import sensitivity
from bot.connect import connect_button
from bot.conversation.drafting import cut_at_word, draft_title, sentences
from bot.conversation.state import EDITABLE_FIELDS, Draft
from bot.data_rights_ports import MyData
from bot.domain import Force, IdeaSummary, Stage, Theme, Visibility
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Card, Choices, Field, Option, Reply, Text

if TYPE_CHECKING:
    from bot.matching import Match

STAGES = tuple(Stage)


def action_value(draft: Draft, payload: str = "") -> str:
    """Button values carry the draft id so a click on an old conversation's button is recognised."""
    return f"{draft.draft_id}|{payload}"


def stage_label(t: Translator, stage: str) -> str:
    return t(f"stage.{stage}") if stage in {s.value for s in STAGES} else t("summary.not_set")


def ask_description(t: Translator) -> Reply:
    return Text(t("ask.description"))


def ask_problem(t: Translator) -> Reply:
    return Text(t("ask.problem"))


def ask_stage(t: Translator, draft: Draft) -> Reply:
    options = tuple(Option(action_value(draft, s.value), t(f"stage.{s.value}")) for s in STAGES)
    return Choices(t("ask.stage"), "capture.stage", options)


def ask_force(t: Translator, draft: Draft, forces: Sequence[Force], prompt_key: str = "ask.force") -> Reply:
    options = tuple(Option(action_value(draft, f.slug), f.name_in(t.locale)) for f in forces)
    searchable = len(options) > 6
    return Choices(t(prompt_key), "capture.force", options, searchable=searchable,
                   placeholder=t("force.placeholder") if searchable else "")


def confirm_force(t: Translator, draft: Draft, candidates: Sequence[Force]) -> Reply:
    """A force guessed from loose typing ("lancs"): the best guess first, the whole list as a way out."""
    first, *others = candidates
    options = (Option(action_value(draft, first.slug), t("force.confirm_one", name=first.name_in(t.locale))),
               *(Option(action_value(draft, f.slug), f.name_in(t.locale)) for f in others),
               Option(action_value(draft, "*"), t("force.show_all")))
    return Choices(t("force.confirm", name=first.name_in(t.locale)), "capture.force", options)


def resume_offer(t: Translator, draft: Draft) -> list[Reply]:
    """Back to an unfinished draft: the draft in a line, and the two ways on."""
    title = draft.title or (draft_title(draft.description) if draft.description else t("draft.untitled"))
    where = t(f"resume.where.{draft.paused}") if t.has(f"resume.where.{draft.paused}") else ""
    line = t("resume.offer", title=title, where=where) if where else t("draft.reminder", title=title)
    options = (Option(action_value(draft, "carry-on"), t("resume.carry_on")),
               Option(action_value(draft, "start-again"), t("resume.start_again")))
    return [Text(line), Choices(t("resume.question"), "capture.resume", options)]


def ask_theme(t: Translator, draft: Draft, themes: Sequence[Theme]) -> Reply:
    options = tuple(Option(action_value(draft, th.slug), th.name) for th in themes)
    return Choices(t("ask.theme"), "capture.theme", options, searchable=len(options) > 6)


def ask_edit_field(t: Translator, draft: Draft) -> Reply:
    options = tuple(Option(action_value(draft, name), t(f"field.{name}")) for name in EDITABLE_FIELDS)
    return Choices(t("edit.which"), "capture.edit-field", options)


def ask_edit_text(t: Translator, draft: Draft, name: str) -> Reply:
    current = getattr(draft, name) or t("summary.not_set")
    return Text(t("edit.send_new", field=t(f"field.{name}").lower(), current=current))


def summary(t: Translator, draft: Draft, forces: Sequence[Force], themes: Sequence[Theme], name: str = "") -> Card:
    force_names = {f.slug: f.name_in(t.locale) for f in forces}
    theme_names = {th.slug: th.name for th in themes}
    not_set = t("summary.not_set")

    def shown(name: str, value: str) -> str:
        return t("summary.guessed", value=value) if name in draft.guessed and value != not_set else value

    fields = (
        Field(t("field.title"), draft.title or not_set),
        Field(t("field.description"), draft.description or not_set),
        Field(t("field.problem"), shown("problem", draft.problem or not_set)),
        Field(t("field.stage"), shown("stage", stage_label(t, draft.stage))),
        Field(t("field.theme"), theme_names.get(draft.theme, t("summary.theme_not_guessed"))),
        Field(t("field.force"), force_names.get(draft.force, not_set)),
        Field(t("field.visibility"), t(f"visibility.row.{draft.visibility}", name=name or t("visibility.you"))),
    )
    other = Visibility.NAMED if draft.visibility == Visibility.ANONYMOUS.value else Visibility.ANONYMOUS
    buttons = (
        Button("capture.submit", action_value(draft), t("button.submit"), ButtonStyle.PRIMARY),
        Button("capture.edit", action_value(draft), t("button.edit")),
        Button("capture.edit-field", action_value(draft, "title"), t("button.edit_title")),
        Button("capture.visibility", action_value(draft, other.value), t(f"button.visibility.{other.value}")),
        Button("capture.cancel", action_value(draft), t("button.cancel"), ButtonStyle.DANGER),
    )
    return Card(t("summary.title"), fields, body=t("summary.intro"), note=t("summary.privacy"),
                buttons=buttons, kind="summary")


def sensitivity_summary(t: Translator, text: str) -> str:
    """Readable list of what the sensitivity check found in ``text``; empty when nothing."""
    items: dict[tuple[str, str], str] = {}  # the same number in the title and the description is one finding
    for f in sensitivity.check(text):
        items.setdefault((f.kind.value, f.text), t("sensitivity.item", kind=t(f"sensitivity.kind.{f.kind.value}"),
                                                   text=f.text[:40]))
    return "; ".join(list(items.values())[:6])


def sensitivity_warning(t: Translator, draft: Draft) -> list[Reply]:
    found = sensitivity_summary(t, "\n".join((draft.title, draft.description, draft.problem)))
    return [Text(t("sensitivity.warning", found=found))] if found else []


MATCH_WHAT_CHARS = 110
_PLAIN_CATALOGUE_STATUSES = frozenset({"approved-network", "approved-local"})  # what every match is anyway


def match_line(t: Translator, m: Match) -> str:
    """What it is, which force, what stage / does it work: enough to tell in two seconds if it is the same."""
    entry = m.entry
    first = sentences(entry.description)[0] if entry.description.strip() else entry.title
    works = t(f"match.works.{entry.stage}") if t.has(f"match.works.{entry.stage}") else stage_label(t, entry.stage)
    if entry.status not in _PLAIN_CATALOGUE_STATUSES and t.has(f"status.phrase.{entry.status}"):
        works += ", " + t(f"status.phrase.{entry.status}")  # "shared nationally" says it works, too
    return t("match.summary", what=cut_at_word(first, MATCH_WHAT_CHARS).rstrip("."),
             force=entry.force_name or t("match.national"), works=works)


def match_reason(t: Translator, m: Match) -> str:
    """Why a match was suggested, in words: what it shares, and for a match resting on meaning the
    entry's sentence closest to what the officer wrote."""
    shared = t("match.why_shared", words=", ".join(m.shared)) if m.shared else ""
    if m.closest and shared:
        return t("match.why_both", shared=shared, sentence=m.closest)
    if m.closest:
        return t("match.why_meaning", sentence=m.closest)
    return shared or t("match.why_overall")


def match_cards(t: Translator, matches: Sequence[Match]) -> list[Reply]:
    """Each match as its one-line summary, then why it matched (how it was computed is bot.matching's)."""
    cards: list[Reply] = []
    for m in matches:
        fields = (Field(t("match.why"), match_reason(t, m)),)
        cards.append(Card(m.entry.title, fields, body=match_line(t, m) + "\n" + t(f"match.kind.{m.kind.value}"),
                          kind="match", buttons=(connect_button(t, m.entry.idea_id),),
                          extra={"idea_id": str(m.entry.idea_id), "score": f"{m.score:.0f}"}))
    return cards


def similar_intro(t: Translator, matches: Sequence[Match]) -> list[Reply]:
    if not matches:
        return []
    return [Text(t("similar.intro", count=len(matches))), *match_cards(t, matches)]


def search_results(t: Translator, query: str, matches: Sequence[Match]) -> list[Reply]:
    if not matches:
        return [Text(t("search.none", query=query))]
    return [Text(t("search.results", query=query, count=len(matches))), *match_cards(t, matches)]


def my_ideas(t: Translator, ideas: Sequence[IdeaSummary], in_progress: str = "") -> list[Reply]:
    if not ideas:
        return [Text(t("status.none_but_draft", title=in_progress) if in_progress else t("status.none"))]
    fields = tuple(
        Field(f"#{i.idea_id} {i.title}",
              t("status.line", status=t(f"status.{i.status.value}"), force=i.force_name, date=i.submitted_on))
        for i in ideas
    )
    if in_progress:
        fields += (Field(t("status.in_progress"), in_progress),)
    return [Card(t("status.title", count=len(ideas)), fields, kind="list")]


def submitted(t: Translator, idea_id: int, force_name: str, broker_names: Sequence[str]) -> list[Reply]:
    """``broker_names`` has one entry per broker, "" for one whose name the platform has not given us:
    a person is named or described, never shown as an id."""
    named = [name for name in broker_names if name]
    if named:
        who = t("submitted.brokers", names=", ".join(named), force=force_name)
    elif broker_names:
        who = t("submitted.broker_unnamed", force=force_name)
    else:
        who = t("submitted.no_broker", force=force_name)
    return [Text(t("submitted.thanks", ref=idea_id) + " " + who)]


def language_choice(t: Translator, prompt_key: str) -> Card:
    """Two buttons, each labelled in its own language (as the Welsh Language Standards expect)."""
    return Card(t(prompt_key), buttons=(Button("language.cy", "cy", t("language.button.cy"), ButtonStyle.PRIMARY),
                                        Button("language.en", "en", t("language.button.en"))), kind="info")


def help_reply(t: Translator, in_flow: bool) -> list[Reply]:
    reply: list[Reply] = [Text(t("help.text"))]
    if not in_flow:
        reply.append(Card(t("help.start_title"), buttons=(Button("capture.start", "", t("button.start"),
                                                                  ButtonStyle.PRIMARY),), kind="info"))
    return reply


def my_data(t: Translator, data: MyData) -> list[Reply]:
    fields = (
        Field(t("mydata.name"), data.display_name or t("summary.not_set")),
        Field(t("mydata.email"), data.email or t("summary.not_set")),
        Field(t("mydata.account"), data.platform_ref),
        Field(t("field.force"), data.force_name or t("summary.not_set")),
        Field(t("mydata.roles"), ", ".join(data.roles) or t("mydata.no_roles")),
        Field(t("mydata.ideas"), "\n".join(f"#{i.idea_id} {i.title} ({t(f'status.{i.status.value}')})"
                                            for i in data.ideas) or t("mydata.none")),
        Field(t("mydata.draft"), t("mydata.yes") if data.has_draft else t("mydata.none")),
        Field(t("mydata.connections"), str(data.connections_asked)),
        Field(t("mydata.decisions"), str(data.decisions_made)),
    )
    return [Card(t("mydata.title"), fields, body=t("mydata.intro"), note=t("mydata.rights"), kind="list")]
