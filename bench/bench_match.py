"""Suggestions at scale: top 10 offers for each of 100,000 needs among 100,000 offers,
and the suggestions for one new need, with the hard constraints of match.suggestions
(kind of support, WIPO region) filtering before the ranking.

Ours: the constraints group the needs (one group per kind of support and region), and
each group is ranked against only the offers it may see, in blocks of needs, by one
matrix product and `match.suggestions.best`'s argpartition. Peer, in the same script on
the same data: brute-force NumPy, every need against every offer, the constraints
applied as a mask afterwards. The peer runs on a sample of needs (`--peer-needs`), since
all 100,000 would take minutes; both are timed on that sample and the ratio is theirs.

Embeddings are random unit vectors of the encoder's 512 dimensions: encoding 200,000
generated texts would take about ten minutes (3 ms a text here) and measures the
encoder, not the suggestions. Run: python bench/bench_match.py
"""

from __future__ import annotations

import argparse
import time

import numpy as np

DIMENSIONS = 512
SUPPORTS = 7  # the kinds of support
REGIONS = 5  # WIPO's regions
TOP = 10
BLOCK = 2048


def generate(count: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, rng.integers(0, SUPPORTS, count), rng.integers(0, REGIONS, count)


def top_rows(scores: np.ndarray, limit: int) -> np.ndarray:
    """Each row's `limit` best columns, best first."""
    part = np.argpartition(-scores, limit, axis=1)[:, :limit]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)


def ours(needs: tuple, offers: tuple, which: np.ndarray) -> dict[int, np.ndarray]:
    need_vectors, need_support, need_region = needs
    offer_vectors, offer_support, offer_region = offers
    found: dict[int, np.ndarray] = {}
    for support in range(SUPPORTS):
        for region in range(REGIONS):
            group = which[(need_support[which] == support) & (need_region[which] == region)]
            eligible = np.flatnonzero((offer_support == support) & (offer_region == region))
            if not len(group) or not len(eligible):
                continue
            pool = offer_vectors[eligible]
            for start in range(0, len(group), BLOCK):
                block = group[start : start + BLOCK]
                scores = need_vectors[block] @ pool.T
                best = eligible[top_rows(scores, min(TOP, len(eligible) - 1))]
                found.update(zip(block.tolist(), best, strict=True))
    return found


def peer(needs: tuple, offers: tuple, which: np.ndarray) -> dict[int, np.ndarray]:
    need_vectors, need_support, need_region = needs
    offer_vectors, offer_support, offer_region = offers
    found: dict[int, np.ndarray] = {}
    for start in range(0, len(which), BLOCK):
        block = which[start : start + BLOCK]
        scores = need_vectors[block] @ offer_vectors.T
        allowed = (need_support[block, None] == offer_support[None, :]) & (
            need_region[block, None] == offer_region[None, :]
        )
        scores[~allowed] = -np.inf
        found.update(zip(block.tolist(), top_rows(scores, TOP), strict=True))
    return found


def one_need(vector: np.ndarray, support: int, region: int, offers: tuple) -> np.ndarray:
    """Ours for a new need: the constraint filter first, then one product."""
    offer_vectors, offer_support, offer_region = offers
    eligible = np.flatnonzero((offer_support == support) & (offer_region == region))
    scores = offer_vectors[eligible] @ vector
    return eligible[np.argsort(-scores[np.argpartition(-scores, TOP)[:TOP]])]


