"""Grading that a student cannot subvert, for the course's nbgrader setup.

``nbgrader_config.py`` (next to this package) wires these parts into
``nbgrader autograde`` and ``nbgrader generate_feedback``:

* :mod:`d2l_grading.sandbox`: every submission's kernel runs under bubblewrap
  as an unprivileged user, sees only the system, the Python environment,
  d2l_core and the course data, has no network, and runs under memory,
  process, CPU and file-size limits.
* :mod:`d2l_grading.kernel` and :mod:`d2l_grading.guard`: inside the sandbox,
  the kernel snapshots the checker, the builtins, NumPy and d2l_core before any
  student code runs, and reports whether they were tampered with.
* :mod:`d2l_grading.integrity`: the grading side. It reads every answer cell
  (static checks that no code in the kernel can influence), asks the guard
  before each test cell, zeroes test cells run in a tampered kernel, survives
  dead and stuck kernels, and flags the submission in the gradebook.
* :mod:`d2l_grading.feedback`: feedback built only from what the grader can
  vouch for, so hidden tests and expected values cannot leave with it.
"""
