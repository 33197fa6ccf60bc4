"""The grading package's own examples, and its static checks on honest solutions."""
import doctest
import os
import shutil
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


def test_feedback_shows_expected_values_only_when_configured():
    from nbformat.v4 import new_code_cell, new_output
    from d2l_grading.feedback import verdict
    source = "check = d2l.check('q1', 'sum')\ncheck.hidden()\ncheck.equal(f(), 3, 'f() is 3', hint='add')"
    cell = new_code_cell(source, outputs=[new_output(
        "error", ename="AssertionError", traceback=[],
        evalue="✘ q1 (sum) failed the hidden check: f() is 3\n    expected: 3\n    actual:   4\n    hint:     add")])
    assert verdict(cell, source) == "✘ q1 (sum) failed the hidden check: f() is 3\n    hint: add"
    assert verdict(cell, source, show_values=True).splitlines() == [
        "✘ q1 (sum) failed the hidden check: f() is 3", "    expected: 3", "    actual:   4", "    hint: add"]


def test_staging_refuses_a_huge_folder_and_never_copies_itself(tmp_path):
    from d2l_grading.sandbox import SandboxedKernelManager, SandboxUnavailable
    manager = SandboxedKernelManager(stage_mb=1)
    (tmp_path / "data.bin").write_bytes(b"0" * 2**19)
    (tmp_path / "answer.ipynb").write_text("{}")
    stage = manager._stage(str(tmp_path))
    assert sorted(os.listdir(stage)) == ["data.bin"]      # notebooks stay out
    (tmp_path / "more.bin").write_bytes(b"0" * 2**20)
    with pytest.raises(SandboxUnavailable, match="holds more than 1 MiB"):
        manager._stage(str(tmp_path))
    # the sandboxes' own private folders (d2l-sb-*) are never copied into a stage
    private = manager._private_folder()
    (tmp_path / "more.bin").unlink()
    (tmp_path / "d2l-sb-other").mkdir()
    (tmp_path / "d2l-sb-other" / "x.bin").write_bytes(b"0" * 10)
    assert "d2l-sb-other" not in os.listdir(manager._stage(str(tmp_path)))
    shutil.rmtree(private, ignore_errors=True)
