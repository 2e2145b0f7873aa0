"""The plain-Python WordPiece tokenizer gives exactly the ids of the original (Rust ``tokenizers`` with the
model's ``tokenizer.json``): the expected ids below were produced by the original. A different id would
silently move every query's vector away from the stored catalogue vectors."""

from __future__ import annotations

import pytest

from storage.semantic_model import MAX_TOKENS, VOCABULARY, MiniLmEmbedder
from storage.wordpiece import WordPiece, normalise, words

REFERENCE = [
    ("Quadcopters with infrared to look for lost walkers on the moors.",
     [101, 17718, 3597, 13876, 2545, 2007, 14611, 2000, 2298, 2005, 2439, 22559, 2006, 1996, 24812, 1012, 102]),
    ("Mae'r heddlu'n defnyddio dronau i chwilio am bobl ar goll: ŵ ŷ Â",
     [101, 11530, 1005, 1054, 2002, 14141, 7630, 1005, 1050, 13366, 4890, 14141, 3695, 2852, 7856, 2226, 1045,
      10381, 29602, 3695, 2572, 3960, 2140, 12098, 2175, 3363, 1024, 1059, 1061, 1037, 102]),
    ("naïve café RÉSUMÉ — Straße “quoted” ¿qué?",
     [101, 15743, 7668, 13746, 1517, 2358, 27807, 1523, 9339, 1524, 1094, 10861, 1029, 102]),
    ("日本語 and 中文 text", [101, 1864, 1876, 1950, 1998, 1746, 1861, 3793, 102]),
    ("🚓🚨 emoji only 👮\u200d♀️", [101, 100, 7861, 29147, 2072, 2069, 100, 102]),
    ("literal [SEP] and [CLS]x tokens", [101, 18204, 102, 1998, 101, 1060, 19204, 2015, 102]),
    ("a\x1cb\x0bc\x85d\u200be\ufffdf\x00g\ttab\r\nnew", [101, 5925, 3207, 2546, 2290, 21628, 2047, 102]),
    ("$100 + 5% <tag> a^b `q` |p| ~t",
     [101, 1002, 2531, 1009, 1019, 1003, 1026, 6415, 1028, 1037, 1034, 1038, 1036, 1053, 1036, 1064, 1052, 1064,
      1066, 1056, 102]),
    ("ΣΑΣ Σ σ ς", [101, 1173, 14608, 29733, 1173, 1173, 1172, 102]),
    ("x" * 101 + " short", [101, 100, 2460, 102]),
    ("DVPN issued by duty insp overnight; IDVA in the control room",
     [101, 1040, 2615, 2361, 2078, 3843, 2011, 4611, 16021, 2361, 11585, 1025, 8909, 3567, 1999, 1996, 2491, 2282,
      102]),
]


@pytest.fixture(scope="module")
def tokenizer() -> WordPiece:
    return WordPiece(VOCABULARY.read_text(encoding="utf-8").splitlines(), MAX_TOKENS)


@pytest.mark.parametrize(("text", "expected"), REFERENCE, ids=[t[:20] for t, _ in REFERENCE])
def test_ids_are_the_originals(tokenizer: WordPiece, text: str, expected: list[int]) -> None:
    assert tokenizer.encode(text) == expected


def test_long_text_is_cut_to_the_models_length(tokenizer: WordPiece) -> None:
    ids = tokenizer.encode("word " * 300)
    assert len(ids) == MAX_TOKENS
    assert ids[0] == 101 and ids[-1] == 102


def test_empty_text_is_just_the_markers(tokenizer: WordPiece) -> None:
    assert tokenizer.encode("") == [101, 102]
    assert tokenizer.encode(" \t\n") == [101, 102]


def test_normalising_strips_accents_and_splits_punctuation() -> None:
    assert normalise("Ŵyn CAFÉ") == "wyn cafe"
    assert words("bobl ar goll: dronau!") == ["bobl", "ar", "goll", ":", "dronau", "!"]


def test_a_vocabulary_without_the_special_tokens_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\[UNK\]"):
        WordPiece(["[PAD]", "a"], 8)


def test_the_model_reads_the_shipped_vocabulary() -> None:
    model = MiniLmEmbedder()
    vectors = model.embed(["thermal drone search for a missing walker", "drone with a heat camera finds lost hikers",
                           "a rota for cleaning the patrol cars"])
    # Unit vectors, and the paraphrase is nearer than the unrelated text: ids and model agree.
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-5
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2
