"""d2l_core.plot: the figures the chapters draw, checked headless (Agg backend)."""
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import d2l_core as d2l  # noqa: E402
from d2l_core import plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _renders(ax_or_axes, tmp_path):
    """The figure draws to a non-empty PNG."""
    ax = np.ravel(ax_or_axes)[0]
    path = tmp_path / "figure.png"
    ax.figure.savefig(path)
    assert path.stat().st_size > 1000


def _texts(ax):
    return sorted(t.get_text() for t in ax.texts)


def test_import_d2l_core_does_not_import_matplotlib():
    code = "import sys, d2l_core; d2l_core.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- plot_tape

def test_plot_tape_draws_one_node_per_tensor_and_op(tmp_path):
    x = d2l.reshape(d2l.Variable(range(4), dtype=d2l.float32), (4, 1))
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = 2 * d2l.matmul(d2l.transpose(x), x)
    ax = plot.plot_tape(tape, names={"x": x, "y": y}, title="y = 2 x^T x")
    assert _texts(ax) == ["(1, 1)", "(1, 4)", "2", "matmul", "multiply", "transpose",
                          "x\n(4, 1)", "y\n(1, 1)"]
    assert ax.get_title() == "y = 2 x^T x"
    _renders(ax, tmp_path)


def test_plot_tape_colours_sources_constants_and_targets():
    a, w = d2l.constant(2.0), d2l.constant(4.0)
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(w)
        y = a * w
    ax = plot.plot_tape(tape, names={"a": a, "w": w, "y": y})
    colours = {t.get_text().split("\n")[0]: None for t in ax.texts}
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    assert len(boxes) == 4                       # a, w, multiply, y
    centres = {}
    for p in boxes:
        bb = p.get_bbox()
        centres[(round((bb.x0 + bb.x1) / 2, 3), round((bb.y0 + bb.y1) / 2, 3))] = p.get_facecolor()
    for t in ax.texts:
        colours[t.get_text().split("\n")[0]] = centres[(round(t.get_position()[0], 3),
                                                        round(t.get_position()[1], 3))]
    to_rgba = matplotlib.colors.to_rgba
    assert colours["w"] == to_rgba(plot._BLUE)      # watched
    assert colours["a"] == to_rgba(plot._GREY)      # constant
    assert colours["y"] == to_rgba(plot._ORANGE)    # target


def test_plot_tape_variables_and_reads():
    v = d2l.Variable(3.0)
    with d2l.GradientTape(persistent=True) as tape:
        y = d2l.square(v) + v
    collapsed = plot.plot_tape(tape, names={"v": v})
    assert "ReadVariableOp" not in _texts(collapsed)
    assert "v\n= 3" in _texts(collapsed)
    full = plot.plot_tape(tape, collapse_reads=False)
    assert _texts(full).count("ReadVariableOp") == 2
    assert float(y) == 12.0


def test_plot_tape_draws_an_op_with_several_outputs_once(tmp_path):
    x = d2l.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, b, c = d2l.unstack(x)          # one op, three outputs
        y = a * b
    ax = plot.plot_tape(tape, names={"x": x, "a": a, "b": b, "c": c, "y": y})
    assert _texts(ax) == ["a\n(2,)", "b\n(2,)", "c\n(2,)", "multiply", "unstack",
                          "x\n(3, 2)", "y\n(2,)"]
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 7               # x→unstack, unstack→a, b, c, a→multiply, b→, →y
    _renders(ax, tmp_path)


def test_plot_tape_accepts_a_list_of_records():
    x = d2l.constant(2.0)
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        d2l.exp(x)
    ax = plot.plot_tape(tape.records())
    assert "exp" in _texts(ax)


def test_plot_tape_explains_a_used_tape():
    x = d2l.constant(2.0)
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(ValueError, match="persistent=True"):
        plot.plot_tape(tape)


def test_plot_tape_explains_an_empty_tape():
    with d2l.GradientTape() as tape:
        d2l.constant(1.0) * 2.0
    with pytest.raises(ValueError, match="watch"):
        plot.plot_tape(tape)


def test_plot_tape_long_edges_do_not_cross_boxes():
    """An input used again several ops later gets its own lane (a polyline)."""
    x = d2l.Variable(1.5)
    with d2l.GradientTape(persistent=True) as tape:
        y = d2l.sin(d2l.exp(d2l.square(x))) * x
    ax = plot.plot_tape(tape, names={"x": x, "y": y})
    assert len(ax.get_lines()) == 1      # the x -> multiply edge, routed around
    assert float(y) == pytest.approx(1.5 * np.sin(np.exp(2.25)), rel=1e-5)


# ---------------------------------------------------------------- show_broadcast

def _hatched(ax):
    return sum(1 for p in ax.patches if p.get_hatch())


# ---------------------------------------------------------------- plot_graph

