"""d2l_core's log: warnings shaped like TensorFlow's ("WARNING:d2l_core:...").

``outside_caller()`` finds the learner's line that a warning should point at.
"""
import contextlib
import logging
import os
import sys


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now, so Jupyter's redirected stream gets it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


logger = logging.getLogger("d2l_core")
if not logger.handlers:
    _handler = _CurrentStderr()
    _handler.setFormatter(logging.Formatter("%(levelname)s:d2l_core:%(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def warning(message):
    logger.warning(message)


# The package folder with a separator at the end: a learner's "d2l_core_notes/" is not ours.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _is_library(filename):
    return filename.startswith(_PACKAGE_DIR) or filename == contextlib.__file__


def outside_caller():
    """``(frame, stacklevel)`` of the first caller outside d2l_core, from where this is called.

    d2l_core's own files and ``contextlib`` (``with d2l.device(...)``) are
    skipped, so a warning or a graph node points at the learner's line.
    ``stacklevel`` is what ``warnings.warn`` needs, called from the same
    function; the frame is None when no caller is outside d2l_core.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and _is_library(frame.f_code.co_filename):
        frame, level = frame.f_back, level + 1
    return frame, level

