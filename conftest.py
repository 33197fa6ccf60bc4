"""Repository-wide pytest setup: the names every doctest may use.

pytest gives each docstring its own copy of its module's globals, so an
example in ``d2l_core/ops/math.py`` cannot see the ``import d2l_core as d2l``
of the module docstring. Docstrings are written for ``help()`` readers who
have already run ``import d2l_core as d2l`` and ``import numpy as np``.
"""
import numpy as np
import pytest
from _pytest.doctest import DoctestItem

import d2l_core


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace, request):
    doctest_namespace["d2l"] = d2l_core
    doctest_namespace["np"] = np
    if not isinstance(request.node, DoctestItem):
        yield
        return
    # A docstring shows what the CPU prints (as TensorFlow's do): on a machine whose
    # default device is a GPU, its example still runs on the CPU, where the device
    # names, the last digits of float32 results and the function plans are the ones shown.
    with d2l_core.device("/CPU:0"):
        yield


# Chapter sources are notebooks written as Python (tools/chapters.py); importing one,
# as --doctest-modules would, runs the whole chapter.
collect_ignore_glob = ["notebooks/src/*.py"]
