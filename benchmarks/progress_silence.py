"""Longest silence of the progress callback in long Python calls: how soon Ctrl-C (or a callback returning
False) can take effect. For each call it prints the call's seconds and the longest gap between two calls of
the callback (from the start of the call to its end), with the stage and fraction around the gap.

usage: .venv/bin/python benchmarks/progress_silence.py EVENTS_CSV PATHS_CSV [THREADS]
(e.g. the 10M-row events file of `make bench` and benchmarks/data/paths_200tp.csv; see benchmarks/RESULTS.md)
"""

import sys
import time

import journeygraph as jg


def silence(name, call):
    calls = []

    def observe(fraction, stage):
        calls.append((time.perf_counter(), stage, fraction))
        return True

    start = time.perf_counter()
    result = call(observe)
    end = time.perf_counter()
    seen = [(start, "start", 0.0)] + calls + [(end, "end", 1.0)]
    gap, i = max((seen[k + 1][0] - seen[k][0], k) for k in range(len(seen) - 1))
    print(f"{name:28s} {end - start:7.2f} s  longest silence {gap:6.3f} s "
          f"({seen[i][1]} {seen[i][2]:.3f} -> {seen[i + 1][1]} {seen[i + 1][2]:.3f})", flush=True)
    return result


def main():
    events, paths = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    ev = silence("read_events", lambda cb: jg.read_events(events, threads=threads, progress=cb))
    silence("attribute all models", lambda cb: jg.attribute(ev, "all", threads=threads, progress=cb))
    silence("attribute bootstrap 20", lambda cb: jg.attribute(ev, "markov", order=2, bootstrap=20, ci=0.9,
                                                               threads=threads, progress=cb))
    silence("journey_credit", lambda cb: jg.journey_credit(ev, ["markov", "linear"], threads=threads, progress=cb))
    ps = silence("read_paths", lambda cb: jg.read_paths(paths, threads=threads, progress=cb))
    silence("attribute order 3", lambda cb: jg.attribute(ps, "markov", order=3, threads=threads, progress=cb))


if __name__ == "__main__":
    main()
