"""Small plotting helpers for the course's chapters (matplotlib only).

``d2l.plot`` draws the pictures the notebooks talk about: the computation
graph a ``GradientTape`` recorded or ``d2l.function`` traced, how
broadcasting stretches shapes, small matrices with their values, grids of
digits, and loss or timing curves.
Every function draws a new figure (or on the ``ax`` you pass) and returns its
Axes; in a notebook, end the cell with ``plt.show()`` to display it.

matplotlib is imported inside the functions, so ``import d2l_core`` stays fast.
In the examples below, figures are closed again so nothing piles up:

>>> import matplotlib.pyplot as plt
>>> ax = d2l.plot.plot_curves([0, 1, 2], {"loss": [1.0, 0.5, 0.25]}, "epoch", "loss")
>>> plt.close("all")
"""
import numpy as np

from . import nest

__all__ = ["plot_tape", "plot_graph", "show_broadcast", "show_matrices", "show_images",
           "plot_curves"]

# Colours shared by the figures (matplotlib's tab10 palette, softened).
_BLUE, _ORANGE, _GREEN, _GREY = "#a6cee3", "#fdbf6f", "#b2df8a", "#e0e0e0"
_RED = "#d62728"
_OP = "#fff2a8"


def _pyplot():
    """matplotlib.pyplot, imported on first use (keeps ``import d2l_core`` fast)."""
    import matplotlib.pyplot as plt
    return plt


def _as_array(x):
    """A NumPy array from a Tensor, an array or nested lists."""
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


# ====================================================================== plot_tape

def _tape_records(tape_or_records):
    """(records, ids of the tensors the tape watched, or None) from a tape or a list of records."""
    if hasattr(tape_or_records, "records"):
        tape = tape_or_records
        records = tape.records()
        if not records:
            raise ValueError(
                "plot_tape: the tape holds no records. Either it recorded nothing (it records "
                "ops whose inputs it watches: tape.watch(x), or read a trainable Variable "
                "inside it), or it is a non-persistent tape whose gradient() has already freed "
                "them (draw it before calling gradient(), or use GradientTape(persistent=True)).")
        return records, {id(t) for t in tape.watched()}
    records = list(tape_or_records)
    if not records:
        raise ValueError("plot_tape: no records to draw")
    return records, None


def _name_lookup(names):
    """{id(tensor): label} from {label: tensor} (or {tensor: label})."""
    lookup = {}
    for key, value in (names or {}).items():
        if isinstance(key, str):
            lookup[id(value)] = key
        else:
            lookup[id(key)] = str(value)
    return lookup


def _tensor_label(t, name):
    lines = [name] if name else []
    try:
        value = _as_array(t)
    except Exception:   # something without a value (not expected from a tape)
        return name or "?"
    if value.ndim == 0:
        v = value.item()
        text = f"{v:.4g}" if isinstance(v, float) else str(v)
        lines.append(f"= {text}" if name else text)
    else:
        lines.append(str(tuple(value.shape)))
    if not name and type(t).__name__ == "Variable":
        lines.insert(0, "Variable")
    return "\n".join(lines)


def _layout(records, collapse_reads):
    """Nodes, edges and a column for each node, by topological depth.

    Tensors sit in even columns and ops in odd ones; a tensor that nothing on
    the tape produced (a watched input or a constant) is placed just left of
    the first op that uses it, so constants do not pull long edges across.
    """
    alias = {}               # id(snapshot of a Variable) -> id(Variable)
    tensors = {}             # id -> tensor, in order of first appearance
    ops = []                 # (op name, [input ids], [output ids])
    for rec in records:
        op_name, inputs, output = rec[0], rec[1], rec[2]
        if collapse_reads and op_name == "ReadVariableOp" and len(inputs) == 1:
            alias[id(output)] = alias.get(id(inputs[0]), id(inputs[0]))
            tensors.setdefault(alias[id(output)], inputs[0])
            continue
        in_ids = []
        for x in inputs:
            key = alias.get(id(x), id(x))
            tensors.setdefault(key, x)
            in_ids.append(key)
        outputs = output if type(output) is tuple else (output,)   # unstack/split: several
        for out in outputs:
            tensors.setdefault(id(out), out)
        ops.append((op_name, in_ids, [id(out) for out in outputs]))

    level = {}
    produced = set()
    for i, (_, in_ids, outs) in enumerate(ops):
        lv = 1 + max((level.get(k, 0) for k in in_ids), default=0)
        if lv % 2 == 0:
            lv += 1
        level[("op", i)] = lv
        for out in outs:
            level[out] = max(level.get(out, 0), lv + 1)
            produced.add(out)
    for key in tensors:
        if key not in produced:
            users = [level[("op", i)] for i, (_, ins, _) in enumerate(ops) if key in ins]
            level[key] = min(users) - 1 if users else 0
    return tensors, ops, produced, level


