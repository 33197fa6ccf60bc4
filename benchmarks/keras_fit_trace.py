"""Keras ``fit`` with its step traced by d2l.function (the default) against ``run_eagerly=True``.

The MNIST-sized MLP (784-256-128-10, ReLU), Adam (1e-3), batch 512, sparse
categorical cross-entropy from logits and the 'accuracy' metric, on random
data of MNIST's shape. Each mode trains a fresh model (same seed, so the
same numbers) for ``--epochs`` epochs; the first epoch includes tracing, the
later ones are the steady state. Times are process CPU time, for one thread::

    OPENBLAS_NUM_THREADS=1 python benchmarks/keras_fit_trace.py --rows 10240 --epochs 4

Results are added to ``benchmarks/results/keras-fit-trace-1thread.md`` with ``--record``.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import d2l_core as d2l  # noqa: E402
from d2l_core import keras  # noqa: E402


class _EpochTimes(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.process_time() - self.start)


def run(run_eagerly, rows, epochs, batch=512):
    rng = np.random.default_rng(3)
    x = rng.random((rows, 784), dtype=np.float32)
    y = rng.integers(0, 10, rows).astype(np.uint8)
    d2l.random.set_seed(0)
    model = keras.Sequential([keras.layers.Dense(256, activation="relu", input_shape=(784,)),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    timer = _EpochTimes()
    history = model.fit(x, y, batch_size=batch, epochs=epochs, shuffle=False, verbose=0,
                        callbacks=[timer])
    return timer.times, history.history["loss"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=10240)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--rounds", type=int, default=3, help="alternate eager/traced this often")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--record", action="store_true")
    args = p.parse_args()
    steps = -(-args.rows // args.batch)
    results = {True: [], False: []}
    losses = {}
    for _ in range(args.rounds):
        for eager in (True, False):
            times, loss = run(eager, args.rows, args.epochs, args.batch)
            results[eager].append(times)
            losses[eager] = loss
    assert np.allclose(losses[True], losses[False], rtol=1e-6), losses
    lines = [f"rows {args.rows} ({steps} steps of {args.batch} per epoch), {args.epochs} epochs, "
             f"{args.rounds} rounds, OPENBLAS_NUM_THREADS="
             f"{os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, process CPU time", "",
             "| fit | first epoch (traces) | later epochs, median | per step |", "|---|---|---|---|"]
    medians = {}
    for eager in (True, False):
        first = statistics.median(t[0] for t in results[eager])
        later = statistics.median(x for t in results[eager] for x in t[1:])
        medians[eager] = later
        name = "run_eagerly=True" if eager else "traced (default)"
        lines.append(f"| {name} | {first:.3f} s | {later:.3f} s | {1e3 * later / steps:.2f} ms |")
    lines += ["", f"traced / eager, later epochs: {medians[False] / medians[True]:.2f}; "
              f"losses equal to rtol 1e-6: {losses[True]}"]
    text = "\n".join(lines)
    print(text)
    if args.record:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                            "keras-fit-trace-1thread.md")
        new = not os.path.exists(path)
        with open(path, "a") as f:          # one section per run (batch size)
            if new:
                f.write("# Keras fit: traced step vs run_eagerly=True (issue 14)\n\n")
            f.write(f"## batch {args.batch}\n\nRecorded by `OPENBLAS_NUM_THREADS=1 python "
                    f"benchmarks/keras_fit_trace.py --rows {args.rows} --epochs {args.epochs} "
                    f"--batch {args.batch} --record` on "
                    f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n{text}\n")


if __name__ == "__main__":
    main()
