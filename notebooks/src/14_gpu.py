# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 14. GPU acceleration
#
# Training a network is mostly matrix multiplication, repeated millions of
# times. A CPU has a handful of fast, clever cores; a graphics card (GPU) has
# thousands of simple ones that all do the same thing at once, which is
# exactly what a large matrix product needs. That difference is a large part
# of why deep learning took off (chapter 1). This chapter shows how the engine
# decides where a computation runs, how to measure whether a GPU helps, and
# what happens on a machine without one, which is where most of this course
# runs.
#
# **After this chapter you will be able to**
#
# * list the devices the engine can use, and read a tensor's `.device` string;
# * place tensors and operations with `d2l.device('/cpu:0')` and `d2l.device('/gpu:0')`;
# * explain *soft placement*, the fallback to the CPU when no GPU exists, and turn it off to get an error instead;
# * time an operation properly: warm up first, repeat, and wait for the GPU to finish;
# * read a CPU-versus-GPU timing curve and explain why small operations gain nothing from a GPU;
# * keep a GPU busy: avoid reading values inside a training step, and explain why;
# * say what runs where with and without a GPU, and install CuPy to use one.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import timeit
import warnings

import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 14.1 Which devices are there?
#
# `d2l.config.list_physical_devices()` lists what the engine can compute on.
# There is always one CPU. GPUs come from **CuPy**, a NumPy look-alike that
# runs on NVIDIA graphics cards: with CuPy installed and a CUDA GPU present,
# each GPU appears as well. `d2l.test.is_gpu_available()` answers the question
# in one word. The output below comes from the machine that ran this notebook,
# which has no GPU; yours may differ.

# %%
# NBVAL_IGNORE_OUTPUT
# (the devices depend on the machine)
print(d2l.config.list_physical_devices())
print('GPU available:', d2l.test.is_gpu_available())
print('CuPy installed:', d2l.test.is_built_with_cuda())

# %% [markdown]
# Every tensor knows where its values live. Device names follow TensorFlow's
# long form, `/job:localhost/replica:0/task:0/device:CPU:0`. The first three
# parts name a machine in a cluster (a *job*, a *replica*, a *task*) and matter
# only for distributed training; the last part, `device:CPU:0`, is the one to
# read: the device type and its number. You may write the short forms
# `'/cpu:0'`, `'/gpu:0'`, `'GPU:0'` or `'/device:GPU:0'`; they all mean the
# same device:

# %%
x = d2l.ones((2, 3))
print(x.device)

# %% [markdown]
# `d2l.Device.parse` turns any spelling into the long form. It is d2l_core
# only; in TensorFlow you would write
# `tf.DeviceSpec.from_string(spelling).to_string()`, which gives the short
# canonical form `/device:GPU:0`.

# %% tags=["d2l-only"]
for spelling in ['/cpu:0', 'CPU:0', '/gpu:0', '/device:GPU:0']:
    print(f'{spelling!r:16} -> {d2l.Device.parse(spelling).name}')

# %% [markdown]
# ## 14.2 Placing computations
#
# `with d2l.device(name):` asks for a device, as `tf.device` does in
# TensorFlow: tensors created inside the block are stored there, and
# operations run there. Outside any such block they go to the *default
# device*: GPU:0 when a GPU is visible, as in TensorFlow, and the CPU
# otherwise. An operation first copies inputs that live elsewhere to its device.
#
# On the CPU a tensor's values are a NumPy array; on a GPU they are a CuPy
# array in the graphics card's own memory. Copying between the two crosses the
# PCIe bus and is slow compared to computing, so the rule of thumb is: put the
# data where the work happens, once, and leave it there.

# %%
with d2l.device('/cpu:0'):
    a = d2l.random.normal([2, 2])
    b = d2l.matmul(a, a)
print(a.device)
print(b.device)

# %% [markdown]
# To see where each operation runs, turn on **device placement logging**. The
# engine then prints one line per operation, to the error stream, as
# TensorFlow does (TensorFlow's lines look a little different):

