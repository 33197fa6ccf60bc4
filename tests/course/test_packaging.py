"""The project installs the way the README says: pyproject and environment.yml agree."""
import pathlib
import re
import subprocess
import sys
import tomllib

import yaml

import d2l_core

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def _name(req):
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject_runtime_dependencies():
    conda = {_name(d): d.replace(" ", "") for d in ENV["dependencies"] if isinstance(d, str)}
    for req in PYPROJECT["project"]["dependencies"]:
        assert _name(req) in conda, f"environment.yml lacks {req}"
        assert conda[_name(req)] == req.replace(" ", ""), (
            f"environment.yml pins {conda[_name(req)]} but pyproject.toml says {req}")


def test_environment_yml_installs_the_package_with_course_and_dev_extras():
    pip = next(d["pip"] for d in ENV["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e .[course,dev]" in pip
    python = next(d for d in ENV["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minor = python.split("=")[1]
    assert PYPROJECT["project"]["requires-python"] == ">=3.10" and minor >= "3.10"


def test_extras_pin_a_tested_jupyterlab_nbgrader_pair_with_bounds():
    course = {_name(r): r for r in PYPROJECT["project"]["optional-dependencies"]["course"]}
    for pkg in ("jupyterlab", "nbgrader", "notebook"):
        assert ">=" in course[pkg] and "<" in course[pkg], f"{pkg} needs lower and upper bounds"
    assert _name(PYPROJECT["project"]["optional-dependencies"]["gpu"][0]) == "cupy-cuda12x"


def test_version_is_single_sourced():
    assert re.fullmatch(r"\d+\.\d+\.\d+", d2l_core.__version__)
    out = subprocess.run([sys.executable, "-m", "pip", "show", "d2l-core"],
                         capture_output=True, text=True).stdout
    assert f"Version: {d2l_core.__version__}" in out


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./course test" in readme and "./course open" in readme
    assert re.search(r"^exec \./course test$", ci, re.M)


def test_import_is_light():
    """`import d2l_core` must not pull in matplotlib, tqdm or cupy (startup time, no CUDA)."""
    code = ("import sys, d2l_core; bad = [m for m in ('matplotlib', 'cupy', 'tqdm', 'torch') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
