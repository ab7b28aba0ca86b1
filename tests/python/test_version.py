import re

import journeygraph as jg


def test_version_matches_the_c_library(root, run_cli):
    header = (root / "include" / "journeygraph" / "version.h").read_text()
    expected = re.search(r'#define JG_VERSION_STRING "([^"]+)"', header).group(1)
    assert jg.__version__ == expected
    assert jg.__version__ == jg._core.version_string() == jg._core.header_version
    assert run_cli("version").strip() == f"journeygraph {jg.__version__}"


def test_public_names_exist():
    for name in jg.__all__:
        assert hasattr(jg, name), name


def test_error_is_a_value_error():
    assert issubclass(jg.JourneyGraphError, ValueError)
