"""The guard inside a grading kernel: did answer cells tamper with the checks?

Test cells run in the same Python process as the student's answers, so an
answer cell could replace ``d2l.check`` or the methods of its class, rebind
``AssertionError`` or ``isinstance``, patch ``numpy.allclose`` or a d2l_core op,
or hook IPython so that a test cell never runs. The guard catches these from
two sides:

* :func:`install`, run before anything else in the kernel process, adds a
  Python audit hook. Audit hooks cannot be removed (PEP 578). From the moment
  the snapshot is taken it refuses, and records, the tools that reach around
  Python's objects: ``ctypes``, ``gc.get_referrers`` and friends, tracing
  hooks, ``/proc/*/mem``; and it records changes to attributes of the
  checker's, NumPy's, d2l_core's, IPython's and the builtins' classes and
  functions.
* :func:`arm` takes a snapshot, by identity, of every function, class and
  module in ``builtins``, ``numpy*``, ``d2l_core*`` (the checker included),
  of the code of their functions and methods, of ``sys``'s hooks and of
  IPython's execution machinery (transformers, event callbacks, ``run_cell``
  and friends). :func:`report` compares the present state with it.

The grader (:mod:`d2l_grading.integrity`) calls :func:`report` before every
test cell with a fresh nonce; a reply that is missing, malformed or carries
the wrong nonce counts as tampering too. The grader never trusts the kernel
for anything else: the static checks of the answer cells run outside it.
"""
import builtins
import json
import sys
import types

PROTECTED_MODULES = ("d2l_core", "numpy", "d2l_grading")
LIBRARY_MODULES = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "traitlets",
                   "jupyter_client", "comm", "tornado", "zmq", "d2l_core", "numpy")
# Names IPython itself puts into builtins while a cell runs.
VOLATILE_BUILTINS = {"_", "__", "___", "exit", "quit", "get_ipython", "display", "__IPYTHON__",
                     "dreload", "__debug__", "input"}
BLOCKED_EVENTS = ("ctypes.", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
                  "sys.settrace", "sys.setprofile", "sys.addaudithook", "code.__new__",
                  "sys._current_frames", "cpython.PyInterpreterState_Clear")

_state = {"armed": False, "events": [], "snapshot": None, "shell": None, "protected": {}}


def _event_problem(event, args):
    """The problem an audit event shows after arming, or None (and whether to block it)."""
    if event.startswith(BLOCKED_EVENTS):
        return f"used {event} during grading (blocked)", True
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode(errors="replace") if isinstance(args[0], bytes) else args[0]
        if path.startswith(("/proc/", "/dev/fd")) and (
                path.endswith("/mem") or "/fd/" in path or path.startswith("/dev/fd")
                or "/map_files" in path):
            return f"opened {path} during grading (blocked)", True
    if event in ("object.__setattr__", "object.__delattr__") and args:
        target = args[0]
        if isinstance(target, type) and _protected_name(getattr(target, "__module__", "")):
            verb = "set" if event == "object.__setattr__" else "deleted"
            return f"{verb} {target.__module__}.{target.__qualname__}.{args[1]}", False
        if isinstance(target, types.FunctionType) and _protected_name(target.__module__ or ""):
            return f"changed {target.__module__}.{target.__qualname__}.{args[1]}", False
    return None, False


def _protected_name(module):
    return module == "builtins" or module.startswith(PROTECTED_MODULES + ("IPython", "ipykernel"))


def _hook(event, args):
    if not _state["armed"] or _state.get("busy"):
        return
    _state["busy"] = True
    try:
        problem, block = _event_problem(event, args)
    except Exception:  # noqa: BLE001  (an odd argument must not break the kernel)
        problem, block = None, False
    finally:
        _state["busy"] = False
    if problem:
        _state["events"].append(problem)
        if block:
            raise RuntimeError(f"grading sandbox: {event} is not allowed while grading")


