"""Time journeygraph's Python path against the C++ command-line program on the same events.

Usage: .venv/bin/python benchmarks/bench_python.py [--journeys N] [--repeat R] [--cli build/bin/journeygraph]

The events come from the library's seeded synthetic generator: the C++ program writes them as a CSV
(``journeygraph generate --kind events``) and the Python side draws the very same rows into a DataFrame
(``jg.datasets.synthetic_events``): int64 journey ids, int64 epoch times, a categorical touchpoint column.
Measured, best of R runs each, all models, order 1:

- cli:        ``journeygraph attribute events.csv --events --models all --format csv`` (reads the CSV);
- python-csv: ``jg.read_events(csv)`` then ``jg.attribute`` (the same work through Python);
- dataframe:  ``jg.Journeys.from_events(df, ...)`` then ``jg.attribute``: DataFrame in, DataFrame out;
- core:       the C++ build and attribution on events already in C++ memory (no CSV, no pandas).

The script also checks that the DataFrame path gives the C++ program's attribution bit for bit.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import journeygraph as jg
from journeygraph import _core

ROOT = Path(__file__).resolve().parents[1]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=2_600_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", default=str(ROOT / "build" / "bin" / "journeygraph"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "events.csv"
        subprocess.run([args.cli, "generate", "--kind", "events", "--journeys", str(args.journeys), "--seed", "1",
                        "-o", str(csv)], check=True)
        df = jg.datasets.synthetic_events(journeys=args.journeys, seed=1)
        table = _core.synthetic_events(args.journeys, 12, 4.0, 1, 1.0, 0.3, 0.08, 1)
        rows = len(df)
        cli_cmd = [args.cli, "attribute", str(csv), "--events", "--models", "all", "--format", "csv", "--quiet"]

        cli_out = {}

        def run_cli():
            cli_out["text"] = subprocess.run(cli_cmd, check=True, capture_output=True, text=True).stdout

        def run_dataframe():
            journeys = jg.Journeys.from_events(df, journey="journey_id", time="timestamp", touchpoint="touchpoint",
                                               conversion="conversion", value="value")
            cli_out["frame"] = jg.attribute(journeys)

        def run_python_csv():
            jg.attribute(jg.read_events(csv))

        def run_core():
            journeys, _ = table.build()
            _core.attribute(journeys, _core.all_models())

        results = {
            "cli": best(run_cli, args.repeat),
            "python-csv": best(run_python_csv, args.repeat),
            "dataframe": best(run_dataframe, args.repeat),
            "core": best(run_core, args.repeat),
        }
        expected = pd.read_csv(io.StringIO(cli_out["text"]), float_precision="round_trip").set_index("touchpoint")
        frame = cli_out["frame"]
        same = all(
            np.array_equal(frame[m].to_numpy(), expected["markov_conversions" if m == "markov" else m].to_numpy())
            and np.array_equal(frame[f"{m}_value"].to_numpy(), expected[f"{m}_value"].to_numpy())
            for m in frame.attrs["models"]
        )

    print(f"journeygraph {jg.__version__}; {rows:,} touches in {args.journeys:,} journeys; best of {args.repeat}")
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d')}")
    print(f"DataFrame attribution equals the CLI's bit for bit: {same}")
    print()
    print("| path | seconds | vs CLI |")
    print("| --- | ---: | ---: |")
    labels = {
        "cli": "C++ CLI, events CSV -> attribution CSV",
        "python-csv": "Python, jg.read_events(csv) + jg.attribute",
        "dataframe": "Python, DataFrame -> jg.Journeys.from_events + jg.attribute -> DataFrame",
        "core": "C++ core, events in memory -> attribution (no CSV, no pandas)",
    }
    for key, seconds in results.items():
        print(f"| {labels[key]} | {seconds:.3f} | {seconds / results['cli']:.2f}x |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