# %%
d2l.debugging.set_log_device_placement(True)
with d2l.device('/cpu:0'):
    c = d2l.matmul(a, a) + 1.0
d2l.debugging.set_log_device_placement(False)

# %% [markdown]
# ## 14.3 No GPU? Soft placement
#
# What happens when code asks for `'/gpu:0'` on a machine that has no GPU, a
# laptop, say, or the machine that built this notebook? TensorFlow 2, and the
# engine, fall back to the CPU and carry on. This is **soft placement**: the
# device you name is a preference, not a demand. It makes the same notebook
# run on a GPU server and on a laptop without changes. The engine says once,
# with a warning, that it fell back; we catch the warning here to print it
# neatly (without the catching, JupyterLab shows it in red).
#
# Soft placement is on by default, so the first line below only restates it.
# TensorFlow 2.21 needs that here: after `tf.debugging.set_log_device_placement`
# it reports soft placement as on but no longer applies it, until you set it
# again.

# %%
# NBVAL_IGNORE_OUTPUT
# (with a GPU, this runs there and warns about nothing)
d2l.config.set_soft_device_placement(True)     # the default (see above)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with d2l.device('/gpu:0'):
        g = d2l.ones((2, 3))
print(g.device)
for w in caught:
    print(f'{w.category.__name__}: {w.message}')

# %% [markdown]
# Only once: a second request runs on the CPU silently, so a training loop does
# not print a warning per step.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with d2l.device('/gpu:0'):
        g = d2l.ones((2, 3)) * 2.0
print(len(caught), 'warnings')

# %% [markdown]
# Soft placement is on by default in TensorFlow 2. When you *need* the GPU (a
# benchmark, say, where silently measuring the CPU would be misleading), turn
# it off. Asking for a missing GPU is then an `InvalidArgumentError`. (The
# engine's `InvalidArgumentError` is also a `ValueError`, TensorFlow's is not,
# so catch it by its own name, `d2l.errors.InvalidArgumentError`, as
# `tf.errors.InvalidArgumentError` in TensorFlow.)

# %%
# NBVAL_IGNORE_OUTPUT
# (with a GPU, nothing fails)
print(d2l.config.get_soft_device_placement())
d2l.config.set_soft_device_placement(False)
try:
    with d2l.device('/gpu:0'):
        g = d2l.ones((2, 3))
    print('ran on', g.device)
except d2l.errors.InvalidArgumentError as e:
    print(f'{type(e).__name__}: {e}')
finally:
    d2l.config.set_soft_device_placement(True)

# %% [markdown]
# TensorFlow 1 had the same switch in its session configuration, and there it
# was **off** unless you turned it on. That is why so many TF1 programs start
# with `tf.ConfigProto(allow_soft_placement=True)`. The engine's graph mode
# (chapter 12) behaves the same way:

# %%
# NBVAL_IGNORE_OUTPUT
# (with a GPU, both sessions run on it)
import d2l_core.compat.v1 as v1

graph = v1.Graph()
with graph.as_default():
    with graph.device('/gpu:0'):
        total = v1.constant(2.0) + v1.constant(4.0)

for soft in [False, True]:
    config = v1.ConfigProto(allow_soft_placement=soft)
    try:
        with v1.Session(graph=graph, config=config) as sess:
            print(f'allow_soft_placement={soft}: ran, result {sess.run(total)}')
    except v1.errors.InvalidArgumentError as e:
        print(f'allow_soft_placement={soft}: {type(e).__name__}: {e}')

# %% [markdown]
# ## 14.4 Timing the CPU against the GPU
#
# Here is a classic first experiment from TensorFlow notes: two random matrices
# on each device, a matrix product on each, timed with Python's `timeit`. It
# first runs each product 10 times to warm up, so that one-off start-up costs
# (loading GPU code, allocating memory) are not counted, then 10 more times
# for real.
# The timings vary from run to run and machine to machine. On this machine
# both halves ran on the CPU, as section 14.3 explained.

# %%
# NBVAL_IGNORE_OUTPUT
# (timings vary from run to run)
n = 1000

