"""tf.config's logical (virtual) devices on a CPU, as TensorFlow 2.21 answers on a CPU-only
machine (random_numbers guide: three virtual CPUs for a distribution strategy)."""
import pytest

import d2l_core as d2l

config = d2l.config


@pytest.fixture
def cpu():
    device = config.list_physical_devices("CPU")[0]
    yield device
    config.set_logical_device_configuration(device, None)


def test_splitting_the_cpu_lists_one_logical_cpu_per_part(cpu):
    assert config.get_logical_device_configuration(cpu) is None
    config.experimental.set_virtual_device_configuration(
        cpu, [config.experimental.VirtualDeviceConfiguration()] * 3)
    names = [d.name for d in config.list_logical_devices("CPU")]
    assert [n.rsplit("/", 1)[1] for n in names] == ["device:CPU:0", "device:CPU:1",
                                                     "device:CPU:2"]
    assert config.get_logical_device_configuration(cpu) == \
        [config.LogicalDeviceConfiguration()] * 3
    with d2l.device("/cpu:2"):                  # accepted; runs on the one CPU
        assert float(d2l.reduce_sum(d2l.ones(2))) == 2.0


def test_configuration_names_and_defaults_match_tensorflow(cpu):
    assert config.experimental.VirtualDeviceConfiguration is config.LogicalDeviceConfiguration
    assert repr(config.LogicalDeviceConfiguration(memory_limit=1024)) == (
        "LogicalDeviceConfiguration(memory_limit=1024, experimental_priority=None, "
        "experimental_device_ordinal=None)")


def test_a_memory_limit_on_a_cpu_is_a_value_error(cpu):
    with pytest.raises(ValueError, match="memory limit on CPU virtual devices"):
        config.set_logical_device_configuration(
            cpu, [config.LogicalDeviceConfiguration(memory_limit=10)])
    assert len(config.list_logical_devices("CPU")) == 1
