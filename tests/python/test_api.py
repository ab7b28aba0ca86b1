"""The package's surface: stubs match the extension, every public function is documented, CLI entry."""

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import journeygraph as jg


def stub_tree() -> ast.Module:
    return ast.parse((Path(jg.__file__).parent / "_core.pyi").read_text())


def test_typing_files_are_installed():
    here = Path(jg.__file__).parent
    assert (here / "py.typed").exists()
    assert (here / "_core.pyi").exists()


def test_stubs_match_the_extension():
    tree = stub_tree()
    top = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top[node.name] = node
        elif isinstance(node, ast.AnnAssign):
            top[node.target.id] = node
    public = {n for n in dir(jg._core) if not n.startswith("_")} | {"__version__"}
    assert set(top) == public
    for name, node in top.items():
        if not isinstance(node, ast.ClassDef) or name == "JourneyGraphError":
            continue
        cls = getattr(jg._core, name)
        declared = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        declared |= {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        actual = {n for n in dir(cls) if not n.startswith("_")} | ({"__len__"} & set(dir(cls))) | (
            {"__init__"} if "__init__" in declared else set())
        assert declared == actual, name


def test_stub_signatures_match_the_extension():
    """Argument names of each stubbed function equal those pybind11 reports."""
    for node in stub_tree().body:
        if not isinstance(node, ast.FunctionDef):
            continue
        doc = getattr(jg._core, node.name).__doc__
        signature = doc.splitlines()[0]
        for arg in node.args.args:
            assert f"{arg.arg}:" in signature, (node.name, arg.arg, signature)


def public_members():
    """(kind, object) of every public class, method, property and function of the package."""
    items = {}

    def add_class(name, cls):
        items[name] = ("class", cls)
        for attr, member in vars(cls).items():
            if attr.startswith("_"):
                continue
            if isinstance(member, property):
                items[f"{name}.{attr}"] = ("property", member.fget)
            elif inspect.isfunction(member):
                items[f"{name}.{attr}"] = ("function", member)
            elif isinstance(member, (classmethod, staticmethod)):
                items[f"{name}.{attr}"] = ("function", member.__func__)

    for name in jg.__all__:
        obj = getattr(jg, name)
        if inspect.isclass(obj) and obj.__module__.startswith("journeygraph.") and obj.__module__ != "journeygraph._core":
            add_class(name, obj)
        elif inspect.isfunction(obj):
            items[name] = ("function", obj)
    for name in jg.datasets.__all__:
        items[f"datasets.{name}"] = ("function", getattr(jg.datasets, name))
    return items


@pytest.mark.parametrize("name", sorted(public_members()))
def test_public_function_has_numpydoc(name):
    kind, obj = public_members()[name]
    doc = inspect.getdoc(obj)
    assert doc and len(doc.splitlines()[0]) > 10, name
    if kind != "function":
        return
    sig = inspect.signature(obj)
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    if params:
        assert "Parameters\n----------" in doc, name
        for p in params:
            shown = f"**{p.name}" if p.kind is p.VAR_KEYWORD else p.name
            assert shown in doc, (name, shown)
    if sig.return_annotation not in (None, "None"):
        assert "Returns\n-------" in doc, name


def test_no_second_command_line():
    """The command line is the journeygraph program; the package has no `python -m journeygraph` of its own."""
    done = subprocess.run([sys.executable, "-m", "journeygraph"], capture_output=True, text=True)
    assert done.returncode != 0 and "journeygraph.__main__" in done.stderr
