"""BERT's uncased WordPiece tokenizer in plain Python: what all-MiniLM-L6-v2 reads, without ``tokenizers``.

The model only needs word-piece ids. The ``tokenizers`` package computes them in Rust, but it pulls in
``huggingface_hub`` and ``hf_xet`` (a model-hub client this bot must never use) and about 30 MB with
them; a query is a few hundred characters, so plain Python is fast enough (well under a millisecond,
measured in docs/PERFORMANCE.md). This module follows the model's ``tokenizer.json`` exactly:

* normaliser (BertNormalizer, lowercase): drop NUL, U+FFFD and control/format characters; any
  whitespace becomes a space; CJK ideographs get spaces around them; accents are stripped (NFD, then
  non-spacing marks dropped); lowercase;
* pre-tokeniser (BertPreTokenizer): split on whitespace, and every punctuation character is a word;
* WordPiece: greedy longest match from the start of each word, continuations prefixed ``##``; a word
  longer than 100 characters, or with a piece not in the vocabulary, is one ``[UNK]``;
* special tokens typed literally ("[SEP]") are kept whole, as the original does;
* ``[CLS] … [SEP]`` around the pieces, cut to ``max_tokens`` in all.

``tests/storage/test_wordpiece.py`` checks ids made by the original for awkward texts (accents, Welsh,
CJK, emoji, punctuation, special tokens, very long words).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

UNK, CLS, SEP = "[UNK]", "[CLS]", "[SEP]"
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
MAX_WORD_CHARS = 100
PREFIX = "##"

_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
        (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(s) for s in SPECIAL) + ")")


def _is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in _CJK)


@functools.lru_cache(maxsize=4096)
def _clean(char: str) -> str:
    """The normaliser's first steps for one character: control characters go, whitespace becomes a
    space, a CJK ideograph is spaced out."""
    if char in "\t\n\r":
        return " "
    code = ord(char)
    if code == 0 or code == 0xFFFD or unicodedata.category(char).startswith("C"):
        return ""
    if char.isspace():
        return " "
    if _is_cjk(code):
        return f" {char} "
    return char


@functools.lru_cache(maxsize=4096)
def _is_punctuation(char: str) -> bool:
    return (char.isascii() and char.isprintable() and not char.isalnum() and char != " ") or \
        unicodedata.category(char).startswith("P")


def normalise(text: str) -> str:
    """BertNormalizer with lowercase and accent stripping, as the model's tokenizer.json sets it."""
    text = "".join(_clean(c) for c in text)
    if text.isascii():
        return text.lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return "".join(c.lower() for c in text)  # char by char, as the original: no final-sigma rule


def words(text: str) -> list[str]:
    """The normalised words and punctuation marks of ``text``, in order (no special tokens)."""
    out: list[str] = []
    current: list[str] = []
    for char in normalise(text):
        if char.isspace() or _is_punctuation(char):
            if current:
                out.append("".join(current))
                current = []
            if not char.isspace():
                out.append(char)
        else:
            current.append(char)
    if current:
        out.append("".join(current))
    return out


class WordPiece:
    """Ids of word pieces for texts, from a vocabulary given in id order (one token per id)."""

    def __init__(self, vocabulary: Sequence[str], max_tokens: int) -> None:
        self._ids = {token: i for i, token in enumerate(vocabulary)}
        for token in SPECIAL:
            if token not in self._ids:
                raise ValueError(f"the vocabulary lacks {token}")
        self.max_tokens = max_tokens
        self._word_ids = functools.lru_cache(maxsize=65_536)(self._pieces)

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self._ids[UNK],)
        ids = self._ids
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else PREFIX + word[start:end]
                hit = ids.get(piece)
                if hit is not None:
                    found.append(hit)
                    break
                end -= 1
            else:
                return (ids[UNK],)  # no piece fits: the whole word is unknown
            start = end
        return tuple(found)

    def encode(self, text: str) -> list[int]:
        """``[CLS]``, the pieces of ``text``, ``[SEP]``: at most ``max_tokens`` ids."""
        room = self.max_tokens - 2
        pieces: list[int] = []
        for part in _SPECIAL_SPLIT.split(text):
            if part in self._ids and part in SPECIAL:
                pieces.append(self._ids[part])
                continue
            for word in words(part):
                pieces.extend(self._word_ids(word))
            if len(pieces) >= room:
                break
        return [self._ids[CLS], *pieces[:room], self._ids[SEP]]
