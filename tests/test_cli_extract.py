"""``newsgraph extract`` end to end: the installed console script, real pipelines, real files.

Each CLI run loads the spaCy pipelines in a fresh process (a few seconds), so every run is a
module-scoped fixture shared by the tests that read its results.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

EN = (
    "Hanoi Film Academy opens a script lab\n"
    "Professor Daniel Whitmore of the Korean Screenwriters Association opened a script lab at the "
    "Hanoi Film Academy (HFA) in Vietnam on Tuesday.\n"
)
VI = (
    "Quỹ hỗ trợ sáng tạo trẻ tài trợ phim ngắn\n"
    "Sáng 12/3, tại Hà Nội, Quỹ hỗ trợ sáng tạo trẻ (YCF) công bố 20 dự án phim ngắn của Việt Nam và Hàn Quốc.\n"
)
TH = (
    "เวียดนามเปิดห้องเรียนเขียนบท\n"
    "ศาสตราจารย์ซาราห์ คอนเนอร์ จากมหาวิทยาลัยเยล เปิดห้องเรียนเขียนบทภาพยนตร์ที่กรุงเทพฯ\n"
)
GOOD = {"a_en.txt": EN, "b_vi.txt": VI, "c_th.txt": TH}

#: Bad inputs: file name -> (content, a word the error reason must contain).
BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "blob.txt": (b"\x00\x01\x02\x03GIF89a\x00\x00\xff\xfe\x00" * 20, "binary"),
    "latin1.txt": ("Café society in Hanoi is growing fast.\n".encode("latin-1"), "UTF-8"),
    "blank.html": (
        b"<!DOCTYPE html><html><head><title>Nothing here</title><script>var a = 1;</script></head>"
        b"<body><nav>Home</nav><footer></footer></body></html>",
        "no article text",
    ),
    "huge.txt": (b"Film news. " * 500_000, "too large"),  # 5.5 MB, above the 2 MB default
    "photo.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported file type"),
}

OUTPUTS = ("graph.graphml", "graph.ttl", "entities.csv", "mentions.csv")
SUMMARY = re.compile(r"^(\d+) documents \((\d+) failed\) in [\d.]+ s -> (.+)$", re.MULTILINE)


def newsgraph_command() -> list[str]:
    """The installed console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "newsgraph"
    if script.exists():
        return [str(script)]
    found = shutil.which("newsgraph")
    if found:
        return [found]
    return [sys.executable, "-c", "from graph.cli import app; app(prog_name='newsgraph')"]


@dataclass
class Run:
    proc: subprocess.CompletedProcess
    inputs: Path
    out: Path

    @property
    def errors(self) -> list[str]:
        return [line for line in self.proc.stderr.splitlines() if line.startswith("error:")]


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        newsgraph_command() + args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=300, umask=0o022,
    )


