"""Finding existing innovations similar to what an officer describes.

Pure: no I/O. ``storage.matching_data`` reads the synonym table and the demo catalogue from disk and
hands their contents to :func:`parse_synonyms` and :class:`Matcher`.
"""

from bot.matching.index import Matcher
from bot.matching.model import CatalogueEntry, Match, MatchKind
from bot.matching.normalise import fold, stem, words
from bot.matching.scoring import DUPLICATE_THRESHOLD, RELATED_THRESHOLD, SEARCH_THRESHOLD
from bot.matching.synonyms import Analysis, Concept, SynonymTable, analyse, parse_synonyms

__all__ = [
    "DUPLICATE_THRESHOLD",
    "RELATED_THRESHOLD",
    "SEARCH_THRESHOLD",
    "Analysis",
    "CatalogueEntry",
    "Concept",
    "Match",
    "MatchKind",
    "Matcher",
    "SynonymTable",
    "analyse",
    "fold",
    "parse_synonyms",
    "stem",
    "words",
]
