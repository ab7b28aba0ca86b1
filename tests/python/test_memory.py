"""From a DataFrame of 10M touches to an attribution DataFrame without copying the big columns.

Three child interpreters run the same work on the same 10M+ synthetic events and report how far their
peak resident memory rose above its level just before the work:
- "core": the events live in C++ memory (an EventTable) and go through the C++ build and attribution
  directly: the memory the C++ work itself needs;
- "frame": the events are a DataFrame (int64 journey ids, int64 times, categorical touchpoints) and go
  through jg.Journeys.from_events and jg.attribute;
- "copy": the same DataFrame with int32 times, which the adapter must widen into a new int64 array: a
  control that shows the measurement sees one copy of the time column.
"""

import json
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import ctypes, json, sys, threading, time
    import numpy as np
    import journeygraph as jg
    from journeygraph import _core

    mode = sys.argv[1]

    def status(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError(key)

    options = _core.SyntheticOptions()
    for name, value in dict(journeys=2_600_000, touchpoints=12, mean_touches=4.0, min_touches=1, zipf=1.0,
                            stickiness=0.3, base_conversion=0.08, seed=1).items():
        setattr(options, name, value)
    table = _core.synthetic_events(options)
    rows = len(table)
    df = None
    if mode != "core":
        df = jg.datasets.event_table_frame(table, time="int")
        if mode == "copy":
            df["timestamp"] = (df["timestamp"] - df["timestamp"].min()).astype(np.int32)
        del table
    copy_bytes = rows * (8 + 1)  # one int64 time column + one int8 codes column

    ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak (VmHWM) to the current resident size
        sampler = None
    except OSError:
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], status("VmRSS"))
                time.sleep(0.0005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    base = status("VmRSS")
    t = time.perf_counter()
    if mode == "core":
        journeys, _ = table.build(_core.JourneyOptions(), 0)
        options = _core.AttributionOptions()
        # fractribution's index of converting paths peaks after the build, where it would hide the control's copy.
        options.models = [m for m in _core.all_models() if m != "fractribution"]
        result = _core.attribute(journeys, options, 0)
        n = len(result["columns"]["touchpoint"])
    else:
        journeys = jg.Journeys.from_events(df, journey="journey_id", time="timestamp", touchpoint="touchpoint",
                                           conversion="conversion", value="value", time_unit="s")
        result = jg.attribute(journeys, models=[m for m in jg.attribution_models() if m != "fractribution"])
        n = len(result)
    seconds = time.perf_counter() - t
    if sampler is None:
        high = status("VmHWM")
    else:
        stop.set()
        sampler.join()
        high = peak[0]
    print(json.dumps({"rows": rows, "growth": high - base, "copy_bytes": copy_bytes, "seconds": seconds,
                      "touchpoints": n}))
    """
)


def run(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_dataframe_to_attribution_copies_no_big_column():
    core, frame, copy = run("core"), run("frame"), run("copy")
    assert frame["rows"] >= 10_000_000
    assert frame["touchpoints"] == core["touchpoints"] == 12
    time_column = frame["rows"] * 8
    extra = frame["growth"] - core["growth"]
    # Less than one copy of the touchpoint and time columns, and in fact less than half a time column.
    assert extra < frame["copy_bytes"], (frame, core)
    assert extra < time_column / 2, (frame, core)
    # The control: widening the time column costs one int64 copy, and the measurement sees it.
    assert copy["growth"] - core["growth"] > time_column / 2, (copy, core)


if __name__ == "__main__":
    for case in ("core", "frame", "copy"):
        print(case, run(case))
