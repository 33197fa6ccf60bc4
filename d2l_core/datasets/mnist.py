"""MNIST handwritten digits, served the way ``tf.keras.datasets.mnist`` serves them.

``load_data()`` returns ``((x_train, y_train), (x_test, y_test))``: uint8
images of shape (n, 28, 28) with values 0..255 and uint8 labels 0..9.

Where the digits come from, in order:

1. The four original files (IDX format, see :mod:`d2l_core.datasets.idx`),
   gzipped or not, in the cache folder: ``$D2L_DATA_DIR/mnist`` when that
   environment variable is set, otherwise ``~/.d2l_data/mnist``.
2. Missing files are downloaded once (about 11 MB) from public mirrors and
   checked against their known SHA-256 before they are kept.
3. With no network and no complete cache, a 5,000-digit subset that ships
   with d2l_core is returned, and a :class:`SubsetWarning` says so.
   Set ``D2L_OFFLINE=1`` to go straight to the subset without trying.

A damaged, incomplete or unexpected file is never used: it raises a
``ValueError`` (:class:`~d2l_core.datasets.idx.IDXError` or
:class:`ChecksumError`) that names the file and says what to do.

>>> from d2l_core.datasets import mnist
>>> (x_train, y_train), (x_test, y_test) = mnist.load_subset()  # works offline
>>> x_train.shape, x_train.dtype, y_train[:5]
((4000, 28, 28), dtype('uint8'), array([7, 4, 2, 0, 9], dtype=uint8))
"""

import hashlib
import http.client
import io
import json
import os
import tempfile
import urllib.request
import warnings
from pathlib import Path

import numpy as np

from .idx import IDXError, read_idx

__all__ = ["load_data", "load_subset", "download", "cache_dir",
           "ChecksumError", "DownloadError", "SubsetWarning", "IDXError"]

# The four files, by what they hold. Their magic numbers: 0x803 = uint8 with
# 3 dimensions (images), 0x801 = uint8 with 1 dimension (labels).
FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801

# Mirrors of the original files (yann.lecun.com itself is often unreachable).
# The first is the one TensorFlow uses, the second the one PyTorch uses.
MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)

# SHA-256 of the gzipped files, as published by TensorFlow Datasets, PyTorch
# and others. A download (or cached .gz) with any other hash is refused.
SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# Seconds to wait for a mirror to connect or send the next bytes. Short, so a
# machine without network falls back to the subset quickly.
TIMEOUT = 10

# The bundled subset and its metadata (SHA-256, provenance): see data/README.md.
SUBSET_PATH = Path(__file__).with_name("mnist_subset.npz")
SUBSET_META_PATH = Path(__file__).with_name("mnist_subset.json")

# Everything that talks to the network goes through this one name, so tests
# (and learners curious about what happens offline) can replace it.
_urlopen = urllib.request.urlopen

_DELETE_HINT = "delete it and call load_data() again to re-download it"


class ChecksumError(ValueError):
    """A file's SHA-256 is not the one expected: it is damaged or not the original.

    ``path`` names the file (or the URL of a refused download).
    """

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path


class DownloadError(OSError):
    """No mirror could be reached (offline, blocked, or every mirror failed)."""


class SubsetWarning(UserWarning):
    """load_data() returned the bundled subset instead of the full MNIST."""


def cache_dir():
    """The folder load_data() keeps MNIST in: ``$D2L_DATA_DIR/mnist`` or ``~/.d2l_data/mnist``.

    >>> cache_dir().name
    'mnist'
    """
    root = os.environ.get("D2L_DATA_DIR")
    base = Path(root).expanduser() if root else Path.home() / ".d2l_data"
    return base / "mnist"


