"""jieba's dictionary read word by word from its on-disk copy: the same words as the
loaded dictionary, on the real report, and a copy of another dictionary is never used."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import jieba
import pytest

from devagenda.reference.gazetteer import Gazetteer
from devagenda.search import dictionary
from devagenda.search.segment import HAN, cache_folder

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
