"""The grading kernel: ipykernel started inside the sandbox, guard first.

Run by :class:`d2l_grading.sandbox.SandboxedKernelManager` as
``python -m d2l_grading.kernel -f CONNECTION_FILE [ipykernel options]``. Before
any notebook code runs it

1. copies the submission's own files (staged read-only at
   ``$D2L_GRADING_STAGE``) into its private, writable working folder;
2. installs the guard's audit hook (:func:`d2l_grading.guard.install`), which
   Python never lets anyone remove;
3. starts ipykernel, imports the checker, NumPy and d2l_core, and takes the
   guard's snapshot of them, of the builtins and of IPython's machinery.
"""
import os
import shutil
import sys


def copy_stage(stage, into="."):
    """Copy the staged files of the submission into the working folder.

    >>> import tempfile, pathlib
    >>> a, b = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> _ = pathlib.Path(a, 'data.csv').write_text('1,2')
    >>> copy_stage(a, b); sorted(os.listdir(b))
    ['data.csv']
    """
    for name in os.listdir(stage):
        source, target = os.path.join(stage, name), os.path.join(into, name)
        if os.path.isdir(source) and not os.path.islink(source):
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def main(argv=None):
    """Start the guarded kernel (inside the sandbox only)."""
    for folder in (os.environ.get("HOME"), os.environ.get("IPYTHONDIR"), os.environ.get("MPLCONFIGDIR")):
        if folder:
            os.makedirs(folder, exist_ok=True)
    stage = os.environ.pop("D2L_GRADING_STAGE", None)
    if stage and os.path.isdir(stage):
        copy_stage(stage)
    from d2l_grading import guard
    guard.install()
    from ipykernel.kernelapp import IPKernelApp
    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:] if argv is None else argv)
    guard.arm(app.shell)
    app.start()


if __name__ == "__main__":
    main()
