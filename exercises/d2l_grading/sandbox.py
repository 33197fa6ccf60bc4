"""A Jupyter kernel manager that runs each kernel in a bubblewrap sandbox.

nbgrader starts one kernel per submitted notebook. With
``c.Execute.kernel_manager_class = "d2l_grading.sandbox.SandboxedKernelManager"``
(set in ``nbgrader_config.py``) that kernel runs as::

    prlimit --as=... --nproc=... --cpu=... --fsize=... --core=0 --
      bwrap --unshare-pid --unshare-net --unshare-ipc --unshare-uts --die-with-parent
            --new-session --clearenv --cap-add CAP_SETUID --cap-add CAP_SETGID
            --proc /proc --dev /dev --tmpfs /tmp
            --ro-bind <system, Python, d2l_core, course data> ...
            --tmpfs <the submission's folder> --
        setpriv --reuid=UID --regid=UID --clear-groups --inh-caps=-all --bounding-set=-all
                --no-new-privs --
          python -m d2l_grading.kernel -f <connection file>

* **What it can see.** A fresh mount namespace holding only the operating
  system, the Python environment, the ``d2l_core`` package and the course's
  data files, all read-only, plus a private copy of the submission's own
  files (its notebooks left out: they hold the restored hidden tests). The
  course folder (source, release, other students, gradebook.db), home folders
  and the rest of the machine are not there at all.
* **Who it is.** An unprivileged uid (``uid``, default 64055, no account
  needed; one per grading process, from a range of ``uid_span``) with no
  capabilities.
* **No network.** A network namespace of its own with only a loopback. The
  grader talks to the kernel over Unix sockets (ZeroMQ ``ipc``) in a private
  folder that is bound into the sandbox.
* **Limits.** Address space, processes of the sandbox user, CPU seconds,
  file size and the size of its writable folders; a fork bomb or a memory
  bomb fails inside the submission. When the kernel dies, everything it
  started dies with it (a pid namespace).

When ``bwrap`` is missing, starting a kernel raises :class:`SandboxUnavailable`
with the command that installs it; grading never falls back to running
unsandboxed unless ``c.SandboxedKernelManager.enabled = False`` says so.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode

HERE = Path(__file__).resolve().parent

INSTALL_HINT = ("install bubblewrap: `sudo apt-get install bubblewrap` (Debian/Ubuntu), "
                "`sudo dnf install bubblewrap` (Fedora) or `sudo pacman -S bubblewrap`; "
                "to grade without a sandbox anyway (students' code then runs with your "
                "rights), set c.SandboxedKernelManager.enabled = False in nbgrader_config.py")

# Environment variables passed into the sandbox (all others are dropped).
PASSED_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", "MPLBACKEND",
              "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "D2L_DATA_DIR")

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start; the message says why and how to fix it.

    >>> str(SandboxUnavailable('bwrap not found')).startswith('grading sandbox')
    True
    """

    def __init__(self, reason):
        super().__init__(f"grading sandbox: {reason}")


def find_tool(name):
    """The absolute path of a program the sandbox needs, or raise SandboxUnavailable.

    >>> find_tool('sh').endswith('/sh')
    True
    """
    path = shutil.which(name) or next(
        (p for p in (f"/usr/bin/{name}", f"/bin/{name}") if os.access(p, os.X_OK)), None)
    if path is None:
        hint = INSTALL_HINT if name == "bwrap" else "install util-linux"
        raise SandboxUnavailable(f"`{name}` was not found on PATH; {hint}")
    return path


def _inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def readable_roots(python=sys.executable):
    """The folders the sandbox may read: the system, Python, d2l_core, course data.

    Each folder appears once, outermost first; the list never includes a
    folder that merely happens to contain them (the repository, a home folder).

    >>> roots = readable_roots()
    >>> any(r.endswith('d2l_core') for r in roots) and '/usr' in roots
    True
    """
    roots = [d for d in SYSTEM_DIRS if os.path.exists(d)]
    python_dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                   os.path.dirname(os.path.dirname(os.path.realpath(python)))}
    roots += sorted(python_dirs)
    spec = importlib.util.find_spec("d2l_core")
    if spec is not None and spec.submodule_search_locations:
        package = Path(list(spec.submodule_search_locations)[0]).resolve()
        roots.append(str(package))
        data = package.parent / "data"           # the repository's data/ (MNIST subset)
        if (data / "mnist_subset.npz").exists():
            roots.append(str(data))
    if os.environ.get("D2L_DATA_DIR") and os.path.isdir(os.environ["D2L_DATA_DIR"]):
        roots.append(os.path.realpath(os.environ["D2L_DATA_DIR"]))
    out = []
    for root in roots:
        if os.path.islink(root) or not any(
                _inside(root, other) for other in out if not os.path.islink(other)):
            out.append(root)
    return out


