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


def test_the_first_command_line_search_makes_the_copy(report: AppContext, tmp_path: Path) -> None:
    """In a new cache folder the first search loads jieba's dictionary and copies it; the
    next one reads the copy; both find what the service finds."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "XDG_CACHE_HOME": str(tmp_path),
    }
    url = report.settings.database_url
    probe = (
        "import sys\n"
        "from devagenda.cli import app\n"
        "from devagenda.search import dictionary, segment\n"
        "try:\n"
        "    app(sys.argv[1:], prog_name='devagenda')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(isinstance(segment.segmenter().FREQ, dictionary.LookupDictionary))\n"
    )
    copy = tmp_path / "devagenda" / "jieba" / dictionary.FILE_NAME
    with report.sessions() as session:
        expected = search(session, "乌干达 技术援助", display_language="en")
    for quick in (False, True):
        assert copy.is_file() is quick
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                probe,
                "--database-url",
                url,
                "search",
                "乌干达",
                "技术援助",
                "--json",
            ],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        *printed, flag = result.stdout.strip().splitlines()
        assert flag == str(quick)
        assert json.loads("\n".join(printed)) == expected.model_dump(mode="json")
    assert copy.is_file()
