"""What every peers script shares: the median of repeated timings, and the machine a run was on."""

import os
import platform
import statistics
import time


def timed(f, reps=5):
    """The median wall time of `reps` calls of `f`, and the last call's result."""
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def machine(*modules):
    """CPU model, cores, Python, and the version of each module given (e.g. numpy, pandas)."""
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    versions = "".join(f", {m.__name__} {m.__version__}" for m in modules)
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}{versions}"
