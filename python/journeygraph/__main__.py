"""``python -m journeygraph``: the retailer demo and attribution of a CSV file, printed with pandas.

Commands: ``version``; ``demo [--customers N] [--seed S]``; ``attribute FILE (--paths | --events)
[--order K] [--models LIST] [--csv]``. The C++ program ``journeygraph`` has the full set of options;
this entry point shows the Python package at work.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import pandas as pd

import journeygraph as jg


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 on a journeygraph error, 2 on a usage error.
    """
    parser = argparse.ArgumentParser(prog="python -m journeygraph", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the library version")
    demo = sub.add_parser("demo", help="attribution of orders 1 and 2 on the built-in retailer sample")
    demo.add_argument("--customers", type=int, default=20000)
    demo.add_argument("--seed", type=int, default=42)
    attr = sub.add_parser("attribute", help="attribution of a CSV file")
    attr.add_argument("file")
    kind = attr.add_mutually_exclusive_group(required=True)
    kind.add_argument("--paths", action="store_true", help="FILE holds aggregated paths")
    kind.add_argument("--events", action="store_true", help="FILE holds one row per touch")
    attr.add_argument("--order", type=int, default=1)
    attr.add_argument("--models", default="all", help="comma-separated model names, or 'all'")
    attr.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    args = parser.parse_args(argv)
    try:
        if args.command == "version":
            print(f"journeygraph {jg.__version__}")
        elif args.command == "demo":
            events = jg.datasets.sample_events(args.customers, args.seed)
            journeys = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device")
            print(f"journeygraph {jg.__version__} demo: {journeys.report.summary()}\n")
            with pd.option_context("display.width", 200, "display.max_columns", 20):
                for order in (1, 2):
                    table = jg.attribute(journeys, order=order)
                    print(f"Order {order}, P(conversion) {table.attrs['conversion_probability']:.6g}")
                    print(table[table.attrs["models"]].round(2).sort_values("markov", ascending=False), "\n")
        else:
            models = None if args.models == "all" else [m.strip() for m in args.models.split(",") if m.strip()]
            journeys = jg.read_paths(args.file) if args.paths else jg.read_events(args.file)
            table = jg.attribute(journeys, models=models, order=args.order)
            if args.csv:
                table.to_csv(sys.stdout, float_format="%.17g")
            else:
                with pd.option_context("display.width", 200, "display.max_columns", 20):
                    print(table)
    except jg.JourneyGraphError as exc:
        print(f"journeygraph: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