def write_good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def documents_meta(out: Path) -> dict[str, dict]:
    """Document metadata stored in the GraphML graph attributes."""
    G = nx.read_graphml(out / "graph.graphml")
    return json.loads(G.graph["documents"])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Three good articles and six bad inputs in one folder."""
    root = tmp_path_factory.mktemp("cli-mixed")
    inputs = root / "in"
    write_good(inputs)
    for name, (data, _) in BAD.items():
        (inputs / name).write_bytes(data)
    out = root / "out"
    return Run(run_cli(["extract", "in", "--out", "out"], cwd=root), inputs, out)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Only good inputs: three articles and a .jsonl file of three records."""
    root = tmp_path_factory.mktemp("cli-good")
    inputs = root / "in"
    write_good(inputs)
    records = [
        {"text": "Script lab opens in Chicago\nThe Korean Screenwriters Association opened a lab in Chicago."},
        {"text": "Lớp học biên kịch khai giảng\nHội Biên kịch Hàn Quốc mở lớp học tại Việt Nam.", "lang": "vi"},
        {"id": "fest-2025", "text": "Festival closes\nThe short film festival in Chicago closed on Sunday."},
    ]
    (inputs / "feed.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    out = root / "out"
    return Run(run_cli(["extract", str(inputs), "-o", str(out)], cwd=root), inputs, out)


@pytest.fixture(scope="module")
def forced(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The Vietnamese article read as English with ``--lang en``."""
    root = tmp_path_factory.mktemp("cli-lang")
    inputs = root / "in"
    write_good(inputs)
    out = root / "out"
    return Run(run_cli(["extract", str(inputs / "b_vi.txt"), "--lang", "en", "-o", str(out), "-q"], cwd=root),
               inputs, out)


# ----------------------------------------------------------------------------- good and bad inputs


def test_some_failed_exits_1(mixed: Run) -> None:
    assert mixed.proc.returncode == 1, mixed.proc.stderr
    assert "Traceback" not in mixed.proc.stderr


def test_one_error_line_per_bad_file(mixed: Run) -> None:
    errors = mixed.errors
    assert len(errors) == len(BAD), mixed.proc.stderr
    for name, (_, reason) in BAD.items():
        lines = [line for line in errors if re.search(rf"[/\\]{re.escape(name)}: ", line)]
        assert len(lines) == 1, (name, errors)
        assert reason in lines[0], lines[0]
    for name in GOOD:
        assert name not in mixed.proc.stderr


def test_good_documents_are_processed_despite_bad_ones(mixed: Run) -> None:
    match = SUMMARY.search(mixed.proc.stdout)
    assert match, mixed.proc.stdout
    assert match.group(1, 2) == ("3", str(len(BAD)))
    assert match.group(3) == "out"
    assert "entities by kind: " in mixed.proc.stdout
    meta = documents_meta(mixed.out)
    assert {k: v["lang"] for k, v in meta.items()} == {"a_en": "en", "b_vi": "vi", "c_th": "th"}
    rows = read_csv(mixed.out / "entities.csv")
    docs = {d for row in rows for d in row["documents"].split("|")}
    assert docs == {"a_en", "b_vi", "c_th"}
    vietnam = [row for row in rows if row["id"] == "country/VN"]
    assert len(vietnam) == 1
    assert vietnam[0]["documents"].split("|") == ["a_en", "b_vi", "c_th"]
    assert vietnam[0]["langs"].split("|") == ["en", "th", "vi"]


def test_outputs_written_without_leftover_temp_files(mixed: Run) -> None:
    for name in OUTPUTS:
        path = mixed.out / name
        assert path.is_file() and path.stat().st_size > 0, name
    assert list(mixed.out.glob(".*.tmp")) == []
    assert [p.name for p in mixed.out.iterdir() if p.name.startswith(".") and p.name != ".cache"] == []
    assert not (mixed.inputs / "out").exists()


def test_mentions_table_points_into_the_documents(mixed: Run) -> None:
    rows = read_csv(mixed.out / "mentions.csv")
    assert rows
    texts = {"a_en": EN, "b_vi": VI, "c_th": TH}
    for row in rows:
        # the cleaned text of these articles is the file content without the final newline
        text = texts[row["doc"]].strip()
        assert text[int(row["start"]) : int(row["end"])] == row["text"], row


def test_turtle_output_is_rdf(mixed: Run) -> None:
    ttl = (mixed.out / "graph.ttl").read_text(encoding="utf-8")
    assert "@prefix" in ttl
    assert "country/VN" in ttl


def test_outputs_follow_the_umask(mixed: Run) -> None:
    for name in OUTPUTS:
        assert stat.S_IMODE((mixed.out / name).stat().st_mode) == 0o644, name


# ----------------------------------------------------------------------------- only good inputs


def test_only_good_files_exit_0(good: Run) -> None:
    assert good.proc.returncode == 0, good.proc.stderr
    assert good.errors == []
    match = SUMMARY.search(good.proc.stdout)
    assert match, good.proc.stdout
    assert match.group(1, 2) == ("6", "0")
    for name in OUTPUTS:
        assert (good.out / name).is_file(), name
    assert list(good.out.glob(".*.tmp")) == []


def test_jsonl_records_become_documents(good: Run) -> None:
    meta = documents_meta(good.out)
    assert set(meta) == {"a_en", "b_vi", "c_th", "feed:1", "feed:2", "fest-2025"}
    assert meta["feed:1"]["lang"] == "en"
    assert meta["feed:2"]["lang"] == "vi"
    assert meta["fest-2025"]["title"] == "Festival closes"
    assert meta["feed:1"]["path"].endswith("feed.jsonl:1")
    rows = read_csv(good.out / "mentions.csv")
    assert {"feed:1", "feed:2", "fest-2025"} <= {row["doc"] for row in rows}


# ----------------------------------------------------------------------------- --lang


def test_lang_option_forces_the_language(forced: Run) -> None:
    assert forced.proc.returncode == 0, forced.proc.stderr
    assert forced.proc.stdout == ""  # --quiet: no summary
    meta = documents_meta(forced.out)
    assert list(meta) == ["b_vi"]
    assert meta["b_vi"]["lang"] == "en"
    rows = read_csv(forced.out / "entities.csv")
    assert rows
    assert {row["langs"] for row in rows} == {"en"}


def test_unknown_lang_is_a_usage_error(tmp_path: Path) -> None:
    write_good(tmp_path / "in")
    proc = run_cli(["extract", "in", "--lang", "fr", "-o", "out"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "unsupported language" in proc.stderr
    assert not (tmp_path / "out" / "graph.graphml").exists()
