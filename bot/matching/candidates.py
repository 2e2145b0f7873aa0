"""Picking the entries worth scoring for a query from the inverted index, without scanning the catalogue.

Split from ``index`` (which owns the postings) to keep each module readable; see ``pick_candidates``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

MAX_CANDIDATES = 150  # entries scored in full per query
POSTINGS_BUDGET = 40_000  # posting-list items read in Python per query to pick candidates
REWEIGHT_BUDGET = 50_000  # posting-list items intersected (in C) per query to re-weight them
CANDIDATE_POOL = 3_000  # entries in the pool before commoner terms stop adding to it


def pick_candidates(weights: dict[str, float], postings: dict[str, list[int]], live: Callable[[int], bool],
                    any_dead: bool) -> list[int]:
    """Slots of the entries sharing the most IDF weight with the query, rarest terms first.

    Rare terms add entries to the pool (a Python loop over their postings, within
    POSTINGS_BUDGET). Once the pool holds CANDIDATE_POOL entries, or holds enough to score and
    the next term is common, commoner terms no longer add entries (an entry sharing only common
    words rarely outranks one sharing a rare word); they only add weight to pooled entries, found
    by a set intersection that runs in C.
    """
    known = sorted((t for t in weights if t in postings), key=lambda t: len(postings[t]))
    budget, reweight_budget = POSTINGS_BUDGET, REWEIGHT_BUDGET
    acc: dict[int, float] = {}
    pool: set[int] | None = None  # frozen candidate pool, once commoner terms only re-weight
    skipped: list[str] = []
    for term in known:
        plist = postings[term]
        w = weights[term]
        if pool is None and (len(acc) >= CANDIDATE_POOL
                             or (len(acc) >= MAX_CANDIDATES and len(plist) > CANDIDATE_POOL)):
            pool = set(acc)
        if pool is not None:
            if len(plist) <= reweight_budget:
                reweight_budget -= len(plist)
                for slot in pool.intersection(plist):
                    acc[slot] += w
            continue
        if len(plist) > budget:
            skipped.append(term)  # too common to pick candidates with; still scored later
            continue
        budget -= len(plist)
        get = acc.get
        for slot in plist:
            acc[slot] = get(slot, 0.0) + w
    if not acc and skipped:
        # Every term is very common: take entries having all of the rarest few (set
        # intersection runs in C), stopping once few enough are left.
        common = set(postings[skipped[0]])
        for term in skipped[1:]:
            if len(common) <= MAX_CANDIDATES:
                break
            common.intersection_update(postings[term])
        return [slot for slot in sorted(common) if live(slot)][:MAX_CANDIDATES]
    if any_dead:  # tombstoned slots must not take candidate places
        acc = {slot: value for slot, value in acc.items() if live(slot)}
    if len(acc) <= MAX_CANDIDATES:
        return list(acc)
    return heapq.nlargest(MAX_CANDIDATES, acc, key=acc.__getitem__)
