"""Charts where people look: a benchmark's intervals against their references, the key drivers' quadrant
map and a trend's series — each drawn to a PNG with matplotlib's Agg backend and read back from the axes."""

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cemscore

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def saved(ax, path):
    ax.figure.savefig(path)
    assert path.stat().st_size > 1000
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def benchmark_table():
    """North clearly above the rest, South clearly below, East not significantly different, Tiny with too few
    answers to test."""
    segments = ["North"] * 200 + ["South"] * 200 + ["East"] * 200 + ["Tiny"] * 5
    answers = [10, 9, 9, 8] * 50 + [2, 6, 9, 5] * 50 + [10, 9, 7, 3] * 50 + [10] * 5
    return cemscore.benchmark(segments=segments, answers=answers)


def test_benchmark_plot_draws_each_interval_against_its_reference(tmp_path):
    table = benchmark_table()
    rows = table.to_dicts()
    assert [(r["key"], r["significant"], r["side"], r["low_n"]) for r in rows] == [
        ("East", False, "above", False), ("North", True, "above", False), ("South", True, "below", False),
        ("Tiny", False, "above", True)]
    ax = table.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["East", "North", "South", "Tiny"]
    assert len(ax.containers) == 4  # one interval per segment
    for container, r in zip(ax.containers, rows):
        (segment,) = container.lines[2][0].get_segments()
        assert segment[:, 0].tolist() == pytest.approx([r["lower"], r["upper"]])
        assert container.lines[0].get_xdata()[0] == pytest.approx(r["value"])
    references = [line for line in ax.lines if line.get_label() == "_reference"]
    assert [line.get_xdata()[0] for line in references] == pytest.approx([r["reference_value"] for r in rows])
    assert [t.get_text() for t in ax.texts] == ["▲", "▼"]  # North above, South below; East and Tiny unmarked
    colours = [container.lines[0].get_color() for container in ax.containers]
    assert colours[1] == "tab:green" and colours[2] == "tab:red" and colours[0] == colours[3] == "tab:gray"
    assert ax.containers[3].lines[0].get_alpha() == 0.4  # low n faded
    saved(ax, tmp_path / "benchmark.png")


def test_benchmark_plot_leaves_out_a_segment_without_answers(tmp_path):
    s = cemscore.SegmentTally.from_counts({"a": [0] * 10 + [30], "b": [30] + [0] * 10, "c": [0] * 11}, scale=(0, 10))
    ax = cemscore.benchmark(segments=s).plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"] and len(ax.containers) == 2
    saved(ax, tmp_path / "empty.png")


def drivers_data(n=300, seed=11):
    rng = np.random.default_rng(seed)
    ease, speed, price, agent = (np.clip(np.round(m + rng.normal(0, 1, n)), 1, 5) for m in (2.5, 4.2, 2.3, 4.4))
    nps = np.clip(np.round(1 + 1.3 * ease + 1.1 * speed + 0.1 * price + 0.1 * agent + rng.normal(0, 1.2, n)), 0, 10)
    return {"nps": nps, "ease": ease, "speed": speed, "price": price, "agent": agent}


def points(ax):
    return sorted(tuple(p) for c in ax.collections for p in np.asarray(c.get_offsets()).tolist())


def test_quadrant_map_places_each_driver_at_its_performance_and_importance(tmp_path):
    table = cemscore.drivers(pd.DataFrame(drivers_data()), "nps", ["ease", "speed", "price", "agent"])
    assert table["quadrant"].to_dict() == {"ease": "fix_first", "speed": "keep", "price": "low_priority",
                                           "agent": "overkill"}
    ax = cemscore.quadrant_map(table)
    assert points(ax) == sorted(zip(table["mean"], table["importance"]))
    assert sorted(t.get_text() for t in ax.texts) == ["agent", "ease", "price", "speed"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fix_first", "keep", "low_priority", "overkill"]
    splits = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert splits[0].get_xdata()[0] == pytest.approx(table.attrs["performance_split"])
    assert splits[1].get_ydata()[0] == pytest.approx(table.attrs["importance_split"])
    assert ax.get_title() == "Key drivers of nps"
    saved(ax, tmp_path / "quadrants.png")


def test_quadrant_map_reads_every_form_drivers_returns(tmp_path):
    data = drivers_data()
    frame = cemscore.drivers(pd.DataFrame(data), "nps", ["ease", "speed"])
    expected = points(cemscore.quadrant_map(frame))
    assert points(cemscore.quadrant_map(cemscore.drivers(pl.DataFrame(data), "nps", ["ease", "speed"]))) == expected
    result = cemscore.drivers(data, "nps", ["ease", "speed"])
    assert points(cemscore.quadrant_map(result)) == expected
    per = cemscore.drivers({**data, "region": np.array(["n", "s"] * 150)}, "nps", ["ease", "speed"], segment="region")
    saved(cemscore.quadrant_map(per[0]["analysis"]), tmp_path / "north.png")
    with pytest.raises(TypeError, match="one driver analysis"):
        cemscore.quadrant_map(cemscore.drivers(pd.DataFrame(data).assign(region=["n", "s"] * 150), "nps",
                                               ["ease", "speed"], segment="region"))
