"""CSV directory provider: users' own data, the bundled sample data set, and tests.

``[metrics.csv] dir = "PATH"`` holds one file per series: ``<SYMBOL>.csv`` with the header ``date,close`` for closes
and macro series (``DGS10.csv``; a FRED download's ``observation_date,DGS10`` header works too), and
``<SYMBOL>@<FIELD>.csv`` with ``date,value`` for quarterly statement lines (``7203.T@TotalRevenue.csv``). Dates are
ISO (YYYY-MM-DD); empty or "." values are skipped. An optional ``unit`` comment line (``# unit: JPY``) names the unit.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from tracker.metrics.providers.base import FetchResult, Observation, Provider, Query
from tracker.timeutil import iso

MAX_FILE_BYTES = 50 * 1024 * 1024  # a series file larger than this is refused


def file_for(root: Path, query: Query) -> Path:
    name = f"{query.symbol}@{query.field}.csv" if query.kind == "statement" else f"{query.symbol}.csv"
    return root / name


class CsvProvider(Provider):
    name = "csv"
    kinds = frozenset(("close", "statement", "macro"))
    batch_size = 500

    def __init__(self, directory: str | Path, *, name: str | None = None):
        self.root = Path(directory).expanduser()
        if name:
            self.name = name  # "sample": the bundled sample data set, labelled as such everywhere

    def supports(self, query: Query) -> bool:
        return query.kind in self.kinds and file_for(self.root, query).is_file()

    def extract(self, queries: list[Query]) -> dict[str, bytes | str]:
        """series id -> file bytes, or an error string when the file cannot be read."""
        out: dict[str, bytes | str] = {}
        for q in queries:
            p = file_for(self.root, q)
            try:
                if p.stat().st_size > MAX_FILE_BYTES:
                    out[q.series_id] = f"{p} is larger than {MAX_FILE_BYTES} bytes"
                    continue
                out[q.series_id] = p.read_bytes()
            except OSError as e:
                out[q.series_id] = f"cannot read {p}: {e.strerror or e}"
        return out

    def transform(self, raw: dict[str, bytes | str], queries: list[Query]) -> FetchResult:
        result = FetchResult()
        fetched = iso()
        for q in queries:
            data = raw.get(q.series_id)
            if data is None:
                result.missing[q.series_id] = f"no file {file_for(self.root, q).name} in {self.root}"
                continue
            if isinstance(data, str):
                result.missing[q.series_id] = data
                continue
            try:
                rows, unit = read_series_csv(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as e:
                result.missing[q.series_id] = f"{file_for(self.root, q).name}: {e}"
                continue
            obs = [Observation(q.series_id, d, v, self.name, fetched) for d, v in rows
                   if (q.start is None or d >= q.start.isoformat()) and (q.end is None or d <= q.end.isoformat())]
            result.observations[q.series_id] = obs
            if unit:
                result.units[q.series_id] = unit
        return result


def read_series_csv(text: str) -> tuple[list[tuple[str, float]], str | None]:
    """(sorted (date, value) rows, the unit from a ``# unit:`` line) of a ``date,value`` series text (a FRED CSV
    download's ``observation_date,CODE`` header too). Raises ValueError naming the bad header or line."""
    unit = None
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if key.strip().lower() == "unit" and value.strip():
                unit = value.strip()
            continue
        lines.append(line)
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = next(reader, None)
    if not header or len(header) < 2 or header[0].strip().lower() not in ("date", "observation_date"):
        raise ValueError("the header must be 'date,close' (or 'date,value')")
    rows: dict[str, float] = {}
    for n, rec in enumerate(reader, start=2):
        if len(rec) < 2 or not rec[0].strip():
            continue
        raw_value = rec[1].strip()
        if raw_value in ("", ".", "NaN", "nan", "null"):
            continue
        try:
            day = date.fromisoformat(rec[0].strip()[:10]).isoformat()
            value = float(raw_value)
        except ValueError:
            raise ValueError(f"line {n} is not 'YYYY-MM-DD,number': {','.join(rec)[:60]!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            continue
        rows[day] = value
    return sorted(rows.items()), unit