def shipped(offers: tuple, path: str, runs: int) -> list[float]:
    """The shipped `suggest` for one need against the offers stored in a new SQLite file
    (each with one country of its region, no languages): what a user's request costs."""
    from sqlalchemy import insert, select

    from devagenda.bootstrap import initialize
    from devagenda.core.actor import Actor, Role, acting_as
    from devagenda.core.changelog import logged_run
    from devagenda.core.context import AppContext
    from devagenda.match.models import (
        MatchPost,
        MatchPostCountry,
        MatchPostEmbedding,
        Side,
        Support,
    )
    from devagenda.match.suggestions import suggest
    from devagenda.reference.codes import WipoRegion
    from devagenda.reference.models import Country

    context = AppContext.for_url(f"sqlite:///{path}")
    initialize(context)
    kinds, regions = list(Support), list(WipoRegion)
    vectors, supports, region_of = offers
    with acting_as(Actor(label="operator:bench", role=Role.ADMIN)), context.transaction() as db:
        country = {
            region: db.scalar(select(Country.alpha3).where(Country.wipo_region == region))
            for region in regions
        }
        with logged_run(db, "bench_match", "offers"):
            db.execute(
                insert(MatchPost),
                [
                    {
                        "id": i + 1,
                        "key": f"OFFER-{i}",
                        "side": Side.OFFER,
                        "owner": "bench",
                        "title_en": "offer",
                        "support": kinds[int(supports[i])],
                    }
                    for i in range(len(vectors))
                ],
            )
            db.execute(
                insert(MatchPostEmbedding),
                [{"post_id": i + 1, "vector": vectors[i].tobytes()} for i in range(len(vectors))],
            )
            db.execute(
                insert(MatchPostCountry),
                [
                    {
                        "post_id": i + 1,
                        "country_alpha3": country[regions[int(region_of[i])]],
                        "position": 0,
                    }
                    for i in range(len(vectors))
                ],
            )
            need = len(vectors) + 1
            db.execute(
                insert(MatchPost),
                [
                    {
                        "id": need,
                        "key": "NEED-0",
                        "side": Side.NEED,
                        "owner": "bench",
                        "title_en": "need",
                        "support": kinds[0],
                    }
                ],
            )
            db.execute(
                insert(MatchPostEmbedding), [{"post_id": need, "vector": vectors[0].tobytes()}]
            )
            db.execute(
                insert(MatchPostCountry),
                [{"post_id": need, "country_alpha3": country[regions[0]], "position": 0}],
            )
    timings = []
    for _ in range(runs):
        with context.transaction() as db:
            started = time.perf_counter()
            suggest(db, "NEED-0")
            timings.append(time.perf_counter() - started)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--peer-needs", type=int, default=5_000)
    parser.add_argument("--new-needs", type=int, default=50)
    parser.add_argument("--sqlite", metavar="FILE", help="Also time the shipped suggest here.")
    args = parser.parse_args()
    needs, offers = generate(args.needs, 1), generate(args.offers, 2)
    sample = np.arange(args.peer_needs)

    started = time.perf_counter()
    ours_sample = ours(needs, offers, sample)
    ours_sample_s = time.perf_counter() - started
    started = time.perf_counter()
    peer_sample = peer(needs, offers, sample)
    peer_sample_s = time.perf_counter() - started
    agree = sum(
        set(ours_sample[i].tolist()) == set(peer_sample[i].tolist()) for i in sample.tolist()
    )
    started = time.perf_counter()
    everything = ours(needs, offers, np.arange(args.needs))
    all_s = time.perf_counter() - started

    timings = []
    for i in range(args.new_needs):
        vector, support, region = needs[0][i], int(needs[1][i]), int(needs[2][i])
        started = time.perf_counter()
        one_need(vector, support, region, offers)
        timings.append(time.perf_counter() - started)
    timings.sort()

    print(f"{args.needs:,} needs x {args.offers:,} offers, {DIMENSIONS} dimensions, top {TOP}")
    print(
        f"sample of {args.peer_needs:,} needs:   ours {ours_sample_s:8.2f} s   "
        f"peer (brute-force numpy) {peer_sample_s:8.2f} s   ours/peer "
        f"{ours_sample_s / peer_sample_s:.3f}   same top {agree}/{len(sample)}"
    )
    print(f"every need ({len(everything):,} with candidates): ours {all_s:.2f} s")
    print(
        f"one new need, {args.new_needs} runs: median {timings[len(timings) // 2] * 1000:.1f} "
        f"ms, max {timings[-1] * 1000:.1f} ms"
    )
    if args.sqlite:
        stored = shipped(offers, args.sqlite, 11)
        print(
            f"shipped suggest, SQLite, one need, 11 runs: median {stored[5] * 1000:.0f} ms, "
            f"max {stored[-1] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
