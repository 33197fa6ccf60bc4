"""Fixtures and helpers shared by every kind of test (engine/, properties/, seeds/, course/, e2e/).

tests/ and each kind's folder are packages (empty ``__init__.py``), so pytest
imports a test file by its full name (``tests.engine.test_gpu``) and two kinds
may hold files with the same name. The shared helper modules live in
``tests/support/`` (not a package, not collected as tests), put on ``sys.path``
here, once, so that a test file in any folder can say
``from strategies import ...`` or ``import fake_cupy``.

Every test is marked with its kind (the markers are registered in
pyproject.toml), from the folder it lives in, so ``./course test -m engine``
runs one kind.
"""
import logging
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SUPPORT = TESTS / "support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

import fake_cupy  # noqa: E402  (needs SUPPORT on sys.path)

if os.environ.get("D2L_STAND_IN_GPU") == "1":
    fake_cupy.install_for_session()      # every test sees a (stand-in) GPU as the default device

KINDS = ("engine", "properties", "seeds", "course", "e2e")   # the folders of tests/
# What is collected outside tests/: the engine's doctests and the chapters under nbval.
OUTSIDE = {"d2l_core": "engine", "notebooks": "course"}


def _kind(path):
    """The kind of the test collected from ``path``, or None."""
    path = Path(path).resolve()
    if path.suffix == ".ipynb":
        return "course"
    if not path.is_relative_to(ROOT):
        return None
    parts = path.relative_to(ROOT).parts
    if parts[0] == "tests":
        return parts[1] if len(parts) > 2 and parts[1] in KINDS else None
    return OUTSIDE.get(parts[0])


@pytest.hookimpl(tryfirst=True)     # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        kind = _kind(item.path)
        if kind is not None:
            item.add_marker(kind)


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


@pytest.fixture
def gpu_default(monkeypatch):
    """A GPU that default placement sees, as TensorFlow sees a visible one.

    The real GPU where there is one, else the CuPy stand-in. The runtime
    restarts for the test (so ``config.set_visible_devices`` may still be
    called before its first op) and is put back afterwards.
    """
    from d2l_core import backend
    if backend.gpu_count() == 0:
        fake_cupy.install(monkeypatch)
    with fake_cupy.as_default():
        yield
