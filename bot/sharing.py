"""What an idea's text may show beyond its force: flagged detail masked unless a broker chose otherwise.

The rule, in one place: text that leaves the force (roundups, search results, similar-work suggestions,
connect-me messages, exports) passes through :func:`beyond_force`, which replaces every span the
sensitivity check flags with words such as "[phone number removed]" — unless the broker, shown each
flagged item, chose *Share as it is* for the network (``SharedAsIs.NETWORK``, recorded with the idea).
Masking is applied when the text is read, not when it is stored, so an improved detector protects
ideas approved before it existed, and the force itself keeps the officer's words.

Pure: no I/O. Storage keeps the broker's choice; this module decides what it means.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from bot import sensitivity
from bot.i18n import Translator
from bot.sensitivity import Flag

# The idea's fields that travel beyond the force, in the order a person reads them.
SHARED_FIELDS = ("title", "description", "problem")
_ENGLISH = Translator()


class SharedAsIs(enum.StrEnum):
    """A broker's *Share as it is* choice: for local use only, or for the network as well."""

    LOCAL = "local"
    NETWORK = "network"


def placeholder(kind: sensitivity.Kind, t: Translator | None = None) -> str:
    return (t or _ENGLISH)(f"sensitivity.removed.{kind.value}")


def mask(text: str, t: Translator | None = None, flags: Sequence[Flag] | None = None) -> str:
    """``text`` with each flagged span replaced by its words ("[phone number removed]")."""
    found = sensitivity.check(text) if flags is None else flags
    out, last = [], 0
    for flag in sorted(found, key=lambda f: f.start):
        if flag.start < last:  # overlapping flags from a caller: keep the first
            continue
        out += [text[last:flag.start], placeholder(flag.kind, t)]
        last = flag.end
    out.append(text[last:])
    return "".join(out)


def unmasked_beyond_force(shared_as_is: str | None) -> bool:
    return shared_as_is == SharedAsIs.NETWORK.value


def beyond_force(text: str, shared_as_is: str | None, t: Translator | None = None) -> str:
    """What other forces may read of ``text``: masked, unless the broker shared it as it is for the network."""
    return text if unmasked_beyond_force(shared_as_is) else mask(text, t)


def flagged_kinds(*texts: str) -> tuple[sensitivity.Kind, ...]:
    return sensitivity.kinds(tuple(f for text in texts for f in sensitivity.check(text)))
