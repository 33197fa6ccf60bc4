"""Fixtures and helpers shared by every kind of test (engine/, properties/, seeds/, course/, e2e/).

tests/ and each kind's folder are packages (empty ``__init__.py``), so pytest
imports a test file by its full name (``tests.engine.test_gpu``) and two kinds
may hold files with the same name. The shared helper modules live in
``tests/support/`` (not a package, not collected as tests), put on ``sys.path``
here, once, so that a test file in any folder can say
``from strategies import ...`` or ``import fake_cupy``.
"""
import logging
import sys
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parent / "support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))


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
