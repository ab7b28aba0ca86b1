"""The quickstart notebook runs headless without an error cell and shows its tables and pictures."""

import json
import os
import sys

import nbformat
from nbclient import NotebookClient


def test_quickstart_notebook_runs(root, tmp_path, monkeypatch):
    # A kernel of the interpreter running the tests (the package under test is importable from it).
    spec = tmp_path / "kernels" / "journeygraph-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "journeygraph test",
        "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    nb = nbformat.read(root / "examples" / "notebooks" / "quickstart.ipynb", as_version=4)
    client = NotebookClient(nb, kernel_name="journeygraph-test", timeout=300, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)  # raises CellExecutionError on any error cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert "text/html" in kinds  # journeys, models and DataFrames
    assert "image/png" in kinds  # the attribution chart
    assert "image/svg+xml" in kinds or sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the graph
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr
