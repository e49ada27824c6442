"""The command line's search: on SQLite it reads the database with plain sqlite3 and
jieba's dictionary word by word from its copy, and still gives exactly the service's
answers (on PostgreSQL it reads through a session, with the same SQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from devagenda.core.context import AppContext
from devagenda.search import dictionary
from devagenda.search.services import search

# What the command is asked, and the service's options for the same.
QUERIES: list[tuple[list[str], dict[str, object]]] = [
    (["乌干达"], {}),
    (["Uganda"], {}),
    (["women"], {}),
    (["技术援助"], {}),
    (["发展中国家"], {}),
    (["「美食旅游」"], {}),  # a Chinese phrase: matched, then tested by LIKE
    (['"技术援助" 乌干达'], {}),
    (["知识产权", "OR", "专利"], {}),
    (["坦桑尼亚联合共和国", "NOT", "乌干达"], {}),
    (["中小企业", "women"], {}),
    (["wom*"], {}),
    (["entrepreneur", "gastronomy"], {}),  # nothing: suggestions
    (['"women'], {}),  # an unclosed quote: a notice
    (["项目", "--kind", "paragraph", "--limit", "5"], {"kinds": ["paragraph"], "limit": 5}),
    (["知识产权", "--country", "uga"], {"country": "uga"}),
    (["知识产权", "--lang", "zh", "--year", "2023"], {"display_language": "zh", "year": 2023}),
    (["women", "--kind", "country"], {"kinds": ["country"]}),  # filtered to nothing
]

PROBE = (
    "import json, sys\n"
    "from devagenda.cli import app\n"
    "from devagenda.search import dictionary, segment\n"
    "try:\n"
    "    app(sys.argv[1:], prog_name='devagenda')\n"
    "except SystemExit as exit:\n"
    "    assert not exit.code, exit.code\n"
    "quick = isinstance(segment.segmenter().FREQ, dictionary.LookupDictionary)\n"
    "print(json.dumps([quick, 'sqlalchemy' in sys.modules, 'pkg_resources' in sys.modules]))\n"
)


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder of the tests' own holding the dictionary copy, as the first search
    of a user leaves it (whatever the user's own cache holds)."""
    home = tmp_path_factory.mktemp("cache-home")
    folder = home / "devagenda" / "jieba"
    folder.mkdir(parents=True)
    loaded = jieba.Tokenizer()
    loaded.initialize()
    dictionary.write_copy(folder, loaded)
    return home


@pytest.mark.parametrize(("argv", "options"), QUERIES, ids=[" ".join(q[0]) for q in QUERIES])
def test_the_command_answers_as_the_service(
    report: AppContext,
    backend: str,
    cache_home: Path,
    argv: list[str],
    options: dict[str, object],
) -> None:
    """Each command is a new process, as a user runs it; the answer it prints is the
    service's in this process (a session, and jieba's loaded dictionary)."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "XDG_CACHE_HOME": str(cache_home),
    }
    url = report.settings.database_url
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--database-url", url, "search", *argv, "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *printed, flags = result.stdout.strip().splitlines()
    quick_dictionary, used_sqlalchemy, used_pkg_resources = json.loads(flags)
    assert quick_dictionary and not used_pkg_resources
    assert used_sqlalchemy is (backend != "sqlite")
    query = query_of(argv)
    with report.sessions() as session:
        expected = search(session, query, **{"display_language": "en", **options})
    assert json.loads("\n".join(printed)) == expected.model_dump(mode="json")


def query_of(argv: list[str]) -> str:
    """The words of `argv` that are neither options nor their values."""
    values = {argv[i + 1] for i, word in enumerate(argv[:-1]) if word.startswith("--")}
    return " ".join(word for word in argv if not word.startswith("--") and word not in values)


def test_the_queries_cover_what_the_service_does(report: AppContext) -> None:
    """The list above reaches the service's branches: hits, names in both languages,
    suggestions, notices, filters that leave nothing."""
    with report.sessions() as session:
        results = {
            " ".join(argv): search(session, query_of(argv), **options) for argv, options in QUERIES
        }
    assert results["乌干达"].total > 5 and results["乌干达"].names
    assert results["entrepreneur gastronomy"].total == 0
    assert results["entrepreneur gastronomy"].suggestions
    assert results['"women'].notices
    assert results["women --kind country"].total == 0
    assert results["women --kind country"].total_without_filters
    assert results["「美食旅游」"].total > 0