def _place(nodes, level, preds, succs):
    """A y coordinate for every node: ordered by neighbours, straight chains where possible.

    The classic layered drawing: sort each column by the mean height of the
    neighbours already placed (fewer crossings), then move nodes towards
    their neighbours' heights while keeping one unit between nodes of a column.
    """
    columns = {}
    for n in nodes:
        columns.setdefault(level[n], []).append(n)
    first = {n: i for i, n in enumerate(nodes)}
    y = {}
    for c in sorted(columns):
        for i, n in enumerate(columns[c]):
            y[n] = (len(columns[c]) - 1) / 2 - i

    def settle(col, desired):
        """Heights as close to ``desired`` as the order and spacing allow (top to bottom)."""
        ys = [desired[n] for n in col]
        for i in range(1, len(ys)):
            ys[i] = min(ys[i], ys[i - 1] - 1)
        for i in range(len(ys) - 2, -1, -1):     # pull back up what was pushed too far
            ys[i] = max(ys[i], ys[i + 1] + 1) if ys[i] - ys[i + 1] < 1 else ys[i]
        shift = np.mean([desired[n] for n in col]) - np.mean(ys)
        for n, v in zip(col, ys):
            y[n] = v + shift

    order = sorted(columns)
    for sweep in range(6):
        forward = sweep % 2 == 0
        for c in (order if forward else order[::-1]):
            col = columns[c]
            desired = {}
            for n in col:
                near = preds[n] if forward else succs[n]
                near = near or (succs[n] if forward else preds[n])
                desired[n] = np.mean([y[m] for m in near]) if near else y[n]
            col.sort(key=lambda n: (-desired[n], first[n]))
            settle(col, desired)
    low = min(y.values())
    return {n: v - low for n, v in y.items()}


def _gradient_label(g):
    value = _as_array(g)
    if value.size <= 4:
        flat = [f"{v:.3g}" for v in value.ravel().tolist()]
        text = flat[0] if value.ndim == 0 else "[" + ", ".join(flat) + "]"
    else:
        text = f"shape {tuple(value.shape)}"
    return "← " + text


def plot_tape(tape_or_records, names=None, ax=None, title=None, collapse_reads=True,
              gradients_of=None):
    """Draw the computation graph a ``GradientTape`` recorded.

    Boxes are tensors and yellow ovals are ops; arrows show data flowing
    forward, from left to right in order of depth. Blue boxes are tensors the
    tape watched (sources of gradients), grey ones constants it did not
    watch, orange ones results nothing else used (the targets), white ones
    intermediate values. A box shows a tensor's name if you give one, and its
    value (scalars) or shape. Backpropagation walks these arrows backwards.

    Args:
        tape_or_records: a ``GradientTape``, or records like its
            ``records()``: ``(op_name, inputs, output)`` tuples (a subset, say).
            A non-persistent tape forgets its records in ``gradient()``: draw
            it before, or use ``persistent=True``.
        names: ``{"x": x, "y": y}`` to label tensors.
        ax: the matplotlib Axes to draw on; a new figure sized to the graph
            when None.
        title: a title for the figure.
        collapse_reads: draw a Variable read inside the tape as the Variable
            itself instead of a ``ReadVariableOp`` node.
        gradients_of: a target tensor: also draw the backward walk of
            ``tape.gradient(target, ...)``, writing on each edge, in red, the
            gradient it carries back (values for up to 4 numbers, else the
            shape; a persistent tape is needed). Where edges meet, their
            gradients add up.

    Returns:
        The matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> x = d2l.constant(3.0)
    >>> with d2l.GradientTape(persistent=True) as tape:
    ...     tape.watch(x)
    ...     y = x * x + 1.0
    >>> ax = d2l.plot.plot_tape(tape, names={"x": x, "y": y})
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', 'add', 'multiply', 'x\\n= 3', 'x*x\\n= 9', 'y\\n= 10']
    >>> plt.close("all")
    """
    records, watched_ids = _tape_records(tape_or_records)
    tensors, ops, produced, level = _layout(records, collapse_reads)
    sent = {}                                     # (id of op output, input index) -> gradient
    if gradients_of is not None:
        if not hasattr(tape_or_records, "backward_walk"):
            raise ValueError("plot_tape: gradients_of needs the tape itself, not its records")
        for _, out, i, _, g in tape_or_records.backward_walk(gradients_of):
            sent[(id(out[0] if type(out) is tuple else out), i)] = g
    label_of = _name_lookup(names)
    # An unnamed product of a named tensor with itself reads better as "x*x".
    for op_name, in_ids, (out, *_) in ops:
        if out not in label_of and op_name == "multiply" and len(in_ids) == 2 \
                and in_ids[0] == in_ids[1] and in_ids[0] in label_of:
            label_of[out] = f"{label_of[in_ids[0]]}*{label_of[in_ids[0]]}"
    carried = {(i, j): sent[(outs[0], j)] for i, (_, in_ids, outs) in enumerate(ops)
               for j in range(len(in_ids)) if (outs[0], j) in sent}
    consumed = {k for _, in_ids, _ in ops for k in in_ids}

    def colour(n):
        if n not in produced:
            t = tensors[n]
            watched = (watched_ids is None and type(t).__name__ == "Variable") or \
                (watched_ids is not None and n in watched_ids)
            return _BLUE if watched else _GREY
        return _ORANGE if n not in consumed else "white"

    return _draw(tensors, ops, level, lambda n: _tensor_label(tensors[n], label_of.get(n)),
                 colour, lambda i: ops[i][0], ax, title, carried=carried,
                 start=None if gradients_of is None else id(gradients_of))


