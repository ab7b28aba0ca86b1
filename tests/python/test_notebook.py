"""The quickstart notebook runs headless without an error cell, shows its tables and pictures, and survives the
export to HTML (nbconvert) with every figure in it and non-empty."""

import base64
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pytest
from nbclient import NotebookClient

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def executed(root, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("notebook")
    # A kernel of the interpreter running the tests (the package under test is importable from it).
    spec = tmp_path / "kernels" / "journeygraph-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "journeygraph test",
        "language": "python",
    }))
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp_path)
    try:
        env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
        nb = nbformat.read(root / "examples" / "notebooks" / "quickstart.ipynb", as_version=4)
        client = NotebookClient(nb, kernel_name="journeygraph-test", timeout=300, allow_errors=False,
                                resources={"metadata": {"path": str(tmp_path)}})
        client.execute(env=env)  # raises CellExecutionError on any error cell
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved
    return nb, tmp_path


def outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def svg_is_drawn(svg: str) -> None:
    root = ET.fromstring(svg)
    assert float(root.get("width", "1").rstrip("ptx")) > 0 and float(root.get("height", "1").rstrip("ptx")) > 0
    marks = [e for e in root.iter() if e.tag in (SVG + "path", SVG + "rect", SVG + "text", SVG + "polygon")]
    assert len(marks) >= 20, len(marks)


def png_is_drawn(data: str) -> None:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(data)), format="png")
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert pixels[..., :3].std() > 0.05  # not a blank canvas


def test_quickstart_notebook_runs(executed):
    nb, _ = executed
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    kinds = {k for o in outs for k in o.get("data", {})}
    assert "text/html" in kinds  # journeys, models, the map and DataFrames
    stderr = [o.text for o in outs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr


def test_quickstart_shows_the_map_funnel_intervals_and_comparison(executed):
    nb, tmp_path = executed
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    html = [o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]
    # The journey map: its summary, graph and stage funnel inline.
    page = next(h for h in html if "journeygraph.JourneyMap" in h)
    assert page.count("<svg") == 2 and "stage funnel" in page
    # The event funnel with Wilson intervals, attribution with bootstrap intervals.
    assert any("step_rate_lower" in h for h in html) and any("markov_lower" in h for h in html)
    assert any("plot_attribution" in s for s in sources) and any("plot_model_comparison" in s for s in sources)
    assert (tmp_path / "quickstart_report.html").stat().st_size > 10000


def test_quickstart_exports_to_html_with_every_figure(executed):
    nb, tmp_path = executed
    # What the HTML shows of each output: its text/html (with the SVG inside) when it has one, else its image.
    figures_svg, figures_png, inline_svg = [], [], []
    for o in outputs(nb):
        data = o.get("data", {})
        if "text/html" in data:
            inline_svg += re.findall(r"<svg\b.*?</svg>", data["text/html"], flags=re.S)
        elif "image/svg+xml" in data:
            figures_svg.append(data["image/svg+xml"])
        elif "image/png" in data:
            figures_png.append(data["image/png"])
    assert len(figures_svg) + len(inline_svg) >= 3 and len(figures_png) >= 2
    for svg in figures_svg + inline_svg:
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg  # inline SVG: nbconvert refuses declarations
        svg_is_drawn(svg)
    for png in figures_png:
        png_is_drawn(png)

    # The export as a user runs it (nbconvert's HTML exporter in a process of its own).
    nbformat.write(nb, tmp_path / "executed.ipynb")
    done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(tmp_path / "executed.ipynb")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    body = (tmp_path / "executed.html").read_text(encoding="utf-8")
    for svg in figures_svg + inline_svg:
        assert svg.strip() in body
    for png in figures_png:
        assert f"data:image/png;base64,{png.strip()}" in body.replace("\n", "") or png.strip() in body
    exported = re.findall(r"<svg\b.*?</svg>", body, flags=re.S)
    assert len(exported) == len(figures_svg) + len(inline_svg)
    for svg in exported:
        svg_is_drawn(svg)
