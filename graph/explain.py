"""Why is this one node? The evidence behind an entity or event of an extraction's output.

``explain(out_dir, name_or_id)`` reads the tables that ``newsgraph extract`` writes
(``entities.csv``, ``mentions.csv``, ``merges.csv``, ``events.csv``) and returns, for every node
whose id, label or alias matches (case-, diacritic- and spacing-insensitively): its identity, each
cross-document merge with the rule and key that justified it, and every mention with its document,
sentence and the recogniser that found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .extract.lexicon import fold

#: How the tables join list values (see graph/export/tables.py).
LIST_SEPARATOR = "|"


@dataclass
class Explanation:
    node: str
    kind: str
    label: str
    aliases: list[str]
    documents: list[str]
    merges: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"{self.node}  ({self.kind})  {self.label}"]
        lines.append(f"  aliases:   {' | '.join(self.aliases)}")
        lines.append(f"  documents: {', '.join(self.documents)}")
        if self.merges:
            lines.append(f"  merges ({len(self.merges)}):")
            for m in self.merges:
                lines.append(f"    {m['left']}  +  {m['right']}")
                lines.append(f"        rule {m['rule']}, key {m['key']!r}")
        else:
            lines.append("  merges: none (one name in one document)")
        if self.mentions:
            lines.append(f"  mentions ({len(self.mentions)}):")
            for m in self.mentions:
                lines.append(f"    {m['doc']} sentence {m['sentence']}: {m['text']!r}  [{m['rule']}]")
        return "\n".join(lines)


def _read(out_dir: Path, name: str) -> pd.DataFrame:
    path = out_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found (run `newsgraph extract ... --out {out_dir}` first)")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _split(value: str) -> list[str]:
    return [v for v in value.split(LIST_SEPARATOR) if v] if value else []


def find_nodes(entities: pd.DataFrame, events: pd.DataFrame, query: str) -> list[str]:
    """Node ids matching ``query``: the id itself, else a label or alias, folded."""
    ids = set(entities["id"]) | set(events["id"])
    if query in ids:
        return [query]
    key = fold(query)
    found = [row.id for row in entities.itertuples() if key in {fold(row.label), *map(fold, _split(row.aliases))}]
    found += [row.id for row in events.itertuples() if key == fold(row.trigger) or key == fold(row.id)]
    return found


def explain(out_dir: str | Path, query: str) -> list[Explanation]:
    """Explanations of every node matching ``query`` in the output folder ``out_dir``."""
    out = Path(out_dir)
    entities, events = _read(out, "entities.csv"), _read(out, "events.csv")
    mentions, merges = _read(out, "mentions.csv"), _read(out, "merges.csv")
    result = []
    for node in find_nodes(entities, events, query):
        rows = entities[entities["id"] == node]
        if len(rows):
            row = rows.iloc[0]
            kind, label = row["kind"], row["label"]
            aliases, documents = _split(row["aliases"]), _split(row["documents"])
        else:
            row = events[events["id"] == node].iloc[0]
            kind, label, aliases, documents = "Event", row["event_type"], [row["trigger"]], _split(row["documents"])
        result.append(
            Explanation(
                node,
                kind,
                label,
                aliases,
                documents,
                merges=merges[merges["resolved"] == node].to_dict("records"),
                mentions=mentions[mentions["node"] == node].to_dict("records"),
            )
        )
    return result