def _colour_of(ax, label):
    """The face colour of the box whose text is ``label``."""
    (t,) = [t for t in ax.texts if t.get_text() == label]
    x, y = t.get_position()
    for p in ax.patches:
        if type(p).__name__ == "FancyBboxPatch":
            bb = p.get_bbox()
            if bb.x0 <= x <= bb.x1 and bb.y0 <= y <= bb.y1:
                return p.get_facecolor()
    raise AssertionError(f"no box under {label!r}")


def _dense_step():
    """One SGD step of a Dense layer, traced: about 10 nodes."""
    d2l.random.set_seed(0)
    dense = d2l.keras.layers.Dense(3, activation="relu", name="dense")
    dense(d2l.ones((1, 4)))
    opt = d2l.keras.optimizers.SGD(0.1)

    @d2l.function
    def step(x, y):
        with d2l.GradientTape() as tape:
            loss = d2l.reduce_mean(d2l.square(dense(x) - y))
        grads = tape.gradient(loss, dense.trainable_variables)
        opt.apply_gradients(zip(grads, dense.trainable_variables))
        return loss
    return step.get_concrete_function(d2l.TensorSpec([None, 4]), d2l.TensorSpec([None, 3]))


def test_plot_graph_draws_a_traced_training_step(tmp_path):
    cf = _dense_step()
    ax = plot.plot_graph(cf, title="one step")
    texts = _texts(ax)
    for op_type in ("MatMul", "AddV2", "Relu", "Sub", "Square", "Mean", "Gradient",
                    "apply_\ngradients", "Gradient\nTapeStart", "Gradient\nTapeStop"):
        assert op_type in texts
    assert len([t for t in texts if t in {"MatMul", "AddV2", "Relu"}]) == 3
    # Inputs with their names and static shapes, captured Variables, the output.
    assert {"x\n(None, 4)", "y\n(None, 3)", "dense/\nkernel\n(4, 3)", "dense/bias\n(3,)",
            "output\n()", "tape"} <= set(texts)
    to_rgba = matplotlib.colors.to_rgba
    assert _colour_of(ax, "x\n(None, 4)") == to_rgba(plot._BLUE)
    assert _colour_of(ax, "dense/bias\n(3,)") == to_rgba(plot._PURPLE)
    assert _colour_of(ax, "output\n()") == to_rgba(plot._ORANGE)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "input", "captured Variable", "GradientTape", "intermediate", "output"]
    assert ax.get_title() == "one step"
    _renders(ax, tmp_path)


def test_plot_graph_shows_constants_dtypes_and_variable_reads():
    v = d2l.Variable(2.0, name="v")

    @d2l.function
    def f(n):
        return d2l.cast(n, d2l.float32) * 3.0 + v.read_value()
    cf = f.get_concrete_function(d2l.TensorSpec([5], d2l.int32))
    texts = _texts(plot.plot_graph(cf))
    assert "n\n(5,) int32" in texts and "3" in texts and "v\n()" in texts
    assert "Read\nVariableOp" not in texts
    assert "Read\nVariableOp" in _texts(plot.plot_graph(cf.graph, collapse_reads=False))


def test_plot_graph_asks_for_one_trace():
    f = d2l.function(lambda x: x + 1.0)
    with pytest.raises(TypeError, match="get_concrete_function"):
        plot.plot_graph(f)
    with pytest.raises(TypeError, match="plot_tape"):
        plot.plot_graph(d2l.GradientTape())


def test_plot_graph_draws_a_keras_models_train_function(tmp_path):
    d2l.random.set_seed(0)
    model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", loss="mse")
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model.fit(x, y, batch_size=4, verbose=0)
    cf = model.train_function.get_concrete_function((d2l.constant(x[:4]), d2l.constant(y[:4])))
    ax = plot.plot_graph(cf)
    assert "MatMul" in _texts(ax) and "AssignAdd\nVariableOp" in _texts(ax)
    _renders(ax, tmp_path)


def test_show_broadcast_shades_the_copied_cells(tmp_path):
    axes = plot.show_broadcast((3, 1), (1, 2))
    assert [ax.get_title() for ax in axes] == ["A: (3, 1) → (3, 2)", "B: (1, 2) → (3, 2)",
                                              "A + B: (3, 2)"]
    assert [_hatched(ax) for ax in axes] == [3, 4, 0]   # A copies a column, B two rows
    _renders(axes, tmp_path)


def test_show_broadcast_writes_values_from_tensors():
    a = d2l.reshape(d2l.constant(range(3)), (3, 1))
    b = d2l.reshape(d2l.constant(range(2)), (1, 2))
    axes = plot.show_broadcast(a, b)

    def values(ax):
        return [t for t in _texts(ax) if not t.startswith("axis")]
    assert values(axes[2]) == sorted(str(v) for v in (a + b).numpy().ravel())
    assert values(axes[0]) == sorted(str(v) for v in [0, 0, 1, 1, 2, 2])


