"""Writes the Python face's results for the inputs the R tests use, as exact hexadecimal floats.

The R package's testthat suite (r/tests/testthat/test-faces.R) reads these files and checks that R's results
equal them bit for bit: the reference paths at orders 1 and 3 (attribution, removal effects, transitions) and
the built-in retailer sample (attribution, and its event log as CSV text). Usage: python_results.py OUTPUT_DIR
"""

import sys
from pathlib import Path

import pandas as pd

import journeygraph as jg

ROOT = Path(__file__).resolve().parents[2]
MODELS = ["markov", "first_touch", "last_touch", "linear"]


def hexed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for name in out.columns:
        if pd.api.types.is_float_dtype(out[name]):
            out[name] = [float(x).hex() for x in out[name]]
    return out


def write(df: pd.DataFrame, path: Path) -> None:
    # Tables indexed by a column (attribution by touchpoint) keep it as a column, as R's data.frames do.
    flat = df.reset_index() if df.index.name is not None else df
    hexed(flat).to_csv(path, index=False)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    paths = jg.read_paths(str(ROOT / "tests" / "data" / "reference" / "pathdata.csv"))
    for order in (1, 3):
        write(jg.attribute(paths, models=MODELS, order=order), out / f"reference_attribution_{order}.csv")
        model = jg.MarkovModel(order=order).fit(paths)
        write(model.removal_effects(), out / f"reference_removal_{order}.csv")
        write(model.transitions(), out / f"reference_transitions_{order}.csv")
    # The built-in retailer sample, built from its event log with the default journey rules.
    events = jg.datasets.sample_events()
    # The event log itself (ISO-8601 times, shortest round-trip values), for R's data.frame route.
    events.to_csv(out / "sample_events.csv", index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    sample = jg.Journeys.from_events(events, segment="device")
    write(jg.attribute(sample, models=MODELS), out / "sample_attribution_1.csv")
    write(jg.attribute(sample, models=["markov"], order=3), out / "sample_attribution_3.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
