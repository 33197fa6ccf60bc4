"""``tf.Module``: a named container that finds its Variables and sub-Modules by itself,
and ``tf.name_scope``, which prefixes the names of the Variables made inside it.

A Module tracks whatever you assign to its attributes: Variables, other
Modules, and lists, tuples and dicts of them. ``variables`` walks those
attributes in TensorFlow's order (attribute names sorted, a dict's items by
sorted key, the module's own attributes before those of its sub-Modules).
Keras layers are Modules too.

>>> import d2l_core as d2l
>>> class Dense(d2l.Module):
...     def __init__(self, n_in, n_out, name=None):
...         super().__init__(name=name)
...         with self.name_scope:                  # names: 'dense/w:0', 'dense/b:0'
...             self.w = d2l.Variable(d2l.ones([n_in, n_out]), name='w')
...             self.b = d2l.Variable(d2l.zeros([n_out]), name='b')
...     def __call__(self, x):
...         return d2l.matmul(x, self.w) + self.b
>>> layer = Dense(3, 2)
>>> layer(d2l.constant([[1.0, 2.0, 3.0]])).numpy()
array([[6., 6.]], dtype=float32)
>>> [v.name for v in layer.trainable_variables]        # sorted by attribute: b, then w
['dense/b:0', 'dense/w:0']
"""
import functools
import re

from .tensor import Variable, name_scope_prefix

_VALID_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class name_scope:  # noqa: N801  (TensorFlow's name)
    """Prefix the names of Variables made inside the block (``tf.name_scope``).

    Scopes nest ('outer/inner/'); a name ending in '/' is a whole scope, not
    nested; '' goes back to the top. Entering gives the scope's full name.

    >>> with d2l.name_scope('outer'):
    ...     with d2l.name_scope('inner') as scope:
    ...         v = d2l.Variable(1.0, name='v')
    >>> scope, v.name
    ('outer/inner/', 'outer/inner/v:0')
    """

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._old = []          # a stack, so one scope object can be entered again inside itself

    @property
    def name(self):
        """The name this scope was made with."""
        return self._name

    def __enter__(self):
        old, name = name_scope_prefix(), self._name
        scope = ("" if not name else name if name.endswith("/") else old + name + "/")
        self._old.append(name_scope_prefix(scope))
        return scope

    def __exit__(self, *exc):
        name_scope_prefix(self._old.pop())
        return False


def get_current_name_scope():
    """The current name scope, without its final '/' (``tf.get_current_name_scope``).

    >>> with d2l.name_scope('a'), d2l.name_scope('b'):
    ...     d2l.get_current_name_scope()
    'a/b'
    """
    return name_scope_prefix().rstrip("/")


