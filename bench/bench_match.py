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
import os
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


NEW_NEEDS = 20  # stored needs the shipped suggest is timed for, one call each per round


def shipped(needs: tuple, offers: tuple, url: str, rounds: int) -> dict[str, object]:
    """The shipped `suggest` against the offers stored in a new database (each with one
    country of its region, no languages), for NEW_NEEDS stored needs: what a user's
    request costs. Timed from memory (match.held: the first call of a process loads
    every post, timed apart) and, alternately need by need, through SQL as before."""
    from sqlalchemy import insert, select

    from devagenda.bootstrap import initialize
    from devagenda.core.actor import Actor, Role, acting_as
    from devagenda.core.changelog import logged_run
    from devagenda.core.context import AppContext
    from devagenda.match import held
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

    context = AppContext.for_url(url)
    initialize(context)
    kinds, regions = list(Support), list(WipoRegion)
    vectors, supports, region_of = offers
    posts = [
        (f"OFFER-{i}", Side.OFFER, vectors[i], int(supports[i]), int(region_of[i]))
        for i in range(len(vectors))
    ]
    posts += [
        (f"NEED-{i}", Side.NEED, needs[0][i], int(needs[1][i]), int(needs[2][i]))
        for i in range(NEW_NEEDS)
    ]
    admin = Actor(label="operator:bench", role=Role.ADMIN)
    with acting_as(admin), context.transaction() as db:
        country = {
            region: db.scalar(select(Country.alpha3).where(Country.wipo_region == region))
            for region in regions
        }
        with logged_run(db, "bench_match", "posts"):
            for start in range(0, len(posts), 10_000):
                part = list(enumerate(posts))[start : start + 10_000]
                db.execute(
                    insert(MatchPost),
                    [
                        {
                            "id": i + 1,
                            "key": key,
                            "side": side,
                            "owner": "bench",
                            "title_en": key,
                            "support": kinds[support],
                        }
                        for i, (key, side, _, support, _) in part
                    ],
                )
                db.execute(
                    insert(MatchPostEmbedding),
                    [{"post_id": i + 1, "vector": post[2].tobytes()} for i, post in part],
                )
                db.execute(
                    insert(MatchPostCountry),
                    [
                        {"post_id": i + 1, "country_alpha3": country[regions[post[4]]]}
                        for i, post in part
                    ],
                )
    keys = [f"NEED-{i}" for i in range(NEW_NEEDS)]
    held.PROCESS = held.HeldPosts()  # a process that holds nothing yet
    rss_before = _rss_mb()
    with context.transaction() as db:
        started = time.perf_counter()
        suggest(db, keys[0])
        cold = time.perf_counter() - started
    rss_after = _rss_mb()
    memory, sql = [], []
    for _ in range(rounds):
        for key in keys:
            for in_memory, timings in ((True, memory), (False, sql)):
                with context.transaction() as db:
                    started = time.perf_counter()
                    suggest(db, key, in_memory=in_memory)
                    timings.append(time.perf_counter() - started)
    after_write = []
    for n in range(NEW_NEEDS):  # another session writes an offer; the next call reads it
        with acting_as(admin), context.transaction() as db:
            offer = MatchPost(  # an id of its own: the ids above were given, not drawn
                id=len(posts) + n + 1,
                key=f"OFFER-NEW-{n}",
                side=Side.OFFER,
                owner="bench",
                title_en="x",
            )
            db.add(offer)
            db.flush()
            db.add(MatchPostEmbedding(post_id=offer.id, vector=needs[0][n].tobytes()))
        with context.transaction() as db:
            started = time.perf_counter()
            found = suggest(db, keys[n])
            after_write.append(time.perf_counter() - started)
        assert found[0].key == f"OFFER-NEW-{n}"
    return {
        "cold": cold,
        "memory": sorted(memory),
        "sql": sorted(sql),
        "after_write": sorted(after_write),
        "held_mb": held.PROCESS.nbytes(context.engine) / 2**20,
        "rss_mb": rss_after - rss_before,
    }


def _rss_mb() -> float:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _quantiles(timings: list[float]) -> str:
    median = timings[len(timings) // 2] * 1000
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000
    return f"median {median:7.1f} ms   p95 {p95:7.1f} ms   max {timings[-1] * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--peer-needs", type=int, default=5_000)
    parser.add_argument("--new-needs", type=int, default=50)
    parser.add_argument("--sqlite", metavar="FILE", help="Also time the shipped suggest here.")
    parser.add_argument(
        "--database-url", help="Also time the shipped suggest in this (empty) database."
    )
    parser.add_argument("--rounds", type=int, default=3, help="Calls per stored need.")
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
    urls = [f"sqlite:///{args.sqlite}"] if args.sqlite else []
    urls += [args.database_url] if args.database_url else []
    for url in urls:
        found = shipped(needs, offers, url, args.rounds)
        engine = url.split(":", 1)[0].split("+")[0]
        calls = len(found["memory"])  # type: ignore[arg-type]
        print(f"shipped suggest, {engine}, {NEW_NEEDS} stored needs x {args.rounds} calls each:")
        print(f"  first call of a process (loads every post): {found['cold'] * 1000:.0f} ms")
        print(f"  held in memory, {calls} calls:          {_quantiles(found['memory'])}")  # type: ignore[arg-type]
        print(f"  through SQL (before), {calls} calls:    {_quantiles(found['sql'])}")  # type: ignore[arg-type]
        print(f"  after another session's write, {NEW_NEEDS}: {_quantiles(found['after_write'])}")  # type: ignore[arg-type]
        print(
            f"  held: {found['held_mb']:.0f} MB of arrays; resident memory grew "
            f"{found['rss_mb']:.0f} MB with the first call"
        )


if __name__ == "__main__":
    main()