class SandboxedKernelManager(AsyncKernelManager):
    """Start every kernel in a bubblewrap sandbox (see the module's docstring).

    Configure it in ``nbgrader_config.py``::

        c.Execute.kernel_manager_class = "d2l_grading.sandbox.SandboxedKernelManager"
        c.SandboxedKernelManager.memory_mb = 4096

    >>> km = SandboxedKernelManager(kernel_name='python3')
    >>> km.transport, km.uid != 0
    ('ipc', True)
    """

    enabled = Bool(True, config=True, help="Run kernels sandboxed. False runs students' "
                   "code with your rights: only for trusted notebooks.")
    uid = Integer(64055, config=True, help="The first of the unprivileged uids (and gids) kernels "
                  "run as; uid to uid + uid_span - 1 must belong to no account or other program.")
    uid_span = Integer(1000, config=True, help="How many uids grading may use: each grading "
                       "process picks its own, so that the process limit of one (a fork bomb) "
                       "never starves kernels of another grading run on the same machine.")
    memory_mb = Integer(4096, config=True, help="Address-space limit of the kernel (MiB).")
    stage_mb = Integer(200, config=True, help="Most data (MiB) copied from the submission's folder "
                       "into the sandbox; a bigger folder stops grading of that notebook.")
    processes = Integer(256, config=True, help="Most processes and threads the sandbox user may have.")
    cpu_seconds = Integer(900, config=True, help="CPU time after which the kernel is killed.")
    file_mb = Integer(256, config=True, help="Largest file the kernel may write (MiB), and the size "
                      "of each of its writable folders (/tmp and its working folder).")
    extra_readable = List(Unicode(), config=True, help="More folders the kernel may read "
                          "(data files of the course outside the repository).")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.uid = self.uid + os.getpid() % max(1, self.uid_span)
        self._private = None

    # -- setting up ---------------------------------------------------------------

    def _private_folder(self):
        """A short private folder for the connection file and the ipc sockets."""
        if self._private is None:
            self._private = tempfile.mkdtemp(prefix="d2l-sb-", dir="/tmp")
            os.makedirs(os.path.join(self._private, "ipc"))
            os.chmod(self._private, 0o711)
        return self._private

    def _stage(self, cwd):
        """Copy the submission's folder (without notebooks) to hand to the kernel.

        A submission's folder holds a notebook and perhaps a data file or two.
        Anything bigger (a kernel started in ``/tmp`` or a home folder, say)
        is refused rather than copied: copying a folder that holds the stage
        itself would never end.
        """
        private = self._private_folder()
        stage = os.path.join(private, "stage")
        if os.path.isdir(stage):
            shutil.rmtree(stage)
        if not (cwd and os.path.isdir(cwd)):
            os.makedirs(stage)
            return stage
        budget = [self.stage_mb * 2**20]
        own = os.path.realpath(private)
        skip = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")

        def ignore(folder, names):
            ignored = set(skip(folder, names))
            for name in names:
                path = os.path.join(folder, name)
                if name in ignored:
                    continue
                if name.startswith("d2l-sb-") or os.path.realpath(path) == own:
                    ignored.add(name)           # our own private folders, never into themselves
                elif os.path.isfile(path) and not os.path.islink(path):
                    budget[0] -= os.path.getsize(path)
                    if budget[0] < 0:
                        raise SandboxUnavailable(
                            f"the folder the kernel starts in, {cwd}, holds more than "
                            f"{self.stage_mb} MiB; grade a submission from its own folder "
                            "(submitted/<student>/<assignment>/), or raise "
                            "c.SandboxedKernelManager.stage_mb")
            return ignored

        try:
            shutil.copytree(cwd, stage, symlinks=True, ignore=ignore)
        except SandboxUnavailable:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        return stage

    async def _async_pre_start_kernel(self, **kw):
        if not self.enabled:
            self.log.warning("grading sandbox DISABLED (c.SandboxedKernelManager.enabled = False): "
                             "students' code runs with your rights")
            self.transport = "tcp"
            return await super()._async_pre_start_kernel(**kw)
        tools = {name: find_tool(name) for name in ("bwrap", "setpriv", "prlimit")}
        private = self._private_folder()
        ipc = os.path.join(private, "ipc")
        os.chown(ipc, self.uid, self.uid)
        os.chmod(ipc, 0o700)
        self.connection_file = os.path.join(ipc, "kernel.json")
        self.ip = os.path.join(ipc, "k")
        cwd = kw.get("cwd") or os.getcwd()
        stage = self._stage(cwd)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        self.kernel_spec.interrupt_mode = "message"
        os.chown(self.connection_file, self.uid, self.uid)
        kw["cwd"] = private
        kw["env"] = {"PATH": "/usr/bin:/bin"}
        kw["stdout"] = subprocess.DEVNULL      # ipykernel's banner; errors still reach stderr
        kw.pop("independent", None)
        return self._wrap(cmd, tools, ipc, stage, cwd), kw

    def _wrap(self, cmd, tools, ipc, stage, cwd):
        python, args = cmd[0], cmd[1:]
        if args[:2] == ["-m", "ipykernel_launcher"]:
            args = args[2:]
        mib = 1024 * 1024
        limits = [tools["prlimit"], f"--as={self.memory_mb * mib}", f"--nproc={self.processes}",
                  f"--cpu={self.cpu_seconds}", f"--fsize={self.file_mb * mib}", "--core=0", "--"]
        # bwrap runs as root (to bind folders no student may list, such as a Python
        # under /root) and keeps only the right to change uid; setpriv, inside,
        # becomes the unprivileged user and drops every capability for good.
        user = [tools["setpriv"], f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        bwrap = [tools["bwrap"], "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                 "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv",
                 "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                 "--proc", "/proc", "--dev", "/dev"]
        # A private /tmp first: mounts are stacked in order, so a readable root that lives
        # under /tmp (a course cloned into /tmp, a data cache from mktemp) is bound on top.
        size = str(self.file_mb * mib)
        bwrap += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp"]
        roots = readable_roots(python) + [os.path.realpath(p) for p in self.extra_readable]
        hidden = {os.path.realpath(os.getcwd()), os.path.realpath(os.path.join(cwd, "..", "..", ".."))}
        parents = sorted({str(p) for r in roots + [os.path.realpath(cwd)]
                          for p in Path(r).parents if str(p) != "/"}, key=len)
        for parent in parents:   # bwrap would make missing parents readable by root only
            bwrap += ["--perms", "0755", "--dir", parent]
        for root in roots:
            if os.path.islink(root):
                bwrap += ["--symlink", os.readlink(root), root]
            else:
                bwrap += ["--ro-bind", root, root]
        for folder in sorted(hidden):       # the course folder, should a readable root hold it
            if any(_inside(folder, r) for r in roots if not os.path.islink(r)):
                bwrap += ["--tmpfs", folder]
        work = os.path.realpath(cwd)
        for parent in sorted((str(p) for p in Path(ipc).parents if _inside(p, "/tmp") and str(p) != "/tmp"),
                             key=len):
            bwrap += ["--perms", "0755", "--dir", parent]
        bwrap += ["--bind", ipc, ipc,
                  "--perms", "0755", "--dir", "/run/d2l-grading",
                  "--ro-bind", stage, "/run/d2l-stage",
                  "--ro-bind", str(HERE), "/run/d2l-grading/d2l_grading",
                  "--perms", "0777", "--size", size, "--tmpfs", work, "--chdir", work]
        pythonpath = ["/run/d2l-grading"] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        env = {"PATH": os.pathsep.join([os.path.dirname(python), "/usr/local/bin", "/usr/bin", "/bin"]),
               "HOME": "/tmp/home", "IPYTHONDIR": "/tmp/home/.ipython",
               "MPLCONFIGDIR": "/tmp/home/.matplotlib", "PYTHONPATH": os.pathsep.join(pythonpath),
               "PYTHONDONTWRITEBYTECODE": "1", "D2L_GRADING_STAGE": "/run/d2l-stage",
               "LANG": "C.UTF-8"}
        env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
        for name, value in env.items():
                bwrap += ["--setenv", name, value]
        return limits + bwrap + ["--"] + user + [python, "-m", "d2l_grading.kernel"] + args

    async def _async_interrupt_kernel(self):
        # Signals to the process group would reach bwrap, not the kernel inside its
        # session: interrupt by message (ipykernel then signals itself).
        if self.enabled and self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self._private and not restart:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None