def camel_to_snake(name):
    """A class name in snake_case, as ``tf.Module`` names its instances.

    >>> camel_to_snake('HTTPServerX'), camel_to_snake('SequentialModule')
    ('http_server_x', 'sequential_module')
    """
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class Module:
    """Base class of models and layers that own Variables (``tf.Module``).

    ``name`` defaults to the class name in snake_case and must be a Python
    identifier. ``name_scope`` is the scope to make Variables in, so their
    names start with the module's: 'outer/my_module/w:0' for a module made
    inside ``name_scope('outer')``.

    >>> class Scale(d2l.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.factors = [d2l.Variable(2.0, name='f'),
    ...                         d2l.Variable(1.0, trainable=False, name='g')]
    >>> s = Scale()
    >>> s.name, len(s.variables), len(s.trainable_variables), s.submodules
    ('scale', 2, 1, ())
    """

    # Attributes never walked for variables and sub-modules (subclasses may add some).
    _TF_MODULE_IGNORED_PROPERTIES = frozenset()

    def __init__(self, name=None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not isinstance(name, str) or not _VALID_NAME.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name
        with name_scope(name) as scope:    # absolute: the scope where the module was made
            self._name_scope = name_scope(scope)

    @property
    def name(self):
        """The module's name (not made unique: two modules may share one)."""
        if "_name" not in vars(self):
            _forgot_init(self)
        return self._name

    @property
    def name_scope(self):
        """A ``name_scope`` for this module: ``with self.name_scope:`` names Variables 'name/...'."""
        if "_name_scope" not in vars(self):
            _forgot_init(self)
        return self._name_scope

    @property
    def variables(self):
        """Every Variable of this module and its sub-modules, each once (a tuple)."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self):
        """The Variables with ``trainable=True`` (what an optimizer updates), as a tuple."""
        return tuple(self._flatten(predicate=_is_trainable))

    @property
    def non_trainable_variables(self):
        """The Variables with ``trainable=False``, as a tuple."""
        return tuple(self._flatten(predicate=_is_non_trainable))

    @property
    def submodules(self):
        """Every Module inside this one, at any depth, each once: nearest first.

        >>> outer = d2l.Module(name='outer')
        >>> outer.inner = d2l.Module(name='inner')
        >>> outer.inner.leaf = d2l.Module(name='leaf')
        >>> [m.name for m in outer.submodules]
        ['inner', 'leaf']
        """
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """The values inside this module that ``predicate`` accepts, in TensorFlow's order.

        Each module's own attributes come first (sorted by ``attribute_traversal_key``,
        by default the name), then those of its sub-modules; each value once,
        unless ``with_path``, which gives ``(path, value)`` pairs for every path.
        """
        return _walk(self, recursive, predicate or (lambda _: True), attribute_traversal_key,
                     with_path, (), {id(self)}, [])

    def _leaves(self, key=None):
        """``(path, value)`` for each value in this module's attributes (containers opened)."""
        attributes = vars(self)
        for name in sorted(attributes, key=key):
            if name not in self._TF_MODULE_IGNORED_PROPERTIES:
                yield from with_paths((name,), attributes[name])

    @classmethod
    def with_name_scope(cls, method):
        """Decorate a method to run inside the module's ``name_scope``.

        >>> class Counter(d2l.Module):
        ...     @d2l.Module.with_name_scope
        ...     def __call__(self, x):
        ...         self.total = d2l.Variable(x, name='total')
        ...         return self.total
        >>> Counter()(1.0).name
        'counter/total:0'
        """
        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _is_variable(x):
    return isinstance(x, Variable)


def _is_trainable(x):
    return isinstance(x, Variable) and x.trainable


def _is_non_trainable(x):
    return isinstance(x, Variable) and not x.trainable


def _is_module(x):
    return isinstance(x, Module)


def _forgot_init(module):
    raise AttributeError(f"{type(module).__name__} has no name: call super().__init__() first "
                         f"in {type(module).__name__}.__init__ (tf.Module.__init__ sets the "
                         "module's name and name_scope)")


def with_paths(path, value):
    """``(path, leaf)`` for the leaves of ``value``: list and tuple items by index, dict items
    by sorted key (``tf.nest``'s order), namedtuple fields by name.

    >>> list(with_paths(('a',), {'y': [1, 2], 'x': 3}))
    [(('a', 'x'), 3), (('a', 'y', 0), 1), (('a', 'y', 1), 2)]
    """
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = list(value)     # keys that do not compare: the order they were added
        for k in keys:
            yield from with_paths(path + (k,), value[k])
    elif isinstance(value, (list, tuple)):
        fields = getattr(value, "_fields", None) if isinstance(value, tuple) else None
        for i, item in enumerate(value):
            yield from with_paths(path + (fields[i] if fields else i,), item)
    else:
        yield path, value


def _walk(module, recursive, predicate, key, with_path, path, seen, stack):
    """TensorFlow's ``_flatten_module``: a module's own leaves, then its sub-modules' leaves."""
    if id(module) in stack:
        recursive = False           # a module inside itself: list it, do not walk it again
    submodules = []
    for leaf_path, leaf in module._leaves(key):
        if not with_path:
            if id(leaf) in seen:
                continue
            seen.add(id(leaf))
        if predicate(leaf):
            yield (path + leaf_path, leaf) if with_path else leaf
        if recursive and isinstance(leaf, Module):
            submodules.append((path + leaf_path, leaf))
    stack.append(id(module))
    for sub_path, sub in submodules:
        yield from _walk(sub, recursive, predicate, key, with_path, sub_path, seen, stack)
    stack.pop()
