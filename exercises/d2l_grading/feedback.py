"""Feedback that only says what the grader can vouch for.

A submission's code runs after (and during) the hidden tests, so anything it
prints could carry the hidden tests' code or expected values, however it is
encoded. :class:`SafeFeedback` therefore rebuilds every code cell's output in
the feedback from the instructor's own test cells and the scores:

* a test cell that passed: ``✔ q3 (center_rows): passed.``
* a test cell that failed a check: ``✘ q3 (center_rows) failed the hidden
  check: <what>`` and its hint, but only when that exact ``what`` (and hint)
  is a string written in that test cell's public part or hidden part;
  expected and actual values are never repeated;
* anything else: the kind of error when it is one of Python's built-in
  exceptions, or that the cell timed out, or that the kernel died;
* the learner's own cells: no output (they have it in their notebook).

Flagged submissions get a note at the top (the reasons stay with the
instructor, in the gradebook and the autograded notebook).
"""
import ast
import builtins
import re

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool

from d2l_grading.integrity import METADATA_KEY, _role

CHECK_CALL = re.compile(r"d2l\.check\(\s*(['\"])(?P<q>[^'\"]+)\1(?:\s*,\s*(['\"])(?P<t>[^'\"]*)\3)?")
FAIL_LINE = re.compile(r"^✘ (?P<name>.+?) failed the (?P<kind>hidden check|check): (?P<what>.*)$")
OWN_ERRORS = {"CellTimeoutError": "the cell ran out of time and was interrupted",
              "DeadKernelError": "the kernel died while this cell ran",
              "GradingStopped": "not run: grading of this notebook had stopped",
              "GradingIntegrityError": "no points: code in this notebook changed what the tests rely on"}


def string_literals(source):
    """Every string constant written in a cell's code.

    >>> sorted(string_literals("check.equal(x, 1, 'one', hint='add')"))
    ['add', 'one']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.add(node.value)
        elif isinstance(node, ast.JoinedStr):      # f'predicted[{key!r}]': keep the fixed parts as a pattern
            out.add(node)
    return out


def _allowed(text, literals):
    for lit in literals:
        if isinstance(lit, str) and text == lit:
            return True
        if isinstance(lit, ast.JoinedStr):
            pattern = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"[\w'\"\[\]\(\)., -]{1,40}"
                              for v in lit.values)
            if re.fullmatch(pattern, text):
                return True
    return False


def verdict(cell, source_with_hidden, show_values=False):
    """The feedback text of one test cell, from its outputs and the instructor's source.

    With ``show_values`` a failed check's expected and actual values are kept
    too (they may reveal a hidden check's answer: only for assignments that
    will not be given again).

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> src = "check = d2l.check('q1', 'sum')\\ncheck.equal(f(), 3, 'f() is 3', hint='add')"
    >>> cell = new_code_cell(src, outputs=[new_output('error', ename='AssertionError',
    ...     evalue='✘ q1 (sum) failed the check: f() is 3\\n    expected: 3\\n    actual:   4\\n    hint:     add',
    ...     traceback=[])])
    >>> print(verdict(cell, src))
    ✘ q1 (sum) failed the check: f() is 3
        hint: add
    """
    match = CHECK_CALL.search(source_with_hidden)
    name = "this test"
    if match:
        name = f"{match['q']} ({match['t']})" if match["t"] else match["q"]
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return f"✔ {name}: passed."
    ours = [o for o in errors if o.get("ename") in OWN_ERRORS]
    if ours:
        return f"✘ {name}: {OWN_ERRORS[ours[-1]['ename']]}."
    error = errors[0]
    literals = string_literals(source_with_hidden)
    if error.get("ename") == "AssertionError":
        lines = str(error.get("evalue", "")).splitlines()
        fail = FAIL_LINE.match(lines[0]) if lines else None
        if fail and fail["name"] == name and _allowed(fail["what"], literals):
            text = f"✘ {name} failed the {fail['kind']}: {fail['what']}"
            if show_values:
                text += "".join(f"\n    {line.strip()}" for line in lines[1:]
                                if line.strip().startswith(("expected:", "actual:")))
            hints = [line.split("hint:", 1)[1].strip() for line in lines[1:] if line.strip().startswith("hint:")]
            if hints and _allowed(hints[0], literals):
                text += f"\n    hint: {hints[0]}"
            return text
        return f"✘ {name}: a check failed."
    ename = error.get("ename", "")
    if isinstance(getattr(builtins, ename, None), type) and issubclass(getattr(builtins, ename), BaseException):
        return f"✘ {name}: the tests stopped with {ename}."
    return f"✘ {name}: the tests stopped with an error."


def _stream(text):
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")


class SafeFeedback(NbGraderPreprocessor):
    """Replace every code cell's outputs with text the grader can vouch for.

    In ``c.GenerateFeedback.preprocessors``, before ``ClearHiddenTests`` (it
    needs the hidden part of each test cell to recognise its check names).

    >>> SafeFeedback().enabled
    True
    """

    show_values = Bool(False, help=(
        "Also show a failed check's expected and actual values. They can give away a hidden "
        "check's answer, so leave this off for assignments that will be given again.")).tag(config=True)

    def preprocess(self, nb, resources):
        meta = nb.metadata.get(METADATA_KEY, {})
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            role = _role(cell)
            if role == "tests":
                cell.outputs = [_stream(verdict(cell, cell.source, self.show_values))]
            elif role == "solution":
                errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                cell.outputs = []
                if errors:
                    ename = errors[-1].get("ename", "")
                    known = ename in OWN_ERRORS or isinstance(getattr(builtins, ename, None), type)
                    cell.outputs = [_stream(f"(this cell stopped with {ename if known else 'an error'})")]
            else:
                cell.outputs = []
            cell.execution_count = None
        note = ("**About this feedback.** Each test cell shows whether it passed and, for a failed "
                "check, which one and its hint. " + (
                    "A failed check also shows what it expected and what your code gave. "
                    if self.show_values else "Expected values of hidden checks are not repeated here. ")
                + "The output of your own cells is not repeated: run your notebook to see it.")
        if meta.get("flagged"):
            note += ("\n\n**This submission was flagged for your instructor**: the grader found code "
                     "that reaches into the checker, the libraries or the notebook's machinery "
                     "(for example replacing a function, importing `sys` or `gc`, or rebinding a "
                     "name the tests use). Your instructor will look at it.")
        if meta.get("kernel"):
            note += f"\n\nGrading stopped early: {meta['kernel']}."
        from nbformat.v4 import new_markdown_cell
        nb.cells.insert(0, new_markdown_cell(note))
        return nb, resources
