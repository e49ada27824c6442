"""jieba's dictionary read word by word from its on-disk copy: the same words as the
loaded dictionary, on the real report, and a copy of another dictionary is never used."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from devagenda.core.context import AppContext
from devagenda.reference.gazetteer import Gazetteer
from devagenda.search import dictionary
from devagenda.search.segment import HAN, cache_folder
from devagenda.search.services import search

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"
HAN_RUN = HAN.pattern.replace("]", "]+", 1)


@pytest.fixture(scope="module")
def loaded() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_folder())
    tokenizer.initialize()
    return tokenizer


@pytest.fixture(scope="module")
def copy_folder(loaded: jieba.Tokenizer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jieba")
    dictionary.write_copy(folder, loaded)
    return folder


def test_the_copy_holds_every_key_of_the_loaded_dictionary(
    loaded: jieba.Tokenizer, copy_folder: Path
) -> None:
    quick = dictionary.lookup_tokenizer(copy_folder)
    assert quick is not None and isinstance(quick.FREQ, dictionary.LookupDictionary)
    assert quick.total == loaded.total
    assert len(quick.FREQ) == len(loaded.FREQ) > 400_000
    sample = random.Random(8).sample(sorted(loaded.FREQ), 5000)
    assert {word: quick.FREQ[word] for word in sample} == {w: loaded.FREQ[w] for w in sample}
    assert 0 in {quick.FREQ[word] for word in sample}  # prefixes of words are kept too
    assert "不是一个词的字符串" not in quick.FREQ and quick.FREQ.get("不是一个词的字符串") is None


def test_the_copy_segments_the_real_report_and_every_name_alike(
    loaded: jieba.Tokenizer, copy_folder: Path
) -> None:
    import re

    quick = dictionary.lookup_tokenizer(copy_folder)
    assert quick is not None
    runs = re.findall(HAN_RUN, REPORT.read_text(encoding="utf-8"))
    names = [name for entry in Gazetteer.from_reference_data().entries for name in entry.names]
    texts = [*dict.fromkeys([*runs, *names, "发展中国家", "美食旅游", "最不发达国家"])]
    assert len(texts) > 2000
    for mode in ("default", "search"):
        assert [list(quick.tokenize(t, mode=mode)) for t in texts] == [
            list(loaded.tokenize(t, mode=mode)) for t in texts
        ]
    assert jieba.dt.initialized is False  # jieba's global dictionary was never loaded


def test_a_copy_of_another_dictionary_or_a_damaged_one_is_not_used(
    loaded: jieba.Tokenizer, tmp_path: Path
) -> None:
    dictionary.write_copy(tmp_path, loaded)
    path = tmp_path / dictionary.FILE_NAME
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE made_from SET identity = 'jieba 0.39; another dict.txt'")
    connection.close()
    assert dictionary.lookup_tokenizer(tmp_path) is None
    path.write_bytes(b"not a database at all")
    assert dictionary.lookup_tokenizer(tmp_path) is None
    path.unlink()
    assert dictionary.lookup_tokenizer(tmp_path) is None
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left behind


QUERIES = [
    "乌干达",
    "women",
    "技术援助",
    "发展中国家",
    "「美食旅游」",
    "知识产权 OR 专利",
    "坦桑尼亚联合共和国 -乌干达",
    "中小企业 women",
    "Uganda",
]


def test_the_command_line_search_answers_as_the_service(report: AppContext) -> None:
    """Each command is a new process, which reads the dictionary's copy (made on first
    use) and never loads jieba's dictionary; the answers are the service's, segmented
    with the loaded dictionary in this process."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    url = report.settings.database_url
    probe = (
        "import json, sys\n"
        "from devagenda.cli import app\n"
        "from devagenda.search import dictionary, segment\n"
        "try:\n"
        "    app(sys.argv[1:], prog_name='devagenda')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "quick = isinstance(segment.segmenter().FREQ, dictionary.LookupDictionary)\n"
        "print(json.dumps([quick, 'pkg_resources' in sys.modules]))\n"
    )
    for query in QUERIES:
        result = subprocess.run(
            [sys.executable, "-c", probe, "--database-url", url, "search", query, "--json"],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        *printed, flags = result.stdout.strip().splitlines()
        assert json.loads(flags) == [True, False], query
        with report.sessions() as session:
            expected = search(session, query, display_language="en")
        assert json.loads("\n".join(printed)) == expected.model_dump(mode="json"), query