def install():
    """Add the guard's audit hook to this process (once; it cannot be removed).

    Only the grading kernel calls it (the hook would stay for the whole process):

    >>> install.__module__
    'd2l_grading.guard'
    """
    if not _state.get("installed"):
        sys.addaudithook(_hook)
        _state["installed"] = True


# -- the snapshot ------------------------------------------------------------------------

def _is_code_holder(value):
    return isinstance(value, (types.FunctionType, type, types.ModuleType, types.BuiltinFunctionType,
                              property, staticmethod, classmethod)) or callable(value)


def _function_parts(f):
    f = getattr(f, "__func__", f)
    if isinstance(f, types.FunctionType):
        return (id(f.__code__), id(f.__defaults__), id(f.__kwdefaults__), id(f.__globals__))
    return None


def _class_state(cls):
    out = {}
    for key, value in list(vars(cls).items()):
        if isinstance(value, (types.FunctionType, property, staticmethod, classmethod, type)) \
                or callable(value):
            out[key] = (id(value), _function_parts(value))
    return out


def _protected_modules():
    return {name: module for name, module in list(sys.modules.items())
            if isinstance(module, types.ModuleType)
            and (name == "builtins" or name.startswith(PROTECTED_MODULES))}


def _take_snapshot(shell):
    modules, classes = {}, {}
    for name, module in _protected_modules().items():
        entries = {}
        for key, value in list(vars(module).items()):
            if name == "builtins" and key in VOLATILE_BUILTINS:
                continue
            if _is_code_holder(value):
                entries[key] = (id(value), _function_parts(value))
                if isinstance(value, type) and id(value) not in classes \
                        and _protected_name(getattr(value, "__module__", "") or ""):
                    classes[id(value)] = (value, _class_state(value))
        modules[name] = (id(module), entries)
    for cls in type(shell).__mro__ + type(shell.kernel).__mro__ if shell is not None else ():
        classes.setdefault(id(cls), (cls, _class_state(cls)))
    return {"modules": modules, "classes": classes, "sys": _sys_state(), "shell": _shell_state(shell)}


def _sys_state():
    # (sys.excepthook and sys.displayhook are IPython's to swap while a cell runs)
    return {"stdout": id(sys.stdout), "stderr": id(sys.stderr), "trace": id(sys.gettrace()),
            "profile": id(sys.getprofile()), "meta_path": [id(x) for x in sys.meta_path],
            "path_hooks": [id(x) for x in sys.path_hooks]}


def _callback_origin(callback):
    callback = getattr(callback, "__func__", callback)
    return getattr(callback, "__module__", None) or getattr(type(callback), "__module__", "") or ""


def _shell_state(shell):
    if shell is None:
        return {}
    instance = {k: id(v) for k, v in vars(shell).items() if callable(v) and not isinstance(v, type)}
    kernel = {k: id(v) for k, v in vars(shell.kernel).items() if callable(v) and not isinstance(v, type)}
    hooks = {
        "input_transformers_cleanup": list(shell.input_transformers_cleanup),
        "input_transformers_post": list(shell.input_transformers_post),
        "ast_transformers": list(shell.ast_transformers),
        "custom_exceptions": list(shell.custom_exceptions),
    }
    hooks.update({f"events.{name}": list(callbacks) for name, callbacks in shell.events.callbacks.items()})
    return {"instance": instance, "kernel": kernel, "hooks": hooks,
            "user_ns": {k: id(shell.user_ns[k]) for k in ("__builtins__", "__name__", "get_ipython")
                        if k in shell.user_ns},
            "builtins_at_start": set(shell.user_ns) & set(vars(builtins))}


def arm(shell=None):
    """Take the snapshot (after the kernel started, before any notebook code).

    Until the kernel arms it, the guard reports that it is not armed:

    >>> report('n1')['problems']
    ['the guard was never armed']
    """
    import numpy  # noqa: F401  (the checker's and the tests' NumPy)
    import numpy.ma  # noqa: F401  (np.unique and friends import it lazily; its import edits
    #                               MaskedArray, which must not look like tampering)
    import d2l_core  # noqa: F401
    import d2l_core.selfcheck  # noqa: F401
    _state["shell"] = shell
    _state["snapshot"] = _take_snapshot(shell)
    _state["armed"] = True