def _draw(tensors, ops, level, text, colour, op_text, ax, title, op_fontsize=8, carried=None,
          start=None):
    """Draw a layered graph: ``tensors`` (id -> object) as boxes with ``text(id)`` on
    ``colour(id)``, ``ops`` ((name, input ids, output ids)) as ovals with ``op_text(i)``,
    in the columns ``level`` gives. Shared by ``plot_tape`` and ``plot_graph``.

    ``carried``: {(op index, input index): gradient} to write in red on those edges, the
    backward walk that starts at tensor ``start`` (with 1)."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    plt = _pyplot()
    carried_at = {}                               # edge number -> gradient it carries back
    nodes = list(tensors) + [("op", i) for i in range(len(ops))]
    edges = []                                    # (source, target) in data-flow order
    for i, (_, in_ids, outs) in enumerate(ops):
        for j, k in enumerate(in_ids):
            if carried and (i, j) in carried:
                carried_at[len(edges)] = carried[(i, j)]
            edges.append((k, ("op", i)))
        edges += [(("op", i), out) for out in outs]
    # An edge that skips columns runs through placeholder ("dummy") nodes, one per
    # column, so it gets its own lane instead of crossing the boxes in between.
    preds = {n: [] for n in nodes}
    succs = {n: [] for n in nodes}
    paths = []
    for j, (a, b) in enumerate(edges):
        chain = [a]
        for lv in range(level[a] + 1, level[b]):
            d = ("dummy", j, lv)
            level[d] = lv
            nodes.append(d)
            preds[d], succs[d] = [], []
            chain.append(d)
        chain.append(b)
        for u, v in zip(chain, chain[1:]):
            succs[u].append(v)
            preds[v].append(u)
        paths.append(chain)

    y = _place(nodes, level, preds, succs)
    dx, dy = (1.45 if carried else 1.0), 0.8   # column and row spacing (labels need room)
    bw, bh = 0.8, 0.56         # node size
    n_cols = max(level.values()) + 1
    height = max(y.values())
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * dx * n_cols + 0.3,
                                      0.75 * (height + 1) + (0.55 if title else 0.2)))
    ax.set_xlim(-0.55 * dx, (n_cols - 0.45) * dx)
    ax.set_ylim(-0.45 * dy, (height + 0.45) * dy)
    ax.axis("off")
    pos = {n: (level[n] * dx, y[n] * dy) for n in nodes}

    for n in nodes:
        if isinstance(n, tuple) and n[0] == "dummy":
            continue
        x0, y0 = pos[n]
        if isinstance(n, tuple):
            ax.add_patch(FancyBboxPatch((x0 - bw / 2 + 0.08, y0 - bh / 2 + 0.06), bw - 0.16,
                                        bh - 0.12, boxstyle="round,pad=0.06,rounding_size=0.22",
                                        fc=_OP, ec="0.35", lw=1, zorder=2))
            label = op_text(n[1])
            lines = label.split("\n")
            small = len(lines) > 2 or max(len(line) for line in lines) > 12
            ax.text(x0, y0, label, ha="center", va="center", style="italic", zorder=3,
                    fontsize=op_fontsize - 1 if small else op_fontsize)
            continue
        color = colour(n)
        ax.add_patch(FancyBboxPatch((x0 - bw / 2 + 0.04, y0 - bh / 2 + 0.04), bw - 0.08, bh - 0.08,
                                    boxstyle="round,pad=0.04,rounding_size=0.05",
                                    fc=color, ec="0.2", lw=1, zorder=2))
        label = text(n)
        longest = max(len(line) for line in label.split("\n"))
        ax.text(x0, y0, label, ha="center", va="center", zorder=3,
                fontsize=8 if longest <= 11 else 7 if longest <= 13 else 6)

    # Where a path leaves a node and enters the next one: box edges, or the
    # centre of a dummy (so the bends of a long edge are smooth corners).
    def port(n, side):
        x0, y0 = pos[n]
        if isinstance(n, tuple) and n[0] == "dummy":
            return x0, y0
        return x0 + side * bw / 2, y0

    repeat = {}
    for chain in paths:
        repeat[(chain[0], chain[-1])] = repeat.get((chain[0], chain[-1]), 0) + 1
    drawn = {}
    for j, chain in enumerate(paths):
        key = (chain[0], chain[-1])
        k, m = drawn.get(key, 0), repeat[key]
        drawn[key] = k + 1
        rad = 0.0 if m == 1 else 0.6 * (k - (m - 1) / 2)     # x * x: two arrows, bent apart
        points = [port(chain[0], +1)] + [pos[d] for d in chain[1:-1]] + [port(chain[-1], -1)]
        if len(points) > 2:
            xs, ys = zip(*points[:-1])
            ax.plot(xs, ys, color="0.3", lw=1, zorder=1, solid_joinstyle="round")
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=10,
                                     color="0.3", lw=1, shrinkA=0, shrinkB=0, zorder=1,
                                     connectionstyle=f"arc3,rad={rad}"))
        if j in carried_at:     # the backward walk: what this edge sends back, on its longest segment
            (xa, ya), (xb, yb) = max(zip(points, points[1:]),
                                     key=lambda seg: abs(seg[1][0] - seg[0][0]) + abs(seg[1][1] - seg[0][1]))
            bend = -rad * (xb - xa) / 2 if rad and (xb, yb) == points[-1] else 0.0
            ax.text((xa + xb) / 2, (ya + yb) / 2 + bend + 0.13, _gradient_label(carried_at[j]),
                    ha="center", va="bottom", fontsize=7, color=_RED, zorder=4,
                    bbox=dict(fc="white", ec="none", pad=0.3, alpha=0.85))
    if start is not None:    # the walk starts with d target / d target = 1
        key = start
        if key in pos:
            ax.text(pos[key][0], pos[key][1] - bh / 2 - 0.05, "← 1", ha="center", va="top",
                    fontsize=7, color=_RED)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


# ====================================================================== plot_graph

_PURPLE = "#cab2d6"         # a captured Variable: state the traced function reads or writes


class _Number:
    """A Python number a node was called with: its own box each time it appears."""

    def __init__(self, value):
        self.value = value


def _graph_of(fn):
    """The FuncGraph of a ConcreteFunction (or the graph itself), with its outputs."""
    if hasattr(fn, "structured_outputs") and hasattr(fn, "graph"):
        return fn.graph, fn.structured_outputs
    if hasattr(fn, "nodes") and hasattr(fn, "inputs") and hasattr(fn, "captures"):
        return fn, None
    if hasattr(fn, "get_concrete_function"):
        raise TypeError("plot_graph: give one trace of the function, e.g. "
                        "d2l.plot.plot_graph(f.get_concrete_function(x)); a d2l.function has "
                        "one graph per input signature")
    raise TypeError(f"plot_graph: expected a ConcreteFunction (f.get_concrete_function(x)) or "
                    f"its .graph, got {type(fn).__name__}; for a GradientTape use plot_tape")


def _is_graph_value(x):
    return isinstance(x, (_Number,)) or type(x).__name__ in (
        "SymbolicTensor", "_TapeHandle", "Variable", "Tensor")


def _graph_records(graph):
    """(op label, inputs, outputs) for each node: the records ``_layout`` lays out."""
    records = []
    for node in graph.nodes:
        inputs = [x for x in nest.flatten((list(node.args), node.kwargs), sort_keys=False)
                  if _is_graph_value(x)]
        if node.kind == "op":         # numbers among an op's operands: x * 2.0
            inputs += [_Number(a) for a in node.args
                       if isinstance(a, (int, float)) and not isinstance(a, bool)]
        label = node.name if node.type == "StatefulCall" else node.type
        records.append((label, inputs, tuple(node.outputs)))
    return records


def _camel_lines(name, width=11):
    """A long op type on up to three lines, broken between its words:
    'GradientTapeStart' becomes 'Gradient', 'TapeStart'."""
    if len(name) <= width:
        return name
    cuts = [0] + [i for i in range(1, len(name))
                  if (name[i].isupper() and not name[i - 1].isupper()) or name[i - 1] == "_"]
    words = [name[a:b] for a, b in zip(cuts, cuts[1:] + [len(name)])]
    limit = min(max(width, (len(name) + 1) // 2), width + 3)   # two lines, or more short ones
    lines = [""]
    for w in words:
        if lines[-1] and len(lines[-1]) + len(w) > limit:
            lines.append("")
        lines[-1] += w
    return "\n".join(lines)


def _shape_text(t):
    shape = t.shape
    dims = "(?)" if shape.rank is None else str(tuple(shape.as_list()))
    return dims if t.dtype.name == "float32" else f"{dims} {t.dtype.name}"


def plot_graph(concrete_function, names=None, ax=None, title=None, collapse_reads=True):
    """Draw the graph ``d2l.function`` traced: one ``ConcreteFunction``.

    Yellow ovals are the graph's nodes, labelled with their op type
    (``MatMul``, ``AddV2``, ``ReadVariableOp``, ``GradientTapeStart``...,
    or the method a stateful call runs, such as ``apply_gradients``);
    boxes are the tensors flowing between them, labelled with their static
    shape (None: known only when the function runs; a dtype other than
    float32 is shown too). Blue boxes are the function's inputs, purple ones
    the Variables it captured (state it reads and updates), grey ones
    constants, orange ones its outputs, white ones intermediate values. A
    ``tape`` box is a GradientTape the function makes on every call.

    Args:
        concrete_function: ``f.get_concrete_function(x)`` for a
            ``d2l.function`` ``f`` (or its ``.graph``); for a Keras model,
            ``model.train_function.get_concrete_function(batch)`` after fit.
        names: ``{"x": tensor}`` to label more tensors (inputs, Variables and
            outputs carry their names already).
        ax: the matplotlib Axes to draw on; a new figure sized to the graph
            when None.
        title: a title for the figure.
        collapse_reads: draw a ``ReadVariableOp`` node's result as the
            Variable itself.

    Returns:
        The matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> w = d2l.Variable([[1.0], [2.0]], name='w')
    >>> @d2l.function
    ... def f(x):
    ...     return d2l.nn.relu(d2l.matmul(x, w)) * 2.0
    >>> ax = d2l.plot.plot_graph(f.get_concrete_function(d2l.TensorSpec([None, 2])))
    >>> sorted(t.get_text() for t in ax.texts)
    ['(None, 1)', '(None, 1)', '2', 'MatMul', 'Mul', 'Relu', 'output\\n(None, 1)', 'w\\n(2, 1)', 'x\\n(None, 2)']
    >>> plt.close("all")
    """
    graph, outputs = _graph_of(concrete_function)
    tensors, ops, produced, level = _layout(_graph_records(graph), collapse_reads)
    label_of = _name_lookup(names)
    input_ids = {id(t) for t in graph.inputs}
    output_ids = set()
    if outputs is not None:
        flat = [t for t in nest.flatten(outputs, sort_keys=False) if id(t) in tensors]
        for i, t in enumerate(flat):
            output_ids.add(id(t))
            label_of.setdefault(id(t), "output" if len(flat) == 1 else f"output {i}")

    def text(n):
        t = tensors[n]
        kind = type(t).__name__
        if isinstance(t, _Number):
            return f"{t.value:.4g}"
        if kind == "_TapeHandle":
            return "tape"
        if kind == "Variable":            # 'dense/kernel:0' on two lines: 'dense/', 'kernel'
            name = label_of.get(n, t.name.split(":")[0])
            if len(name) > 11 and "/" in name:
                name = name[:name.rindex("/") + 1] + "\n" + name[name.rindex("/") + 1:]
            return f"{name}\n{_shape_text(t)}"
        if kind == "Tensor":                      # a constant the trace holds
            return _tensor_label(t, label_of.get(n))
        name = label_of.get(n) or (t.name.split(":")[0] if n in input_ids else None)
        return f"{name}\n{_shape_text(t)}" if name else _shape_text(t)

    def colour(n):
        kind = type(tensors[n]).__name__
        if n in output_ids:
            return _ORANGE
        if n in input_ids:
            return _BLUE
        if kind == "Variable":
            return _PURPLE
        if kind == "_TapeHandle":
            return _GREEN
        return "white" if n in produced else _GREY

    ax = _draw(tensors, ops, level, text, colour, lambda i: _camel_lines(ops[i][0]), ax,
               title, op_fontsize=7)
    from matplotlib.patches import Patch
    kinds = [(_BLUE, "input"), (_PURPLE, "captured Variable"), (_GREEN, "GradientTape"),
             (_GREY, "constant"), ("white", "intermediate"), (_ORANGE, "output")]
    used = {colour(n) for n in tensors}
    ax.legend(handles=[Patch(fc=c, ec="0.2", label=label) for c, label in kinds if c in used],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=6, frameon=False, fontsize=8)
    return ax


# ====================================================================== show_broadcast

def _shape_and_values(x):
    """(shape tuple, values or None) from a shape or from a tensor/array."""
    if isinstance(x, (tuple, list)) and all(isinstance(d, (int, np.integer)) for d in x):
        return tuple(int(d) for d in x), None
    if hasattr(x, "as_list"):                      # a TensorShape
        return tuple(x.as_list()), None
    values = _as_array(x)
    return tuple(values.shape), values


def _grid_2d(shape):
    """A shape drawn as (pages, rows, cols): leading axes become side-by-side pages."""
    if len(shape) == 0:
        return 1, 1, 1
    if len(shape) == 1:
        return 1, 1, shape[0]
    return int(np.prod(shape[:-2])), shape[-2], shape[-1]


def _mix(color, other, t):
    """``color`` blended towards ``other`` by ``t`` (0: unchanged, 1: ``other``)."""
    from matplotlib.colors import to_rgb
    a, b = np.array(to_rgb(color)), np.array(to_rgb(other))
    return tuple((1 - t) * a + t * b)


def _draw_grid(ax, shape, stretched_axes, values, color, clash_axes=()):
    """Draw ``shape`` as unit cells, rows downwards from y=0, pages side by side.

    Cells that broadcasting copies (index > 0 along a stretched axis) are
    drawn pale and hatched; values, when given, are written in every cell.
    """
    from matplotlib.patches import Rectangle
    pages, rows, cols = _grid_2d(shape)
    nd = len(shape)
    pale, ink = _mix(color, "white", 0.55), _mix(color, "black", 0.35)
    for p in range(pages):
        page_index = tuple(int(i) for i in np.unravel_index(p, shape[:-2])) if nd > 2 else ()
        base = p * (cols + 0.6)
        for r in range(rows):
            for c in range(cols):
                index = page_index + ((r, c) if nd >= 2 else (c,) if nd == 1 else ())
                copy = any(index[a] > 0 for a in stretched_axes)
                if copy:
                    ax.add_patch(Rectangle((base + c, -r - 1), 1, 1, fc=pale, ec=ink, lw=0,
                                           hatch="//"))
                    ax.add_patch(Rectangle((base + c, -r - 1), 1, 1, fill=False, ec="0.25", lw=1))
                else:
                    ax.add_patch(Rectangle((base + c, -r - 1), 1, 1, fc=color, ec="0.25", lw=1))
                if values is not None:
                    v = values[index]
                    text = f"{v:.3g}" if isinstance(v, (float, np.floating)) else str(v)
                    ax.text(base + c + 0.5, -r - 0.5, text, ha="center", va="center", fontsize=9,
                            color="0.35" if copy else "black",
                            bbox=dict(fc="white", ec="none", pad=0.5, alpha=0.8) if copy else None)
        for a in clash_axes:                     # a red bar along each clashing axis
            if nd - a == 1:
                ax.add_patch(Rectangle((base, -rows - 0.25), cols, 0.12, color="red"))
            elif nd - a == 2:
                ax.add_patch(Rectangle((base - 0.25, -rows), 0.12, rows, color="red"))
        if nd > 2:                               # which slice of the leading axes each page is
            ax.text(base + cols / 2, 0.25, "[" + ", ".join(map(str, page_index)) + ", :, :]",
                    ha="center", va="bottom", fontsize=8, color="0.3")
    if nd >= 2:                                  # the last two axes, named by their numbers
        ax.text(cols / 2, -rows - 0.2, f"axis {nd - 1} →", ha="center", va="top", fontsize=8,
                color="0.3")
        ax.text(-0.45, -rows / 2, f"axis {nd - 2}\n↓", ha="right", va="center", fontsize=8,
                color="0.3")


def show_broadcast(a_shape, b_shape, op="+", names=("A", "B")):
    """Draw how broadcasting stretches two shapes to a common one.

    Each operand is drawn as a grid of cells in the result's shape: its own
    cells are coloured, and the cells broadcasting copies along a size-1 (or
    missing) axis are hatched. The third panel is the result. When the shapes
    clash, the clashing axes are marked in red and the result panel says why.

    Args:
        a_shape, b_shape: shapes such as ``(3, 1)``, or tensors/arrays; from
            tensors the cells show their values (and the result's).
        op: the operator written between the panels; with values, one of
            ``+ - * /`` to compute the result.
        names: what the panels call the operands, as the code does (``("X", "row")``).

    Returns:
        The array of three matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> axes = d2l.plot.show_broadcast((3, 1), (1, 2))
    >>> [ax.get_title() for ax in axes]
    ['A: (3, 1) → (3, 2)', 'B: (1, 2) → (3, 2)', 'A + B: (3, 2)']
    >>> axes = d2l.plot.show_broadcast((3, 4), (2, 4))
    >>> axes[2].get_title()
    'cannot broadcast'
    >>> axes = d2l.plot.show_broadcast((2, 3), (3,), names=("X", "row"))
    >>> axes[2].get_title()
    'X + row: (2, 3)'
    >>> plt.close("all")
    """
    plt = _pyplot()
    na, nb = names
    (sa, va), (sb, vb) = _shape_and_values(a_shape), _shape_and_values(b_shape)
    try:
        out = tuple(np.broadcast_shapes(sa, sb))
    except ValueError:
        out = None
    nd = max(len(sa), len(sb))
    pa, pb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb   # aligned from the right

    if out is None:
        clash = [i for i in range(nd) if pa[i] != pb[i] and 1 not in (pa[i], pb[i])]
        shapes = [(pa, [], None if va is None else va.reshape(pa), _BLUE, clash),
                  (pb, [], None if vb is None else vb.reshape(pb), _GREEN, clash)]
        titles = [f"{na}: {sa}", f"{nb}: {sb}"]
    else:
        stretch_a = [i for i in range(nd) if pa[i] == 1 and out[i] != 1]
        stretch_b = [i for i in range(nd) if pb[i] == 1 and out[i] != 1]
        va2 = None if va is None else np.broadcast_to(va, out)
        vb2 = None if vb is None else np.broadcast_to(vb, out)
        shapes = [(out, stretch_a, va2, _BLUE, []), (out, stretch_b, vb2, _GREEN, [])]
        titles = [f"{na}: {sa} → {out}", f"{nb}: {sb} → {out}"]

    result_values = None
    if out is not None and va is not None and vb is not None and op in "+-*/":
        with np.errstate(all="ignore"):
            result_values = {"+": np.add, "-": np.subtract, "*": np.multiply,
                             "/": np.true_divide}[op](va, vb)

    grids = [_grid_2d(s[0]) for s in shapes] + ([_grid_2d(out)] if out is not None else [])
    widths = [p * (c + 0.6) - 0.6 for p, _, c in grids]
    heights = [r for _, r, _ in grids]
    h = max(heights)
    fig, axes = plt.subplots(1, 3, figsize=(min(14, 2.2 + 0.55 * (sum(widths) + 2 * max(widths))),
                                            0.55 * h + 1.1),
                             gridspec_kw={"width_ratios": [widths[0] + 1, widths[1] + 1,
                                                           (widths[2] if out is not None
                                                            else max(widths)) + 1]})
    for ax, (shape, stretched, vals, color, clash), title in zip(axes, shapes, titles):
        _draw_grid(ax, shape, stretched, vals, color, clash)
        ax.set_title(title, fontsize=10)
    if out is not None:
        _draw_grid(axes[2], out, [], result_values, _ORANGE)
        axes[2].set_title(f"{na} {op} {nb}: {out}", fontsize=10)
    else:
        axes[2].text(0.5, 0.5, "sizes differ\nand neither is 1:\nan error",
                     ha="center", va="center", fontsize=10, color="red",
                     transform=axes[2].transAxes)
        axes[2].set_title("cannot broadcast", fontsize=10)
    for i, ax in enumerate(axes):
        w = widths[i] if i < len(widths) else max(widths)
        ax.set_xlim(-1.6, w + 0.4)
        ax.set_ylim(-h - 0.9, 0.8)
        ax.set_aspect("equal")
        ax.axis("off")
    caption = ("red bar: the axis where the sizes differ and neither is 1" if out is None else
               "solid cells: the operand's own values;  hatched cells: copies made by broadcasting")
    fig.subplots_adjust(bottom=0.14, top=0.86)
    fig.text(0.5, 0.03, caption, ha="center", va="bottom", fontsize=9, color="0.3")
    for i, sym in ((0, op), (1, "=")):
        fig.text((axes[i].get_position().x1 + axes[i + 1].get_position().x0) / 2, 0.45, sym,
                 ha="center", va="center", fontsize=16)
    return axes


# ====================================================================== show_matrices

def show_matrices(matrices, titles=None, highlight=None, fmt=None):
    """Draw small 1-D or 2-D tensors side by side as grids of their values.

    Args:
        matrices: a list of tensors/arrays (or a dict ``{title: tensor}``).
        titles: one title per matrix (the dict's keys by default; else shapes).
        highlight: one index per matrix, such as ``(slice(1, 3),)`` for
            ``X[1:3]`` or ``(1, 2)`` for ``X[1, 2]``; those cells are shaded.
            Use None for no highlight.
        fmt: a format for the numbers, e.g. ``"{:.1f}"``; by default ints as
            they are and floats with up to 3 significant digits.

    Returns:
        The list of matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> X = d2l.reshape(d2l.range(12), (3, 4))
    >>> axes = d2l.plot.show_matrices({"X": X, "X[1:3]": X[1:3]},
    ...                               highlight=[(slice(1, 3),), None])
    >>> [ax.get_title() for ax in axes]
    ['X', 'X[1:3]']
    >>> plt.close("all")
    """
    from matplotlib.patches import Rectangle
    plt = _pyplot()
    if isinstance(matrices, dict):
        titles = list(matrices) if titles is None else titles
        matrices = list(matrices.values())
    arrays = []
    for m in matrices:
        a = _as_array(m)
        if a.ndim > 2:
            raise ValueError(f"show_matrices: draws 1-D or 2-D values, got shape {a.shape}")
        arrays.append(a.reshape(1, -1) if a.ndim < 2 else a)
    titles = titles or [str(tuple(_as_array(m).shape)) for m in matrices]
    highlight = highlight or [None] * len(arrays)
    widths = [a.shape[1] for a in arrays]
    h = max(a.shape[0] for a in arrays)
    fig, axes = plt.subplots(1, len(arrays), squeeze=False,
                             figsize=(0.5 * sum(widths) + 0.5 * len(arrays) + 0.4, 0.5 * h + 0.8),
                             gridspec_kw={"width_ratios": [w + 0.6 for w in widths]})
    axes = list(axes[0])
    for ax, a, title, key in zip(axes, arrays, titles, highlight):
        mask = np.zeros(a.shape, bool)
        if key is not None:
            mask.reshape(_as_array(a).shape)[key] = True
        for r in range(a.shape[0]):
            for c in range(a.shape[1]):
                ax.add_patch(Rectangle((c, -r - 1), 1, 1, fc=_ORANGE if mask[r, c] else _BLUE,
                                       ec="0.25", lw=1))
                v = a[r, c]
                if fmt:
                    text = fmt.format(v)
                elif a.dtype.kind == "f":
                    text = f"{v:.3g}"
                else:
                    text = str(v)
                ax.text(c + 0.5, -r - 0.5, text, ha="center", va="center", fontsize=9)
        ax.set_xlim(-0.3, max(widths) + 0.3 if len(arrays) == 1 else a.shape[1] + 0.3)
        ax.set_ylim(-h - 0.3, 0.3)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10)
    return axes


# ====================================================================== show_images

def show_images(images, labels=None, predictions=None, ncols=8, scale=1.1, cmap="gray_r"):
    """Draw images (MNIST digits, say) in a grid, titled with labels and predictions.

    Args:
        images: an array or tensor of shape (n, height, width), or (n, h*w)
            for square images such as flattened 28x28 digits.
        labels: the true labels, shown above each image.
        predictions: predicted labels; each title then shows the
            prediction, and where it is wrong ``"pred (true label)"`` in red.
        ncols: images per row.
        scale: inches per image.
        cmap: the colour map (``"gray_r"``: dark ink on white paper).

    Returns:
        The 2-D array of matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> digits = np.zeros((3, 28, 28)); digits[:, 10:18, 13:15] = 1.0
    >>> axes = d2l.plot.show_images(digits, labels=[1, 1, 1], predictions=[1, 7, 1], ncols=3)
    >>> [ax.get_title() for ax in axes.flat]
    ['1', '7 (true 1)', '1']
    >>> plt.close("all")
    """
    plt = _pyplot()
    images = _as_array(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"show_images: cannot make square images from rows of "
                             f"{images.shape[1]} values; pass shape (n, height, width)")
        images = images.reshape(-1, side, side)
    if images.ndim != 3:
        raise ValueError(f"show_images: expected shape (n, height, width), got {images.shape}")
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    titled = labels is not None or predictions is not None
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(scale * ncols, (scale + (0.25 if titled else 0)) * nrows))
    labels = None if labels is None else [_label(v) for v in _as_array(labels)]
    predictions = None if predictions is None else [_label(v) for v in _as_array(predictions)]
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap)
        if predictions is not None:
            truth = labels[i] if labels is not None else None
            wrong = truth is not None and predictions[i] != truth
            text = f"{predictions[i]} (true {truth})" if wrong else f"{predictions[i]}"
            ax.set_title(text, fontsize=9, color="red" if wrong else "black")
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    return axes


def _label(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer()) \
        else v


# ====================================================================== plot_curves

def plot_curves(xs, ys_dict, xlabel, ylabel, logy=False, ax=None, title=None, figsize=(5, 3),
                legend_loc="best"):
    """Plot one or more curves (losses per epoch, timings per size, ...) on shared axes.

    Args:
        xs: the x values, shared by every curve, or a dict with one sequence
            per curve (same keys as ``ys_dict``).
        ys_dict: ``{"curve name": y values}``; each becomes a line in the legend.
        xlabel, ylabel: the axis labels.
        logy: use a logarithmic y axis (for losses that fall by orders of magnitude).
        ax: the Axes to draw on; a new figure of ``figsize`` when None.
        title: an optional title.
        legend_loc: where the legend goes: a matplotlib location such as
            ``"upper right"``, or ``"outside"`` (right of the plot) when the
            curves fill the whole plot.

    Returns:
        The matplotlib Axes.

    >>> import matplotlib.pyplot as plt
    >>> ax = d2l.plot.plot_curves([1, 2, 3], {"train": [0.9, 0.4, 0.2], "test": [1.0, 0.6, 0.5]},
    ...                           "epoch", "loss", logy=True)
    >>> [line.get_label() for line in ax.get_lines()], ax.get_yscale()
    (['train', 'test'], 'log')
    >>> plt.close("all")
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    markers = "os^dv<>"
    for i, (name, ys) in enumerate(ys_dict.items()):
        x = _as_array(xs[name] if isinstance(xs, dict) else xs)
        y = _as_array(ys)
        ax.plot(x, y, label=str(name), marker=markers[i % len(markers)] if len(y) <= 30 else None,
                markersize=4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if legend_loc == "outside":
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    else:
        ax.legend(loc=legend_loc)
    return ax
