"""Callbacks: code that ``fit`` runs at the start and end of epochs and batches.

``fit`` always uses a :class:`History` and returns it: ``history.history``
maps each metric name ('loss', 'accuracy', 'val_loss', ...) to its list of
per-epoch values, ready to plot.

>>> import d2l_core as d2l
>>> h = d2l.keras.callbacks.History()
>>> h.on_train_begin()
>>> h.on_epoch_end(0, {'loss': 0.5})
>>> h.on_epoch_end(1, {'loss': 0.25})
>>> h.history, h.epoch
({'loss': [0.5, 0.25]}, [0, 1])
"""
import numpy as np

from .. import _logging

__all__ = ["Callback", "CallbackList", "History", "LambdaCallback", "EarlyStopping"]


class Callback:
    """Base class: override any of the ``on_...`` methods; ``self.model`` is the model.

    >>> class Printer(d2l.keras.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(f"epoch {epoch}: loss {logs['loss']:.2f}")
    >>> Printer().on_epoch_end(0, {'loss': 0.125})
    epoch 0: loss 0.12
    """

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        pass

    def on_train_batch_end(self, batch, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass


class CallbackList:
    """Several callbacks called in order (what ``fit`` uses internally)."""

    def __init__(self, callbacks=None, model=None, **params):
        self.callbacks = list(callbacks or [])
        for c in self.callbacks:
            if not isinstance(c, Callback):
                raise TypeError(f"callbacks: expected Callback objects, got "
                                f"{type(c).__name__}; subclass keras.callbacks.Callback or use "
                                "keras.callbacks.LambdaCallback(on_epoch_end=...)")
            if model is not None:
                c.set_model(model)
            c.set_params(params)
        # Only call the hooks someone overrides: batch hooks run every step.
        self._hooks = {}

    def _targets(self, hook):
        targets = self._hooks.get(hook)
        if targets is None:
            targets = self._hooks[hook] = [
                getattr(c, hook) for c in self.callbacks
                if getattr(type(c), hook, None) is not getattr(Callback, hook)
                or hook in vars(c)]
        return targets

    def call(self, hook, *args):
        for fn in self._targets(hook):
            fn(*args)

    def wants(self, hook):
        return bool(self._targets(hook))


class History(Callback):
    """Records the logs of every epoch: ``history.history['loss']`` is a list, one per epoch.

    ``fit`` returns its History; ``model.history`` is the same object.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self

    def __repr__(self):
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``.

    >>> seen = []
    >>> cb = d2l.keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
    >>> cb.on_epoch_end(3, {}); seen
    [3]
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_batch_begin=on_batch_begin, on_train_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        hooks.update(kwargs)        # TensorFlow's other hooks: on_train_batch_end=..., ...
        for name, fn in hooks.items():
            if fn is not None:
                if not hasattr(Callback, name):
                    raise TypeError(f"LambdaCallback: unknown hook {name!r}")
                setattr(self, name, fn)


class EarlyStopping(Callback):
    """Stop training when a monitored value ('val_loss' by default) stops improving.

    After ``patience`` epochs without an improvement of at least ``min_delta``
    it sets ``model.stop_training``; with ``restore_best_weights`` the best
    epoch's weights are put back.

    >>> es = d2l.keras.callbacks.EarlyStopping(monitor='loss', patience=1)
    >>> es.mode
    'min'
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if mode == "auto":
            mode = "max" if "acc" in monitor or monitor.endswith("auc") else "min"
        self.monitor, self.mode, self.patience = monitor, mode, int(patience)
        self.min_delta = abs(float(min_delta))
        self.verbose, self.baseline = verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.stopped_epoch = 0

    def _better(self, value, reference):
        if self.mode == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = self.baseline if self.baseline is not None else (
            np.inf if self.mode == "min" else -np.inf)
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            _logging.warning(f"EarlyStopping: the monitored metric {self.monitor!r} is not "
                             f"available; available metrics are {sorted(logs or {})}")
            return
        if epoch < self.start_from_epoch:
            return
        self.wait += 1
        if self._better(value, self.best):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