# -- comparing --------------------------------------------------------------------------------

def _where(value):
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or type(value).__name__
    return name


def _diff_entries(label, before, now_items, problems, changed_only=False):
    for key, (ident, parts) in before.items():
        if key not in now_items:
            problems.append(f"{label}.{key} was deleted")
            continue
        value = now_items[key]
        if id(value) != ident:
            problems.append(f"{label}.{key} was replaced (now {_where(value)})")
        elif parts is not None and _function_parts(value) != parts:
            problems.append(f"{label}.{key} had its code, defaults or globals changed")


def _compare(snapshot, shell, uses):
    problems = []
    live = dict(sys.modules)
    for name, (ident, entries) in snapshot["modules"].items():
        module = live.get(name)
        if module is None or id(module) != ident:
            problems.append(f"sys.modules[{name!r}] was replaced or removed")
            continue
        items = dict(vars(module))
        if name == "builtins":
            items = {k: v for k, v in items.items() if k not in VOLATILE_BUILTINS}
        _diff_entries(name, entries, items, problems)
    for cls, state in snapshot["classes"].values():
        _diff_entries(f"{cls.__module__}.{cls.__qualname__}", state, dict(vars(cls)), problems)
    now = _sys_state()
    for key, value in snapshot["sys"].items():
        if now[key] != value:
            problems.append(f"sys.{key} was changed")
    if shell is not None:
        state = snapshot["shell"]
        for kind, obj in (("instance", shell), ("kernel", shell.kernel)):
            current = {k: id(v) for k, v in vars(obj).items() if callable(v) and not isinstance(v, type)}
            for key, ident in current.items():
                value = vars(obj)[key]
                if state[kind].get(key) != ident and \
                        not _callback_origin(value).startswith(LIBRARY_MODULES + ("getpass",)):
                    problems.append(f"the kernel's {type(obj).__name__}.{key} was replaced")
        hooks = dict(_shell_state(shell)["hooks"])
        for name, callbacks in hooks.items():
            before = {id(c) for c in state["hooks"].get(name, [])}
            for callback in callbacks:
                if id(callback) not in before and not _callback_origin(callback).startswith(LIBRARY_MODULES):
                    problems.append(f"IPython's {name} got a hook from notebook code ({_where(callback)})")
        for key, ident in state["user_ns"].items():
            if id(shell.user_ns.get(key)) != ident:
                problems.append(f"the notebook's {key} was rebound")
        for key, ident in _state["protected"].items():
            if key in uses and id(shell.user_ns.get(key, _MISSING)) != ident:
                problems.append(f"{key}, set up by a read-only cell and used by the tests, was rebound")
        for key in uses:
            if key in vars(builtins) and key in shell.user_ns and key not in state["builtins_at_start"]:
                problems.append(f"the builtin {key}, used by the tests, is shadowed by notebook code")
    return problems


_MISSING = object()


def report(nonce, protect=(), uses=()):
    """The guard's findings so far: ``{'nonce': ..., 'problems': [...]}``.

    ``protect`` names (bound by a read-only cell that just ran) are watched from
    now on; ``uses`` are the names the next test cell reads.

    >>> report('n2')['nonce']
    'n2'
    """
    shell = _state["shell"]
    problems = list(_state["events"])
    if _state["snapshot"] is None:
        problems.append("the guard was never armed")
    else:
        problems += _compare(_state["snapshot"], shell, set(uses))
    if shell is not None:
        for name in protect:
            if name in shell.user_ns:
                _state["protected"][name] = id(shell.user_ns[name])
    return {"nonce": nonce, "problems": problems}


def report_json(nonce, protect=(), uses=()):
    """:func:`report` as one JSON string (what the grader asks the kernel for).

    >>> json.loads(report_json('n3'))['nonce']
    'n3'
    """
    return json.dumps(report(nonce, protect, uses))
