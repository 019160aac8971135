"""``newsgraph stats DIR``: the counts (graph.stats) and the command (CliRunner and the installed script)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph import explore
from graph.cli import app
from graph.stats import UNDATED, _month, compute_stats, format_stats, table, width

pytest_plugins = ["outputs_fixtures"]


def _section(text: str, title: str) -> list[str]:
    """The lines of one section of the output (after its title, header and rule; up to a blank line)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    body = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        body.append(line)
    return body[2:] if len(body) > 1 and set(body[1]) <= {"-", " "} else body


def _rows(text: str, title: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for a section whose first column has no spaces."""
    return {cells[0]: cells[1:] for cells in (line.split() for line in _section(text, title))}


@pytest.fixture(scope="module")
def cli_output(extraction) -> str:
    result = CliRunner().invoke(app, ["stats", str(extraction.out)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_counts_kinds_and_languages(extraction, cli_output: str) -> None:
    G = extraction.result.graph
    first = cli_output.splitlines()[0]
    assert f"{len(extraction.result.extractions)} documents" in first
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges" in first
    rows = _rows(cli_output, "Nodes by kind and language")
    langs = next(line for line in cli_output.splitlines() if line.startswith("kind ")).split()[2:]
    assert langs == sorted({lang for _, d in G.nodes(data=True) for lang in d.get("langs", [])})
    for kind, count in Counter(d["kind"] for _, d in G.nodes(data=True)).items():
        assert int(rows[kind][0]) == count, kind
        for lang, cell in zip(langs, rows[kind][1:], strict=True):
            expected = sum(d["kind"] == kind and lang in d.get("langs", []) for _, d in G.nodes(data=True))
            assert int(cell) == expected, (kind, lang)
    assert int(rows["all"][0]) == G.number_of_nodes()
    relations = _rows(cli_output, "Edges by relation")
    assert {k: int(v[0]) for k, v in relations.items()} == Counter(d["relation"] for *_, d in G.edges(data=True))


def test_stats_lists_the_entities_of_highest_degree(extraction, cli_output: str) -> None:
    G = extraction.result.graph
    entities = [n for n, d in G.nodes(data=True) if d["kind"] != "Event"]
    listed = _section(cli_output, "Top 10 entities by degree")
    assert len(listed) == min(10, len(entities))
    ids = [line.split()[-1] for line in listed]
    degrees = [G.degree(n) for n in ids]
    assert degrees == sorted(degrees, reverse=True)
    assert degrees[0] == max(G.degree(n) for n in entities)
    assert listed[0].split()[0] == "1"


def test_stats_events_section_matches_the_graph(extraction, cli_output: str) -> None:
    events = [d for _, d in extraction.result.graph.nodes(data=True) if d["kind"] == "Event"]
    section = _section(cli_output, "Events by type and month")
    if events:
        assert int(_rows(cli_output, "Events by type and month")["all"][0]) == len(events)
    else:
        assert section == ["(no events in this graph)"]


def test_stats_of_a_graph_with_events(sample_outputs: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(sample_outputs), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert len(_section(result.stdout, "Top 3 entities by degree")) == 3
    header = next(line for line in result.stdout.splitlines() if line.startswith("month "))
    assert header.split() == ["month", "events", "Agreement", "Opening"]
    rows = _rows(result.stdout, "Events by type and month")
    assert rows == {"2020-10": ["1", "0", "1"], "2024-03": ["1", "1", "0"], "all": ["2", "1", "1"]}


def test_compute_stats_is_plain_data(sample_outputs: Path) -> None:
    stats = compute_stats(explore.load(sample_outputs), top=2)
    assert stats["documents_by_lang"] == {"en": 1, "th": 1, "vi": 1}
    assert sum(c["total"] for c in stats["nodes_by_kind"].values()) == stats["nodes"] == 13
    assert stats["events_by_type"] == {"Agreement": 1, "Opening": 1}
    assert stats["top_entities"][0]["id"] == "organization/korea-creative-content-agency"
    assert stats["top_entities"][0]["degree"] == 6 and len(stats["top_entities"]) == 2
    assert format_stats(stats).startswith(f"{sample_outputs}: 3 documents (en 1, th 1, vi 1), 13 nodes, 15 edges")


def test_month_buckets() -> None:
    assert [_month(d) for d in ("2020-10-08", "2020-10", "2020", "", None, "8/10")] == [
        "2020-10", "2020-10", "2020", UNDATED, UNDATED, UNDATED]


def test_table_aligns_thai_and_vietnamese_by_terminal_columns() -> None:
    text = table(["name", "n"], [["สมชาย ใจดี", 12], ["Đặng Hoàng Giang", 3], ["Kim", 100]])
    lines = text.splitlines()
    assert width("สมชาย ใจดี") == 9  # the vowel above (U+0E35) takes no column
    assert len({width(line) for line in lines}) == 1  # numbers right-aligned at the same column
    assert lines[2].endswith(" 12") and lines[3].endswith("  3")


def test_stats_of_a_missing_folder_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no graph.graphml in") and len(result.stderr.splitlines()) == 1


def test_installed_command_prints_the_same(extraction, cli_output: str) -> None:
    script = Path(sys.executable).with_name("newsgraph")
    if not script.exists():
        pytest.skip(f"no console script at {script} (package not installed in this environment)")
    proc = subprocess.run([str(script), "stats", str(extraction.out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cli_output
