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

Usage (from the repository root or from exercises/):

    python exercises/make_source.py            # (re)write source/<name>/<name>.ipynb
    python exercises/make_source.py --check    # exit 1 if a notebook is out of date
"""

import argparse
import difflib
import pathlib
import re
import sys

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
CONTENT = HERE / "content"
SOURCE = HERE / "source"

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report notebooks that differ from content/")
    args = parser.parse_args(argv)
    stale = []
    for path in sorted(CONTENT.glob("ch*.py")):
        target = SOURCE / path.stem / f"{path.stem}.ipynb"
        text = nbformat.writes(build(path)) + "\n"
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
