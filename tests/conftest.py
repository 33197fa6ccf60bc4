"""Fixtures shared by the engine's test files."""
import logging

import pytest


@pytest.fixture
def tf_log():
    """The WARNING lines d2l_core logs (as TensorFlow's 'WARNING:tensorflow:...')."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("d2l_core")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