# two matrices on the CPU
with d2l.device('/cpu:0'):
    cpu_a = d2l.random.normal([1, n])
    cpu_b = d2l.random.normal([n, 1])
    print(cpu_a.device, cpu_b.device)
# two matrices on the GPU
with d2l.device('/gpu:0'):
    gpu_a = d2l.random.normal([1, n])
    gpu_b = d2l.random.normal([n, 1])
    print(gpu_a.device, gpu_b.device)

def cpu_run():
    with d2l.device('/cpu:0'):
        c = d2l.matmul(cpu_a, cpu_b)
    return c

def gpu_run():
    with d2l.device('/gpu:0'):
        c = d2l.matmul(gpu_a, gpu_b)
    return c

# warm up first, so that start-up costs are not counted
cpu_time = timeit.timeit(cpu_run, number=10)
gpu_time = timeit.timeit(gpu_run, number=10)
print('warmup:', cpu_time, gpu_time)
# then time 10 runs of each
cpu_time = timeit.timeit(cpu_run, number=10)
gpu_time = timeit.timeit(gpu_run, number=10)
print('run time:', cpu_time, gpu_time)


# %% [markdown]
# Two things make this program a poor judge of a GPU, even on a machine that
# has one:
#
# * A `(1, n)` by `(n, 1)` product is a single dot product: only $2n$
#   arithmetic operations. Starting any operation costs a few microseconds of
#   fixed overhead (Python, the engine's checks, and on a GPU the launch of a
#   *kernel*, the program the GPU runs), and for so little work the overhead is
#   all you measure.
# * A GPU works **asynchronously**: `matmul` on a GPU queues the work and
#   returns at once, before the result exists. Timing only the call measures
#   how fast work is *queued*. A fair measurement waits for the result, for
#   example by reading one number of it back to the host, which cannot happen
#   before the product is finished.
#
# So we measure square $n \times n$ products, which need $2n^3$ operations,
# over a range of sizes, and wait for each result. `best_time` repeats a
# function enough times to be measurable, does that five times, and keeps the
# fastest: the slower runs are the ones something else on the machine
# interrupted.

# %%
def best_time(f, number, repeat=5):
    f()                                             # warm up
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number

def matmul_seconds(n, device):
    with d2l.device(device):
        x = d2l.random.normal([n, n])
        y = d2l.random.normal([n, n])

    def run():
        with d2l.device(device):
            z = d2l.matmul(x, y)
        z[0, 0].numpy()             # wait: read one number back to the host
    return best_time(run, number=max(1, 2**24 // n**3))


# %%
# NBVAL_IGNORE_OUTPUT
# (timings vary from run to run)
has_gpu = d2l.test.is_gpu_available()
sizes = [16, 32, 64, 128, 256, 512, 1024]
d2l.random.set_seed(0)
seconds = {'CPU': [], 'GPU': []}
for n in sizes:             # CPU and GPU in turns, so both see the same machine load
    seconds['CPU'].append(matmul_seconds(n, '/cpu:0'))
    seconds['GPU'].append(matmul_seconds(n, '/gpu:0'))
print('    n   CPU ms   GPU ms')
for n, t_cpu, t_gpu in zip(sizes, seconds['CPU'], seconds['GPU']):
    print(f'{n:5d} {t_cpu * 1e3:8.3f} {t_gpu * 1e3:8.3f}')

# %% [markdown]
# Two views of the same measurements: the time per product, and the
# **throughput**, the number of floating-point operations per second
# (GFLOP/s, billions per second) that the device achieved, $2n^3$ divided by
# the time. Both axes are logarithmic because $n$ doubles at each point and the
# time grows about eightfold. The plot says in its title and legend whether
# the GPU curve really ran on a GPU:

# %%
gpu_label = 'GPU' if has_gpu else "'/gpu:0' (ran on the CPU)"
title = ('CPU vs GPU' if has_gpu
         else 'No GPU on this machine: both curves ran on the CPU')
flops = {name: [2 * n**3 / t / 1e9 for n, t in zip(sizes, ts)]
         for name, ts in seconds.items()}

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself, e.g. ax1.loglog(sizes, seconds['CPU']).
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.2))
d2l.plot.plot_curves(sizes, {'CPU': np.array(seconds['CPU']) * 1e3,
                             gpu_label: np.array(seconds['GPU']) * 1e3},
                     'matrix size n (n × n @ n × n)', 'time per matmul (ms)',
                     logy=True, ax=ax1, title=title)
