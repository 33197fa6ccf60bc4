"""d2l_core's log: warnings shaped like TensorFlow's ("WARNING:d2l_core:...")."""
import logging
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
