"""The grading package's own examples, and its static checks on honest solutions."""
import doctest
import importlib
import sys

import pytest

from .test_exercises import ASSIGNMENTS, EXERCISES, source_nb

sys.path.insert(0, str(EXERCISES))


@pytest.mark.parametrize("module", ["sandbox", "kernel", "guard", "integrity", "feedback"])
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"d2l_grading.{module}")
    failed, tried = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert failed == 0 and (tried > 0 or module == "kernel")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_honest_solutions_raise_no_static_flag(assignment):
    from d2l_grading.integrity import scan_notebook
    assert scan_notebook(source_nb(assignment)) == {}


def test_missing_bwrap_stops_grading_with_install_hint(monkeypatch):
    from d2l_grading import sandbox
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    monkeypatch.setattr(sandbox.os, "access", lambda *a: False)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.find_tool("bwrap")