d2l.plot.plot_curves(sizes, {'CPU': flops['CPU'], gpu_label: flops['GPU']},
                     'matrix size n', 'GFLOP/s', logy=True, ax=ax2,
                     title='Throughput: 2n³ / time', legend_loc='upper left')
for ax in (ax1, ax2):
    ax.set_xscale('log', base=2)
    ax.set_xticks(sizes, [str(n) for n in sizes])
plt.show()

# %% [markdown]
# How to read the figure on this machine, where both curves are the CPU (they
# differ only by measurement noise):
#
# * For small matrices the time hardly changes with $n$: it is the fixed
#   overhead per operation, some microseconds. The throughput is tiny; the
#   hardware mostly waits.
# * From $n \approx 128$ on, the time grows like $n^3$ (a slope of 3 on the
#   log–log plot) and the throughput levels off at what the CPU's cores can
#   sustain, tens to hundreds of GFLOP/s.
# * Dips and bumps that break these patterns come from other programs using
#   the machine while it measured. Run the timing cells again and they move;
#   the trends stay.
#
# On a machine with a GPU, the GPU curve looks different in a typical way. For
# small $n$ it is *slower* than the CPU: a kernel launch and the wait for the
# result cost more than computing a small product on the CPU. Beyond a few
# hundred rows the GPU overtakes the CPU, and its throughput keeps climbing to
# tens of TFLOP/s (trillions per second), 10 to 100 times the CPU. That is why
# deep learning on a GPU uses **large batches**: one big matrix product keeps
# thousands of GPU cores busy, while many small ones mostly pay overhead.
#
# ## 14.5 Keeping a GPU busy: launches and round trips
#
# The timing experiment hints at how a GPU wants to be used. Every operation
# on a GPU is a *kernel launch*: the host (the CPU running Python) puts a
# small program in the GPU's queue and goes on at once. A training step of
# chapter 9's network is a few dozen launches: the matrix products, the bias
# additions, the ReLUs, the loss, their gradients and the optimizer's updates.
# While the GPU works through the queue, Python is already preparing the next
# launches, so the two run side by side.
#
# Two things break that rhythm.
#
# * **Round trips to the host.** `.numpy()`, `float(loss)`, `print(loss)` and
#   `if loss < 0.1:` need the *value* of a tensor. On a GPU the host must then
#   wait until everything queued before it has run, and only then can it
#   queue more: the GPU sits idle while Python catches up. Once per epoch
#   this costs nothing; once per step it can cost more than the step.
# * **Many small launches.** Each launch costs the host several microseconds,
#   whatever the size of the array. With small batches the GPU finishes a
#   kernel faster than the host can launch the next one, and the launch rate
#   is the speed limit. This is why the engine's optimizers update each
#   variable with one *fused* kernel (Adam's ten arithmetic steps in one
#   launch), as PyTorch's fused optimizers do.
#
# So a training loop on a GPU keeps its running totals as tensors and reads
# them once per epoch. Keras's `fit` works that way; in a loop of your own,
# write it like this (it runs anywhere, and on a GPU it never waits inside
# the loop):

# %%
rng = np.random.default_rng(0)
features = rng.normal(size=(512, 3)).astype(np.float32)
targets = features @ np.array([[2.0], [-1.0], [0.5]], np.float32) + 0.3

w = d2l.Variable(d2l.zeros((3, 1)))
b = d2l.Variable(0.0)
optimizer = d2l.keras.optimizers.SGD(learning_rate=0.1)
batches = d2l.data.Dataset.from_tensor_slices((features, targets)).batch(64)

