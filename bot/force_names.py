"""Which force a person means when they type its name: "Kent", "lancs", "the Met", "Heddlu Gwent".

Pure (no I/O): the conversation calls it with the forces list. ``resolve`` separates a name typed in
full (taken as it is) from a guess (an abbreviation, a Welsh name, a misspelling), which the person is
asked to confirm: filing an idea under the wrong force sends it to the wrong broker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from bot.domain import Force

# What officers actually call forces, beyond their formal names (always confirmed).
ALIASES = {
    "met": "metropolitan", "mps": "metropolitan", "met police": "metropolitan", "gmp": "greater-manchester",
    "btp": "british-transport", "mod": "ministry-of-defence", "mdp": "ministry-of-defence",
    "cnc": "civil-nuclear", "tvp": "thames-valley", "wmp": "west-midlands", "wyp": "west-yorkshire",
    "syp": "south-yorkshire", "nyp": "north-yorkshire", "asp": "avon-and-somerset", "avon": "avon-and-somerset",
    "somerset": "avon-and-somerset", "devon": "devon-and-cornwall", "cornwall": "devon-and-cornwall",
    "hampshire": "hampshire-and-isle-of-wight", "hants": "hampshire-and-isle-of-wight",
    "isle of wight": "hampshire-and-isle-of-wight", "lancs": "lancashire", "notts": "nottinghamshire",
    "northants": "northamptonshire", "leics": "leicestershire", "lincs": "lincolnshire", "herts": "hertfordshire",
    "beds": "bedfordshire", "bucks": "thames-valley", "glos": "gloucestershire", "wilts": "wiltshire",
    "staffs": "staffordshire", "warks": "warwickshire", "cambs": "cambridgeshire", "derbys": "derbyshire",
    "city": "city-of-london", "col": "city-of-london", "copp": "college-of-policing", "college": "college-of-policing",
    "scotland": "police-scotland", "northern ireland": "psni", "dpp": "dyfed-powys",
    # The Welsh forces' own names (Heddlu = police); "heddlu" itself is dropped before lookup.
    "gogledd cymru": "north-wales", "de cymru": "south-wales", "dyfed powys": "dyfed-powys",
}
_NOISE = re.compile(r"\b(the|police|constabulary|service|force)\b")
_WELSH = re.compile(r"\bheddlu\b")  # a Welsh name is a guess to confirm, so it is dropped only for guessing
CONFIRM_CUTOFF = 72


@dataclass(frozen=True)
class ForceGuess:
    """``named``: typed in full (no need to ask). Otherwise ``candidates`` to confirm, best first."""

    named: Force | None = None
    candidates: tuple[Force, ...] = ()


def _short(text: str, *, welsh: bool = False) -> str:
    plain = _NOISE.sub(" ", utils.default_process(text))
    return " ".join((_WELSH.sub(" ", plain) if welsh else plain).split())


def resolve(text: str, forces: Sequence[Force], limit: int = 3) -> ForceGuess:
    query = utils.default_process(text)
    if not query:
        return ForceGuess()
    by_slug = {f.slug: f for f in forces}
    for force in forces:
        if query in (force.slug.replace("-", " "), utils.default_process(force.name)) or \
                _short(text) == _short(force.name):
            return ForceGuess(named=force)
    short = _short(text, welsh=True)
    alias = ALIASES.get(short) or ALIASES.get(query)
    if alias in by_slug:
        return ForceGuess(candidates=(by_slug[alias],))
    if not short:
        return ForceGuess()
    scored: list[tuple[float, int, Force]] = []
    for i, force in enumerate(forces):
        name = _short(force.name)
        score = max(fuzz.ratio(short, name), fuzz.partial_ratio(short, name) if len(short) >= 4 else 0,
                    fuzz.token_set_ratio(short, name))
        if name.startswith(short) and len(short) >= 3:
            score = max(score, 95.0)
        if score >= CONFIRM_CUTOFF:
            scored.append((score, -i, force))
    scored.sort(reverse=True)
    # A clear favourite is offered alone; close scores are offered together.
    best = scored[0][0] if scored else 0
    return ForceGuess(candidates=tuple(f for s, _, f in scored[:limit] if s >= best - 10))
