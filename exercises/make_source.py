"""Write the nbgrader source notebooks from the readable files in content/.

Each assignment is written as one Python file in "percent" format: a line
starting with ``# %%`` opens a new cell, and the rest of that line says what
the cell is for nbgrader.

    # %% [markdown]                  prose (read-only)
    # %%                             setup code (read-only, restored at grading)
    # %% scratch                     an ordinary cell for the learner to try things
    # %% solution q1                 autograded answer: ### BEGIN/END SOLUTION inside
    # %% tests q1_tests points=3     test cell: public checks, then
                                     ### BEGIN/END HIDDEN TESTS
    # %% [markdown] written q4 points=2
                                     manually graded written answer; its text is
                                     the model answer the grader sees

Markdown lines are written as comments (``# text``), so each content file is
also a plain Python script: ``python exercises/content/ch03_broadcasting.py``
runs the solutions and every check, hidden ones included, in a second.

It then writes the learner copies, ``learner/<name>/<name>.ipynb``: what
``nbgrader generate_assignment`` makes of each source notebook (solutions
replaced by stubs, hidden tests and model answers removed, checksums set), so
the chapters can link to a notebook without a solution in it.

Usage (from the repository root or from exercises/):

    python exercises/make_source.py              # (re)write source/ and learner/
    python exercises/make_source.py --check      # exit 1 if a notebook is out of date
    python exercises/make_source.py --bundle DIR # the course without solutions, for learners
"""

import argparse
import difflib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
CONTENT = HERE / "content"
SOURCE = HERE / "source"
LEARNER = HERE / "learner"
# What a learner's copy of the course leaves out: every file that holds a solution,
# a hidden test or a model answer (the tests hold honest and cheating submissions).
INSTRUCTOR_ONLY = ("exercises/content/", "exercises/source/", "tests/")
SECRET_LINE = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.MULTILINE)


def holds_secrets(path):
    """Does a notebook or Python file carry nbgrader's solution or hidden-test markers?"""
    if path.suffix == ".ipynb":
        return any(SECRET_LINE.search(cell.source) for cell in nbformat.read(path, 4).cells)
    return path.suffix == ".py" and bool(SECRET_LINE.search(path.read_text(errors="ignore")))

HEADER = re.compile(
    r"^# %%(?P<markdown> \[markdown\])?"
    r"(?: (?P<role>scratch|solution|tests|written))?"
    r"(?: (?P<grade_id>[A-Za-z0-9_-]+))?"
    r"(?: points=(?P<points>\d+))?\s*$"
)

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def nbgrader_metadata(role, grade_id, points):
    """The cell metadata nbgrader 0.9 expects for each role (schema version 3)."""
    meta = {"grade": False, "solution": False, "locked": True, "task": False,
            "schema_version": 3}
    if role == "solution":
        meta.update(solution=True, locked=False)
    elif role == "tests":
        meta.update(grade=True, points=points)
    elif role == "written":
        meta.update(grade=True, solution=True, locked=False, points=points)
    meta["grade_id"] = grade_id
    return meta


def parse(path):
    """Split a content file into (header match, source lines) pairs."""
    cells = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("# %%"):
            match = HEADER.match(line)
            if match is None:
                raise SystemExit(f"{path}:{number}: cannot read cell header {line!r}")
            cells.append((match, []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise SystemExit(f"{path}:{number}: text before the first '# %%' line")
    return cells


def uncomment(lines):
    """Markdown is stored as '# text' comment lines; strip the '# '."""
    out = []
    for line in lines:
        if line == "#" or line.startswith("# "):
            out.append(line[2:])
        elif not line.strip():
            out.append("")
        else:
            raise SystemExit(f"markdown line is not a comment: {line!r}")
    return out


def build(path):
    """Build the source notebook of one assignment from its content file."""
    name = path.stem
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": KERNELSPEC,
                   "language_info": {"name": "python", "pygments_lexer": "ipython3"}}
    seen = set()
    for index, (header, lines) in enumerate(parse(path)):
        role, grade_id, points = header["role"], header["grade_id"], header["points"]
        markdown = bool(header["markdown"])
        if role in ("solution", "tests", "written"):
            if not grade_id or grade_id in seen:
                raise SystemExit(f"{path}: cell {index}: missing or repeated id {grade_id!r}")
            if (role != "solution") != (points is not None):
                raise SystemExit(f"{path}: {grade_id}: points go with tests and written cells")
            if (role == "written") != markdown:
                raise SystemExit(f"{path}: {grade_id}: only written answers are markdown")
            seen.add(grade_id)
        source = "\n".join(uncomment(lines) if markdown else lines).strip("\n")
        if markdown:
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
        cell.id = grade_id or f"{name.replace('_', '-')}-{index:02d}"
        if role != "scratch":
            cell.metadata["nbgrader"] = nbgrader_metadata(
                role, grade_id or cell.id, int(points) if points else None)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def learner_copies(sources):
    """``{name: notebook text}``: nbgrader's release version of each source notebook text."""
    nbgrader = shutil.which("nbgrader") or str(pathlib.Path(sys.executable).with_name("nbgrader"))
    with tempfile.TemporaryDirectory() as root:
        for name, text in sources.items():
            folder = pathlib.Path(root, "source", name)
            folder.mkdir(parents=True)
            (folder / f"{name}.ipynb").write_text(text)
        env = dict(os.environ, PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}"
                   f"{os.environ.get('PATH', '')}")   # nbgrader needs alembic on PATH
        result = subprocess.run(
            [nbgrader, "generate_assignment", "*", f"--CourseDirectory.root={root}", "--force"],
            cwd=HERE, env=env, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"nbgrader generate_assignment failed:\n{result.stderr[-3000:]}")
        return {name: pathlib.Path(root, "release", name, f"{name}.ipynb").read_text()
                for name in sources}


def bundle(target):
    """Copy the course's committed files, less the instructor's, to ``target``."""
    target = pathlib.Path(target).resolve()
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty; give a new or empty folder")
    repo = HERE.parent
    files = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True,
                           text=True, check=True).stdout.split("\0")
    kept = [f for f in files if f and not f.startswith(INSTRUCTOR_ONLY)]
    for name in kept:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, target / name)
    leaks = [name for name in kept if holds_secrets(target / name)]
    if leaks:
        shutil.rmtree(target)
        raise SystemExit(f"not bundled: these files hold solutions or hidden tests: {leaks}")
    print(f"wrote {len(kept)} files to {target} (no exercises/source, exercises/content, tests)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report notebooks that differ from content/")
    parser.add_argument("--bundle", metavar="DIR",
                        help="copy the course without solutions and hidden tests to DIR")
    args = parser.parse_args(argv)
    if args.bundle:
        bundle(args.bundle)
        return 0
    stale = []
    names = [path.stem for path in sorted(CONTENT.glob("ch*.py"))]
    wanted = {SOURCE / n / f"{n}.ipynb": nbformat.writes(build(CONTENT / f"{n}.py")) + "\n"
              for n in names}
    copies = learner_copies({n: wanted[SOURCE / n / f"{n}.ipynb"] for n in names})
    wanted.update({LEARNER / n / f"{n}.ipynb": text for n, text in copies.items()})
    for target, text in wanted.items():
        old = target.read_text() if target.exists() else ""
        if old == text:
            continue
        if args.check:
            stale.append(target)
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True), str(target), "content", n=1))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            print(f"wrote {target.relative_to(HERE)}")
    if stale:
        print(f"{len(stale)} notebook(s) out of date: run python exercises/make_source.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