def test_show_broadcast_names_operands_and_labels_axes():
    axes = plot.show_broadcast((2, 3, 1), (4,), names=("T", "v"))
    assert [ax.get_title() for ax in axes] == ["T: (2, 3, 1) → (2, 3, 4)", "v: (4,) → (2, 3, 4)",
                                               "T + v: (2, 3, 4)"]
    texts = _texts(axes[0])
    assert "axis 2 →" in texts and "axis 1\n↓" in texts
    assert "[0, :, :]" in texts and "[1, :, :]" in texts


def test_show_broadcast_aligns_from_the_right():
    axes = plot.show_broadcast((2, 3, 1), (4,), op="*")
    assert axes[2].get_title() == "A * B: (2, 3, 4)"
    assert _hatched(axes[0]) == 2 * 3 * 3
    assert _hatched(axes[1]) == 2 * 3 * 4 - 4


def test_show_broadcast_marks_a_clash():
    axes = plot.show_broadcast((3, 4), (2, 4))
    assert axes[2].get_title() == "cannot broadcast"
    red = [p for ax in axes[:2] for p in ax.patches
           if matplotlib.colors.to_hex(p.get_facecolor()) == "#ff0000"]
    assert len(red) == 2                          # axis 0 of each operand


# ---------------------------------------------------------------- show_matrices

def test_show_matrices_highlights_an_index(tmp_path):
    X = d2l.reshape(d2l.range(12), (3, 4))
    axes = plot.show_matrices([X, X[1, 2]], titles=["X", "X[1, 2]"], highlight=[(1, 2), None])
    orange = [p for p in axes[0].patches
              if matplotlib.colors.to_hex(p.get_facecolor()) == plot._ORANGE]
    assert len(orange) == 1
    assert _texts(axes[1]) == ["6"]
    _renders(axes, tmp_path)


def test_show_matrices_refuses_3d():
    with pytest.raises(ValueError, match="1-D or 2-D"):
        plot.show_matrices([np.zeros((2, 2, 2))])


# ---------------------------------------------------------------- show_images

def test_show_images_titles_and_mistakes(tmp_path):
    images = np.random.default_rng(0).random((5, 28, 28))
    axes = plot.show_images(images, labels=[3, 1, 4, 1, 5], predictions=[3, 7, 4, 1, 5], ncols=3)
    assert axes.shape == (2, 3)
    titles = [ax.get_title() for ax in axes.flat]
    assert titles == ["3", "7 (true 1)", "4", "1", "5", ""]
    assert axes.flat[1].title.get_color() == "red"
    _renders(axes, tmp_path)


def test_show_images_reshapes_flat_digits_and_rejects_odd_rows():
    axes = plot.show_images(d2l.zeros((2, 784)), labels=d2l.constant([0, 9]))
    assert [ax.get_title() for ax in axes.flat] == ["0", "9"]
    assert axes.flat[0].get_images()[0].get_array().shape == (28, 28)
    with pytest.raises(ValueError, match="square"):
        plot.show_images(np.zeros((2, 10)))


# ---------------------------------------------------------------- plot_curves

def test_plot_curves_shared_and_separate_xs(tmp_path):
    ax = plot.plot_curves([1, 2, 3], {"train": [3.0, 2.0, 1.0], "test": [3.5, 2.5, 2.0]},
                          "epoch", "loss")
    assert [line.get_label() for line in ax.get_lines()] == ["train", "test"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()) == ("epoch", "loss", "linear")
    ax2 = plot.plot_curves({"cpu": [1, 2], "gpu": [1, 2, 4]},
                           {"cpu": [0.1, 0.4], "gpu": [0.01, 0.02, 0.03]},
                           "size", "seconds", logy=True)
    assert ax2.get_yscale() == "log"
    assert list(ax2.get_lines()[1].get_xdata()) == [1, 2, 4]
    _renders(ax, tmp_path)


def test_plot_curves_legend_outside():
    ax = plot.plot_curves([0, 1], {"a": [0, 1], "b": [1, 0]}, "x", "y", legend_loc="outside")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b"]
    ax.figure.canvas.draw()
    assert legend.get_window_extent().x0 > ax.get_window_extent().x1   # right of the plot


def test_plot_tape_draws_the_gradient_each_edge_carries_back():
    x = d2l.constant([[1.], [2.]])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = 2. * d2l.matmul(d2l.transpose(x), x)
    ax = plot.plot_tape(tape, names={"x": x, "y": y}, gradients_of=y)
    red = sorted(t.get_text() for t in ax.texts if t.get_text().startswith("←"))
    # 1 at the target, 2 into multiply's output edge, 2x along both edges into x's uses
    assert red == ["← 1", "← [2, 4]", "← [2, 4]", "← [2, 4]", "← [2]"]
    # the edges into x add up to what gradient() returns: 2x + 2x
    walk = tape.backward_walk(y)
    into_x = [g for _, _, _, source, g in walk if source is x]
    assert np.allclose(sum(g.numpy() for g in into_x), tape.gradient(y, x).numpy())