for epoch in range(3):
    total, steps = d2l.constant(0.0), 0    # total: a tensor, so adding to it queues work
    for x, y in batches:
        with d2l.GradientTape() as tape:
            loss = d2l.reduce_mean((d2l.matmul(x, w) + b - y) ** 2)
        grads = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(grads, [w, b]))
        total += loss                      # no value is read here: nothing waits
        steps += 1
    print(f'epoch {epoch}: mean loss {(total / steps).numpy():.4f}')   # one round trip per epoch

# %% [markdown]
# A few of TensorFlow's operations behave differently on a GPU for the same
# reason: a check of the input's values would be a round trip. `d2l.gather`
# with an index outside the tensor raises an `InvalidArgumentError` on the
# CPU, but on a GPU it quietly returns 0 for that index; and
# `d2l.nn.sparse_softmax_cross_entropy_with_logits` with a label outside
# `[0, classes)` gives a NaN loss on a GPU instead of an error. The engine
# follows TensorFlow in both, so when a GPU run gives zeros or NaNs you cannot
# explain, run the same code on the CPU (`with d2l.device('/cpu:0'):`) to get
# the error message.
#
# ## 14.6 What runs where
#
# | | without a GPU (or without CuPy) | with a CUDA GPU and CuPy |
# |---|---|---|
# | `d2l.config.list_physical_devices('GPU')` | `[]` | one entry per GPU |
# | a new tensor or op, outside any `d2l.device` block | CPU (a NumPy array) | GPU:0 (a CuPy array), as in TensorFlow |
# | the same, after `d2l.config.set_visible_devices([], 'GPU')` before the first op | CPU | CPU |
# | a tensor or op inside `with d2l.device('/gpu:0')` | CPU, with one warning (soft placement) | GPU (a CuPy array) |
# | the same, with soft placement turned off | `InvalidArgumentError` | GPU |
# | an op whose inputs live on different devices | (everything is on the CPU) | runs on its device (GPU:0 outside any block); other inputs are copied over |
# | the elements of a `d2l.data.Dataset` | CPU | CPU (as `tf.data`); the model's first op copies each batch to the GPU |
# | `.numpy()`, `print(t)`, plotting | no copy | copies the values from the GPU to the host |
# | graph mode: `graph.device('/gpu:0')` in a `v1.Session` | error, unless `ConfigProto(allow_soft_placement=True)` | GPU |
#
# As in TensorFlow, a visible GPU is the default device: with CuPy and a GPU,
# code outside any `d2l.device` block runs on GPU:0. To keep everything on the
# CPU, wrap the code in `with d2l.device('/cpu:0'):`, start Python with
# `CUDA_VISIBLE_DEVICES=""`, or call `d2l.config.set_visible_devices([], 'GPU')`
# before the first operation. The engine starts its runtime at that first
# operation, as TensorFlow does, and changing the visible devices afterwards
# raises `RuntimeError: Visible devices cannot be modified after being
# initialized`.
#
# ## 14.7 Installing CuPy
#
# The engine's GPU support is CuPy, an optional dependency. On a Linux machine
# with an NVIDIA GPU and its CUDA driver, install the course with its `gpu`
# extra from the repository folder:
#
# ```bash
# pip install -e ".[gpu]"
# ```
#
# That installs `cupy-cuda12x`, the CuPy build for CUDA 12 drivers (for a
# CUDA 13 driver, `pip install cupy-cuda13x` instead). Then restart the kernel
# and check:
#
# ```python
# import d2l_core as d2l
# d2l.test.is_built_with_cuda()              # True: CuPy can be imported
# d2l.test.is_gpu_available()                # True: CuPy found a working GPU
# d2l.config.list_physical_devices('GPU')    # [PhysicalDevice(name='/physical_device:GPU:0', ...)]
# ```
#
# If the first is `True` but the second `False`, CuPy is installed but finds no
# usable GPU or driver (`nvidia-smi` in a terminal shows what the driver
# sees). Every notebook runs as before, now on the graphics card: new tensors
# and operations go to GPU:0 unless a `with d2l.device('/cpu:0')` block says
# otherwise.
#
# ## Summary
#
# * `d2l.config.list_physical_devices()` lists the CPU and any GPU CuPy can
#   use; a tensor's `.device` says where its values live, in TensorFlow's long
#   form ending in `device:CPU:0` or `device:GPU:0`.
# * `with d2l.device('/gpu:0'):` places new tensors and operations on a
#   device. Without a GPU, soft placement runs them on the CPU with one
#   warning; `d2l.config.set_soft_device_placement(False)` (or, in graph mode,
#   a `ConfigProto` without `allow_soft_placement=True`) makes that an error.
# * `d2l.debugging.set_log_device_placement(True)` prints where each operation runs.
# * Time with care: warm up, repeat and keep the best, and wait for a GPU
#   result before stopping the clock.
# * Small operations cost a fixed overhead on any device; a GPU pays off for
#   large matrix products, which is why training uses large batches.
# * A GPU runs a queue of kernel launches while Python goes on. Reading a value
#   (`.numpy()`, `float()`, `print`, `if`) makes the host wait for the queue:
#   keep running totals as tensors and read them once per epoch.
# * `pip install -e ".[gpu]"` adds CuPy; with a GPU, operations outside any
#   `d2l.device` block then run on GPU:0, as in TensorFlow
#   (`d2l.config.set_visible_devices([], 'GPU')`, before the first op, hides it).
#
# ## Check yourself
#
# Chapter 14 has no graded assignment. Use these questions, and the notebook
# itself, to check your understanding:
#
# 1. Which part of `/job:localhost/replica:0/task:0/device:GPU:0` names the
#    device, and what do the other parts describe?
#    <details><summary>Answer</summary>
#
#    `device:GPU:0`, the first GPU. The job, replica and task name a machine
#    in a cluster; they matter only for distributed training.
#    </details>
# 2. A colleague's notebook has `with d2l.device('/gpu:0'):` everywhere. What
#    happens when you run it on your laptop without a GPU? What changes after
#    `d2l.config.set_soft_device_placement(False)`?
#    <details><summary>Answer</summary>
#
#    Soft placement runs everything on the CPU (the engine warns once). With
#    soft placement off, the first tensor or op placed on `'/gpu:0'` raises
#    an `InvalidArgumentError`.
#    </details>
# 3. Why does timing only `d2l.matmul(x, y)` on a GPU give a misleadingly small
#    number? How does `matmul_seconds` avoid that?
#    <details><summary>Answer</summary>
#
#    A GPU works asynchronously: the call only queues the work and returns
#    before the product exists. `matmul_seconds` reads one number of the
#    result back to the host (`z[0, 0].numpy()`), which has to wait for the
#    product to finish.
#    </details>
# 4. An $n \times n$ matrix product needs $2n^3$ operations. If doubling $n$
#    makes the time grow by a factor of 8, what does that say about the
#    throughput? What does it mean when the time does *not* grow?
#    <details><summary>Answer</summary>
#
#    The work grows by $2^3 = 8$ too, so the throughput stays the same: the
#    device runs at its sustained speed. A time that does not grow means the
#    fixed overhead per operation dominates, and the hardware mostly waits.
#    </details>
# 5. Change `sizes` to go up to 2048 and run the timing cells again. Where does
#    your CPU's throughput level off? On a machine with a GPU, at which $n$ does
#    the GPU overtake the CPU?
#    <details><summary>Answer</summary>
#
#    It depends on the machine: that is the point of measuring. Typically
#    the CPU levels off from a few hundred on; a GPU, with its larger launch
#    overhead, overtakes it somewhere between $n = 128$ and $n = 512$.
#    </details>
# 6. A training loop prints `float(loss)` after every step. Why is that slow on
#    a GPU but not on the CPU? How does the loop in section 14.5 avoid it?
#    <details><summary>Answer</summary>
#
#    `float(loss)` needs the loss's value, so the host waits until the GPU has
#    run every queued kernel, and the GPU then waits for the host to queue the
#    next step: the two stop working side by side. On the CPU the value is
#    already there. The loop in 14.5 adds each loss to a tensor, which only
#    queues an addition, and reads the total once per epoch.
#    </details>
