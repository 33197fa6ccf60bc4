"""d2l_core's log: warnings shaped like TensorFlow's ("WARNING:d2l_core:...")."""
import logging
import sys

logger = logging.getLogger("d2l_core")
if not logger.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(levelname)s:d2l_core:%(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def warning(message):
    logger.warning(message)
