# nbgrader configuration of the d2l-course exercises.
#
# Run every nbgrader command from this folder (exercises/), with the course's
# environment activated so that `alembic` is on PATH; see README.md here for
# the whole instructor workflow.

c = get_config()  # noqa: F821  (nbgrader provides get_config)

# The course: source/<assignment>/ holds the instructor's notebooks; nbgrader
# writes release/, submitted/, autograded/, feedback/ and gradebook.db next to
# this file (all ignored by git).
c.CourseDirectory.course_id = "d2l-course"

# Every assignment runs in seconds; a cell that takes longer than this is
# stuck (an infinite loop, say): it is interrupted, counted as failed, and
# grading goes on with the next cell and the next student.
c.Execute.timeout = 60

# Grade against the instructor's test cells even when a student deleted some:
# edited test cells are always restored; deleted ones only with this setting.
c.OverwriteCells.add_missing_cells = True

# What the release notebooks show in place of the solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The exchange (release_assignment / fetch_assignment / submit / collect) is a
# folder every instructor and student can write to. nbgrader's default is
# /srv/nbgrader/exchange; override it per command with --Exchange.root=DIR.
# c.Exchange.root = "/srv/nbgrader/exchange"

# -- Grading that a student cannot subvert (README: "Grading safely") ----------
# Each submission's kernel runs in a bubblewrap sandbox as an unprivileged user:
# it sees no course files but its own, no gradebook, no network, and runs under
# memory, process, CPU and file-size limits. Without bwrap, grading stops with
# an error that says how to install it. To grade unsandboxed anyway (students'
# code then runs with your rights), set c.SandboxedKernelManager.enabled = False.
import os  # noqa: E402
import sys  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from d2l_grading.feedback import SafeFeedback  # noqa: E402
from d2l_grading.integrity import FlagSubmission, GradingExecute  # noqa: E402
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades)
c.Execute.kernel_manager_class = "d2l_grading.sandbox.SandboxedKernelManager"
c.SandboxedKernelManager.memory_mb = 4096      # address space of one kernel
c.SandboxedKernelManager.processes = 256       # processes and threads of the sandbox user
c.SandboxedKernelManager.cpu_seconds = 900     # CPU time of one kernel
c.GradingExecute.wall_seconds = 600            # one notebook, all cells together
# Execute with the guard asked before every test cell (tampering zeroes the test
# cell), dead or stuck kernels costing only their own submission; then flag
# tampering in the gradebook (Formgrader's flag, comments on the answer cells).
c.Autograde.autograde_preprocessors = [
    GradingExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata, FlagSubmission]

# Feedback shows, per test cell, pass or fail and a failed check's name and hint
# (SafeFeedback), never the hidden tests' code, expected values or the output of
# the student's own code, so the same assignment can be given again next term. Kernels that grade print errors in
# IPython's "Minimal" mode (the error and its message, no quoted code), so a
# failing hidden check's traceback does not quote the hidden code either.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402
c.GenerateFeedback.preprocessors = [GetGrades, SafeFeedback, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
# For an assignment that will not be given again, feedback may also show a failed
# check's expected and actual values:
# c.SafeFeedback.show_values = True
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--InteractiveShell.xmode=Minimal"]
