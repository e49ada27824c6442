"""Time fuzzy name search in the roster at 100,000 consultants, against a named peer.

Ours: `roster.services.name_matches` (the database narrows to the consultants sharing a
word's first letters with the query, by an index; rapidfuzz ranks only those), and the
whole list answer a page asks for with a name (total, every facet, a page of 50).
Peer, run alternately query by query: what the design avoids, the same scoring
(`names.scores`, rapidfuzz in C) over the stored key of every consultant.

The roster is generated (seeded): two fifths Chinese names (own script and pinyin),
the others Latin names with diacritics. Queries: pinyin split and joined, Chinese
characters, reversed order, typos and missing accents, of names that exist.

Run from the repository root:
    python bench/bench_roster_names.py [--consultants N] [--database-url URL]
(default: 100,000 consultants in a new SQLite file in a temporary folder).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from devagenda.bootstrap import initialize
from devagenda.core.actor import ANONYMOUS, acting_as
from devagenda.core.changelog import logged_run
from devagenda.core.context import AppContext
from devagenda.core.listing import Selection
from devagenda.roster import names
from devagenda.roster.models import Consultant, ConsultantNameToken
from devagenda.roster.schemas import ConsultantFilter
from devagenda.roster.services import consultant_source, name_matches

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞晓东雪梅文辉建国海燕宇"
FIRST = [
    "María",
    "José",
    "Ana",
    "Luis",
    "Carlos",
    "Amina",
    "Fatima",
    "Kwame",
    "Olga",
    "Ivan",
    "Priya",
    "Ahmed",
    "Élodie",
    "Søren",
    "Zoë",
    "Björn",
    "Nadia",
    "Omar",
    "Chinedu",
    "Thandiwe",
    "Mateus",
    "Inês",
    "Joaquín",
    "Lucía",
    "Ngozi",
    "Yusuf",
    "Aïcha",
    "Dmitri",
    "Anaïs",
    "Rafael",
    "Paulo",
    "Kofi",
    "Amara",
    "Leïla",
    "Hamza",
    "Mónica",
    "Tomás",
    "Agnieszka",
    "Łukasz",
    "Zeynep",
]
LAST = [
    "García",
    "López",
    "Pérez",
    "Rodríguez",
    "Martínez",
    "González",
    "Okafor",
    "Mensah",
    "Haddad",
    "Sharma",
    "Ivanova",
    "Petrov",
    "Müller",
    "Dubois",
    "Nørgaard",
    "Öztürk",
    "Nguyễn",
    "Kowalski",
    "Wiśniewski",
    "Silva",
    "Santos",
    "Fernández",
    "Ruiz",
    "Díaz",
    "Moreno",
    "Álvarez",
    "Romero",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Serrano",
    "Blanco",
    "Suárez",
    "Molina",
    "Castro",
    "Ortiz",
    "Rubio",
    "Marín",
    "Sanz",
    "Iglesias",
    "Núñez",
    "Medina",
    "Garrido",
    "Cortés",
    "Castillo",
    "Lozano",
    "Guerrero",
    "Cano",
    "Prieto",
    "Méndez",
    "Cruz",
    "Gallego",
    "Vidal",
    "León",
]


def roster(count: int, seed: int) -> list[tuple[str, str | None]]:
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    people: list[tuple[str, str | None]] = []
    for _ in range(count):
        if rng.random() < 0.4:
            own = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN_CHARS, rng.choice((1, 2))))
            syllables = lazy_pinyin(own)
            latin = f"{syllables[0].title()} {''.join(syllables[1:]).title()}"
            people.append((latin, own))
        else:
            people.append((f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}", None))
    return people


def load(context: AppContext, people: list[tuple[str, str | None]]) -> None:
    with context.transaction() as session, logged_run(session, "bench", "roster"):
        batch = 5_000
        for start in range(0, len(people), batch):
            rows = []
            for offset, (latin, own) in enumerate(people[start : start + batch]):
                key = names.name_key(latin, own)
                rows.append(
                    {
                        "id": start + offset + 1,
                        "code": f"B-{start + offset + 1}",
                        "name_latin": latin,
                        "name_own": own,
                        "name_key": key,
                    }
                )
            session.execute(insert(Consultant), rows)
            tokens = [
                {"consultant_id": row["id"], "token": token, "prefix": token[: names.PREFIX]}
                for row in rows
                for token in names.tokens(row["name_key"].split(names.KEY_SEPARATOR))
            ]
            session.execute(insert(ConsultantNameToken), tokens)


def queries(people: list[tuple[str, str | None]], count: int, seed: int) -> list[str]:
    """Names that exist, written as people type them: split or joined pinyin, Chinese,
    reversed, a letter swapped, no accents."""
    rng = random.Random(seed + 1)
    found = []
    for latin, own in rng.sample(people, count):
        kind = len(found) % 5
        if own and kind == 0:
            found.append(own)
        elif own and kind == 1:
            found.append(names.romanised(own))  # "wang xiao ming"
        elif kind == 2:
            found.append(" ".join(reversed(latin.split())))
        elif kind == 3 and len(latin) > 6:
            at = rng.randrange(1, len(latin) - 2)
            found.append(latin[:at] + latin[at + 1] + latin[at] + latin[at + 2 :])
        else:
            found.append(names.romanised(latin))  # no accents, lower case
    return found


def peer(context: AppContext, query: str) -> list[tuple[int, float]]:
    with context.sessions() as session:
        keys = session.execute(select(Consultant.id, Consultant.name_key)).all()
    romanised = names.romanised(query)
    likeness = names.scores(romanised, [key for _, key in keys])  # the same scoring, every row
    scored = [(i, score) for (i, _), score in zip(keys, likeness, strict=True)]
    return sorted((p for p in scored if p[1] >= names.MIN_SCORE), key=lambda p: -p[1])[:1000]


def ours(context: AppContext, query: str) -> list[tuple[int, float]]:
    with context.sessions() as session:
        return name_matches(session, query)


def whole_list(context: AppContext, query: str) -> int:
    with acting_as(ANONYMOUS), context.sessions() as session:
        source = consultant_source(session, ConsultantFilter(name=query))
        page = source.page_after(Selection(sort="match"), limit=50)
        return page.total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consultants", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-roster-"))
    url = args.database_url or f"sqlite:///{folder / 'roster.sqlite3'}"
    context = AppContext.for_url(url)
    initialize(context)
    people = roster(args.consultants, args.seed)
    started = time.perf_counter()
    load(context, people)
    print(f"loaded {len(people):,} consultants in {time.perf_counter() - started:.1f} s ({url})")
    asked = queries(people, args.queries, args.seed)
    ours(context, asked[0]), whole_list(context, asked[0])  # warm-up: pypinyin, caches
    timings: dict[str, list[float]] = {"ours": [], "list": [], "peer": []}
    found_first = 0
    for query in asked:
        for name, run in (("ours", ours), ("list", whole_list), ("peer", peer)):
            started = time.perf_counter()
            result = run(context, query)
            timings[name].append((time.perf_counter() - started) * 1000)
            if name == "ours":
                mine = result
            if name == "peer":
                found_first += bool(mine) and bool(result) and mine[0][1] == result[0][1]  # type: ignore[index]
    print(f"{len(asked)} queries; best score equal to the full scan's in {found_first}")
    print(f"{'':44}{'p50 ms':>9}{'p95 ms':>9}")
    labels = {
        "ours": "name_matches (index, then rapidfuzz)",
        "list": "the list with a name: total, facets, page",
        "peer": "peer: rapidfuzz over every stored key",
    }
    for name, label in labels.items():
        values = timings[name]
        print(f"{label:44}{statistics.median(values):9.1f}{percentile(values, 0.95):9.1f}")
    ratio = statistics.median(timings["peer"]) / statistics.median(timings["ours"])
    print(f"the full scan takes {ratio:.0f}x as long as ours (medians)")
    context.engine.dispose()


if __name__ == "__main__":
    main()
