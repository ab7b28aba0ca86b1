"""Build of the journeygraph Python package: setuptools for the Python files, CMake for journeygraph._core.

The extension is built by CMake (target _core only, the library and bindings; no CLI, tests or
benchmarks) in build/python-<interpreter>, which persists between installs so that a reinstall
recompiles only what changed. Install into a virtual environment with
``pip install --no-build-isolation --no-index .``.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def library_version() -> str:
    text = (ROOT / "include" / "journeygraph" / "version.h").read_text(encoding="utf-8")
    match = re.search(r'#define JG_VERSION_STRING "([^"]+)"', text)
    if match is None:
        raise RuntimeError("JG_VERSION_STRING not found in include/journeygraph/version.h")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension whose sources CMake knows (bindings/CMakeLists.txt)."""

    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures and builds the _core target with CMake, then copies the module where setuptools wants it."""

    def build_extension(self, ext: Extension) -> None:
        build_dir = ROOT / "build" / f"python-{sys.implementation.cache_tag}"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DJG_BUILD_PYTHON=ON", "-DJG_BUILD_CLI=OFF", "-DJG_BUILD_TESTS=OFF", "-DJG_BUILD_BENCHMARKS=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if not (build_dir / "CMakeCache.txt").exists() and shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        subprocess.check_call(configure)
        jobs = os.environ.get("JOBS") or str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs])
        suffix = Path(self.get_ext_filename(ext.name)).name.split(".", 1)[1]
        built = build_dir / "bindings" / f"_core.{suffix}"
        if not built.exists():
            raise RuntimeError(f"CMake did not produce {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


class FreshBuildPy(build_py):
    """Copies the Python files into an emptied build directory, so that a file removed from python/ (a module
    that became a package, say) is not installed again from an earlier build."""

    def run(self) -> None:
        shutil.rmtree(Path(self.build_lib) / "journeygraph", ignore_errors=True)
        super().run()


setup(
    version=library_version(),
    package_dir={"": "python"},
    packages=["journeygraph", "journeygraph.dask"],
    package_data={"journeygraph": ["py.typed", "_core.pyi"]},
    ext_modules=[CMakeExtension("journeygraph._core")],
    cmdclass={"build_py": FreshBuildPy, "build_ext": CMakeBuild},
    options={"build": {"build_base": str(Path("build") / "setuptools")}},
    zip_safe=False,
)