def load_data(path=None):
    """Load MNIST as ``((x_train, y_train), (x_test, y_test))``, like Keras.

    ``x_*`` are uint8 arrays of shape (n, 28, 28) with values 0..255, ``y_*``
    uint8 arrays of shape (n,) with labels 0..9: 60,000 training and 10,000
    test digits.

    ``path`` is the folder holding the four IDX files (``.gz`` or raw); by
    default :func:`cache_dir`. (Keras's ``path="mnist.npz"``, the name of its
    own cache file, is accepted and means the default.) Missing files are downloaded there and checked
    against known SHA-256 hashes. Without network (or with ``D2L_OFFLINE=1``)
    and without a complete cache, it returns the bundled subset of 4,000
    training and 1,000 test digits and issues a :class:`SubsetWarning` saying
    so. A damaged file raises a ``ValueError`` that names it.

    The first call downloads about 11 MB, so this example is not run here:

    >>> from d2l_core.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape, x_test.shape, y_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,))

    Offline you get the same kinds of arrays, only fewer of them
    (:func:`load_subset` returns them directly):

    >>> (x_train, y_train), (x_test, y_test) = mnist.load_subset()
    >>> x_train.shape, y_train.shape, x_test.shape, y_test.shape
    ((4000, 28, 28), (4000,), (1000, 28, 28), (1000,))
    >>> x_train.dtype, int(x_train.max()), sorted(set(y_test.tolist()))
    (dtype('uint8'), 255, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    if path is not None and str(path).endswith(".npz"):
        # Keras's load_data(path="mnist.npz") names its cache file; d2l_core
        # caches the four original files instead, so such a name changes nothing.
        path = None
    folder = Path(path).expanduser() if path is not None else cache_dir()
    if folder.is_file():
        raise ValueError(f"load_data(path={str(path)!r}): path should be a folder holding the "
                         "four MNIST IDX files, not a file")

    arrays, paths = {}, {}
    for key, name in FILES.items():
        paths[key] = _find(folder, name)
        if paths[key] is None:
            try:
                paths[key] = _download_file(name + ".gz", folder, force=False)
            except DownloadError as e:
                # No network: stop at the first missing file, so offline
                # machines fall back quickly instead of trying every file.
                return _fallback(folder, reason=e)
        magic = IMAGES_MAGIC if key.startswith("x") else LABELS_MAGIC
        arrays[key] = _read(paths[key], magic)

    for split in ("train", "test"):
        x, y = "x_" + split, "y_" + split
        _check_pair(arrays[x], arrays[y], paths[x], paths[y])
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_subset():
    """Return the bundled subset: 4,000 training and 1,000 test digits.

    They are real MNIST digits, 400 training and 100 test digits of each
    class (provenance, license and split: ``data/README.md``). The file's
    SHA-256 is checked before it is used.

    >>> (x_train, y_train), (x_test, y_test) = load_subset()
    >>> x_test.shape, [int(n) for n in np.bincount(y_test)]
    ((1000, 28, 28), [100, 100, 100, 100, 100, 100, 100, 100, 100, 100])
    """
    raw = SUBSET_PATH.read_bytes()
    expected = json.loads(SUBSET_META_PATH.read_text())["sha256"]
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        raise ChecksumError(f"{SUBSET_PATH}: SHA-256 is {actual}, expected {expected}; the "
                            "bundled MNIST subset is damaged: reinstall d2l_core", str(SUBSET_PATH))
    # Load from the bytes just checked, not by opening the file a second time.
    with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
        return ((npz["x_train"], npz["y_train"]), (npz["x_test"], npz["y_test"]))


def download(path=None, force=False):
    """Download the four MNIST ``.gz`` files into ``path`` (default :func:`cache_dir`).

    Files already there are kept unless ``force=True``. Each download goes to
    a temporary file in the same folder, and replaces the real name only once
    its SHA-256 matches, so an interrupted or wrong download never takes the
    place of a good file. Returns the four paths. Raises :class:`DownloadError`
    when no mirror can be reached and :class:`ChecksumError` when the mirrors
    send something else than MNIST.

    >>> paths = download()  # doctest: +SKIP
    >>> sorted(p.name for p in paths)  # doctest: +SKIP
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']
    """
    folder = Path(path).expanduser() if path is not None else cache_dir()
    return [_download_file(name + ".gz", folder, force=force) for name in FILES.values()]


# --- helpers ---------------------------------------------------------------

def _find(folder, name):
    """The cached copy of one file: ``name.gz`` if present (it can be checked
    against its SHA-256), else the uncompressed ``name``, else None."""
    for candidate in (folder / (name + ".gz"), folder / name):
        if candidate.is_file():
            return candidate
    return None


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read(path, magic):
    """Verify (for .gz files) and parse one cached file, with advice on failure."""
    expected = SHA256.get(path.name)
    if expected is not None:
        actual = _sha256(path)
        if actual != expected:
            raise ChecksumError(
                f"{path}: SHA-256 is {actual}, expected {expected}. The file is damaged, "
                f"incomplete or not the original MNIST file; {_DELETE_HINT}. (If you made it "
                f"yourself, store it uncompressed as {path.stem} instead.)", str(path))
    try:
        return read_idx(path, expected_magic=magic)
    except IDXError as e:
        raise IDXError(f"{e}; {_DELETE_HINT}", e.path) from None


def _check_pair(images, labels, images_path, labels_path):
    """Images and labels must belong together: same count, 28x28, digits 0..9."""
    if images.shape[1:] != (28, 28):
        raise IDXError(f"{images_path}: images are {images.shape[1]}x{images.shape[2]}, "
                       f"MNIST's are 28x28; {_DELETE_HINT}", str(images_path))
    if len(images) != len(labels):
        raise IDXError(f"{images_path} holds {len(images):,} images but {labels_path} holds "
                       f"{len(labels):,} labels; they must match. Delete both files and call "
                       "load_data() again to re-download them", str(images_path))
    if labels.size and labels.max() > 9:
        raise IDXError(f"{labels_path}: label {labels.max()} is not a digit 0..9; "
                       f"{_DELETE_HINT}", str(labels_path))


def _offline_requested():
    return os.environ.get("D2L_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def _download_file(filename, folder, force):
    """Make sure ``folder/filename`` is a verified copy, trying each mirror."""
    target = folder / filename
    if target.is_file() and not force:
        return target
    if _offline_requested():
        raise DownloadError("D2L_OFFLINE is set")

    problems, mismatches = [], []
    for mirror in MIRRORS:
        url = mirror + filename
        try:
            return _fetch_verified(url, target, SHA256[filename])
        except ChecksumError as e:
            mismatches.append(e)  # this mirror sent the wrong bytes: try the next
        except (OSError, ValueError, http.client.HTTPException) as e:
            # URLError, HTTPError, timeouts and refused connections are
            # OSErrors; a connection dropped mid-file raises IncompleteRead
            # (an HTTPException); a malformed reply can raise ValueError.
            problems.append(e)
    if mismatches:
        raise mismatches[0]
    error = DownloadError(f"could not download {filename} from any of {len(MIRRORS)} "
                          f"mirrors; last error: {problems[-1]}")
    error.problems = problems
    raise error


def _fetch_verified(url, target, expected_sha256):
    """Stream ``url`` into a temporary file next to ``target``; keep it only if the hash matches."""
    with _urlopen(url, timeout=TIMEOUT) as response:
        # Connected, so now make the cache folder (on demand: offline machines
        # get no empty folder) and a temporary file in it. Same folder, so
        # os.replace() below is a rename: atomic, never a half-written target.
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            headers = getattr(response, "headers", None)
            length = headers.get("Content-Length") if headers is not None else None
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, _progress_bar(int(length) if length else None,
                                                           target.name) as bar:
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    out.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
            actual = digest.hexdigest()
            if actual != expected_sha256:
                raise ChecksumError(f"{url}: the download's SHA-256 is {actual}, expected "
                                    f"{expected_sha256}; it was deleted and not used. Try again "
                                    f"later, or copy the original file into {target.parent}", url)
            os.replace(tmp, target)
            tmp = None
            return target
        finally:
            if tmp is not None:  # anything went wrong: leave no partial file behind
                try:
                    os.remove(tmp)
                except FileNotFoundError:
                    pass


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _progress_bar(total, name):
    """A tqdm progress bar when tqdm is installed (it is a d2l_core dependency)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=f"Downloading {name}", unit="B", unit_scale=True,
                unit_divisor=1024, leave=False)


def _fallback(folder, reason):
    """Return the bundled subset and say so, once, as a SubsetWarning."""
    (x_train, y_train), (x_test, y_test) = subset = load_subset()
    total = len(x_train) + len(x_test)
    warnings.warn(
        f"MNIST: offline and no complete cached copy in {folder} ({reason}); returning the "
        f"bundled {total:,}-digit subset ({len(x_train):,} train / {len(x_test):,} test). "
        "Connect to the internet and call load_data() again for all 70,000 digits.",
        SubsetWarning, stacklevel=3)
    return subset
