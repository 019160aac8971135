"""The SPARQL examples of the README run on the seeds' export and answer what they promise."""

from __future__ import annotations

import re
from pathlib import Path

from graph.store import query

pytest_plugins = ["outputs_fixtures"]

ROOT = Path(__file__).resolve().parents[1]


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", text, re.DOTALL)


def test_the_readme_has_three_example_queries():
    assert len(readme_queries()) == 3


def test_vietnam_korea_events_query(extraction):
    table = query(extraction.out, readme_queries()[0])
    assert {"Visit", "Opening"} <= set(table["type"])
    assert (table["vietnamese"] != "").all() and (table["korean"] != "").all()


def test_positions_query(extraction):
    table = query(extraction.out, readme_queries()[1])
    rows = set(zip(table["person"], table["title"], strict=True))
    assert ("Le Quoc Minh", "Chairman") in rows


def test_events_by_month_query(extraction):
    table = query(extraction.out, readme_queries()[2])
    counts = {(m, t): int(n) for m, t, n in zip(table["month"], table["type"], table["events"], strict=True)}
    assert counts[("2020-10", "Opening")] == 1
    assert counts[("2023-08", "Meeting")] == 1
