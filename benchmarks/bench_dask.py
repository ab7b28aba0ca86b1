"""Time journeygraph.dask.fit on a Dask LocalCluster against the single-process fit of the same events.

Usage: .venv/bin/python benchmarks/bench_dask.py [--journeys N] [--partitions P] [--orders 1,2] [--repeat R]

The events come from the library's seeded synthetic generator (``jg.datasets.synthetic_events``), rows
shuffled so that journeys straddle partitions. Measured, best of R runs each:

- local:      ``jg.Journeys.from_events(df)`` then ``jg.MarkovModel(order).fit`` in this process (every core);
- dask:       ``journeygraph.dask.fit(dd.from_pandas(df, npartitions=P), order)`` on a LocalCluster of two
              worker processes with one thread each: the partitions travel from this process to the
              workers, are shuffled on the journey column, counted, merged and fitted here;
- persisted:  the same with the partitions already in the workers' memory (``ddf.persist()``), as when
              workers read the data themselves.

Wall time and CPU time (user + system) are both reported: CPU time is summed over this process, the
scheduler and the workers, so that it does not depend on how busy the shared machine is. Each Dask model
is checked to be equal to the local one bit for bit.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from typing import Callable, Dict, List, Tuple


def cpu_seconds() -> float:
    """User + system CPU seconds of the calling process (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=252_000, help="journeys to draw (about 4 touches each)")
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--orders", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import warnings

    warnings.filterwarnings("ignore", message="make_current is deprecated", category=DeprecationWarning)

    import dask
    import dask.dataframe as dd
    import distributed
    import numpy as np
    import pandas as pd

    import journeygraph as jg
    import journeygraph.dask as jgd

    kw = dict(journey="journey_id", time="timestamp", touchpoint="touchpoint", conversion="conversion",
              value="value")
    events = jg.datasets.synthetic_events(journeys=args.journeys, seed=1)
    events = events.sample(frac=1.0, random_state=1).reset_index(drop=True)
    orders = [int(k) for k in args.orders.split(",")]
    print(f"events: {len(events):,} touches, {args.journeys:,} journeys, {args.partitions} partitions")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"dask {dask.__version__}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}, load average before: {os.getloadavg()}")

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:

        def cluster_cpu() -> float:
            workers = client.run(cpu_seconds)
            return cpu_seconds() + client.run_on_scheduler(cpu_seconds) + sum(workers.values())

        def measure(fn: Callable[[], object], cpu: Callable[[], float]) -> Tuple[float, float, object]:
            best_wall, best_cpu, out = float("inf"), float("inf"), None
            for _ in range(args.repeat):
                c0, t0 = cpu(), time.perf_counter()
                out = fn()
                wall, used = time.perf_counter() - t0, cpu() - c0
                best_wall, best_cpu = min(best_wall, wall), min(best_cpu, used)
            return best_wall, best_cpu, out

        ddf = dd.from_pandas(events, npartitions=args.partitions)
        persisted = ddf.persist()
        distributed.wait(persisted)
        rows: List[Dict[str, object]] = []
        for order in orders:
            wall, cpu, local = measure(
                lambda: jg.MarkovModel(order=order).fit(jg.Journeys.from_events(events, **kw)), cpu_seconds)
            rows.append({"order": order, "path": "local (from_events + fit)", "wall": wall, "cpu": cpu, "equal": ""})
            for name, frame in (("dask.fit, partitions sent from the client", ddf),
                                ("dask.fit, partitions persisted on the workers", persisted)):
                wall, cpu, model = measure(lambda: jgd.fit(frame, order=order, **kw), cluster_cpu)
                rows.append({"order": order, "path": name, "wall": wall, "cpu": cpu,
                             "equal": model.to_bytes() == local.to_bytes()})
    print(f"load average after: {os.getloadavg()}")
    print()
    print("| order | path | wall s | CPU s | equal to local |")
    print("| ---: | --- | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['order']} | {r['path']} | {r['wall']:.3f} | {r['cpu']:.3f} | {r['equal']} |")


if __name__ == "__main__":
    main()
