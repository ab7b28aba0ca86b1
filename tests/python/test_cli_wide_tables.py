"""Wide text tables of the command line: blocks of columns that fit the width, or the long format.

`attribute --models all --bootstrap` makes a table of ~40 columns (~380 characters). Printed to a pipe it must
fit 120 columns (or --width N), in blocks that each repeat the key column and say which columns they hold,
every cell printed once; --long prints (key, column, value) rows whose values are those of the CSV table.
"""

import io
import math

import pandas as pd
import pytest

ARGS = ("attribute", "--paths", "--models", "all", "--bootstrap", "20", "--seed", "3", "--quiet")


def run(run_cli, pathdata, *extra):
    return run_cli(ARGS[0], str(pathdata), *ARGS[1:], *extra)


def table_lines(text):
    """The lines of the rows part of a text table (from the first header, without the notes under it)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("touchpoint") or line.startswith("columns "))
    return lines[start:]


def blocks(text):
    """{(touchpoint, column): cell text} from a blocked (or whole) text table, and the block headings."""
    lines = table_lines(text)
    cells, headings, i = {}, [], 0
    while i < len(lines):
        if lines[i].startswith("columns "):
            headings.append(lines[i])
            i += 1
        if i >= len(lines) or not lines[i].startswith("touchpoint"):
            break
        head = lines[i].split()
        i += 2  # header and rule
        while i < len(lines) and lines[i].strip() and not lines[i].startswith("columns "):
            row = lines[i].split()
            if len(row) != len(head):
                break  # the notes under the table
            for name, value in zip(head[1:], row[1:]):
                assert (row[0], name) not in cells, f"{row[0]} {name} printed twice"
                cells[row[0], name] = value
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
    return cells, headings


@pytest.mark.parametrize("width", [None, "80", "200"])
def test_wide_table_fits_the_width_in_blocks(run_cli, pathdata, width):
    whole = run(run_cli, pathdata, "--width", "0")
    assert max(len(line) for line in table_lines(whole)[:3]) > 300  # the table that used to overflow
    text = run(run_cli, pathdata, *(("--width", width) if width else ()))
    limit = int(width or 120)
    cells, headings = blocks(text)
    ref, none = blocks(whole)
    assert not none and len(headings) >= 2
    rows = [line for line in table_lines(text) if not line.startswith("  ")]  # the notes are indented
    assert all(len(line) <= limit for line in rows), max(rows, key=len)
    assert cells == ref  # every cell once, beside its touchpoint, as the whole table shows it
    k = len(table_lines(whole)[0].split())
    ends = [h.split()[1].split("-") for h in headings]
    assert ends[0][0] == "2" and ends[-1][1] == str(k) and all(h.endswith(f" of {k}") for h in headings)
    assert all(int(b[0]) == int(a[1]) + 1 for a, b in zip(ends, ends[1:]))


def test_long_format_round_trips(run_cli, pathdata):
    wide = pd.read_csv(io.StringIO(run(run_cli, pathdata, "--format", "csv")))
    long = pd.read_csv(io.StringIO(run(run_cli, pathdata, "--format", "csv", "--long")))
    assert list(long.columns) == ["touchpoint", "column", "value"]
    assert len(long) == len(wide) * (len(wide.columns) - 1)
    back = long.pivot(index="touchpoint", columns="column", values="value")
    for name in wide.columns[1:]:
        for tp, v in zip(wide["touchpoint"], wide[name]):
            w = back.loc[tp, name]
            assert (math.isnan(v) and math.isnan(w)) or w == v, (tp, name, v, w)  # bit for bit
    text = run(run_cli, pathdata, "--long")
    lines = table_lines(text)
    assert lines[0].split() == ["touchpoint", "column", "value"]
    assert all(len(line) <= 120 for line in lines if not line.startswith("  "))
