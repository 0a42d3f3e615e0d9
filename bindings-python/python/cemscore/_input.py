"""What every call reads, as the core reads it: answers and weights as numpy arrays (read in place wherever
the libraries allow), a DataFrame's columns, segment keys as codes and names, dates as day numbers or ISO
texts, and keyword options as the one dict the core reads strictly (``None``: the core's default).
Conversions only; every rule about the values is the core's. The ground of the package: it imports no
other module of it but the compiled one.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from . import _cemscore

__all__ = ["given", "as_array", "as_weights", "column", "segment_codes", "as_dates", "listed"]


def given(**options: Any) -> Dict[str, Any]:
    """The options given (``None`` means the core's default)."""
    return {k: v for k, v in options.items() if v is not None}


def as_array(values: Any) -> np.ndarray:
    """A 1-d numpy array viewing ``values`` (numpy, pandas, polars, pyarrow, lists, ranges), by one rule:

    - integer and float dtypes are read in place (float16 is widened to float32, exactly);
    - text and object values (a CSV read as text, a pandas string column, a list holding None) are read
      one by one by the core's rule for text (``cem_core::answer_from_text``): the text trimmed, blank or
      None or NaN is missing, otherwise it must be a number (``"9"`` reads as 9), else ``CemError``
      ``not_a_number`` with ``.index`` and ``.value`` (the text);
    - any other dtype (bool, datetime64, …) is ``CemError`` ``unsupported_answers`` naming the dtype.
    """
    arr: np.ndarray  # what the libraries' (untyped here) to_numpy returns
    module = type(values).__module__.split(".")[0]
    if isinstance(values, np.ndarray):
        arr = values
    elif module in ("pandas", "polars"):
        arr = values.to_numpy()  # polars: a view when there are no nulls; nulls become NaN
    elif module == "pyarrow":
        arr = values.to_numpy(zero_copy_only=False)
    elif isinstance(values, range):
        return np.arange(values.start, values.stop, values.step)
    else:
        arr = np.asarray(values)
    if arr.dtype == np.float16:
        return arr.astype(np.float32)
    if arr.dtype.kind in "OUS":
        na = _pd_na() if module == "pandas" or arr.dtype.kind == "O" and _pandas_loaded() else None
        items = [None if v is na else v for v in arr.tolist()]
        return np.asarray(_cemscore.read_answers(items), dtype=np.float64)
    return arr


def column(df: Any, option: str, name: Any) -> Any:
    """The column ``name`` of a pandas or polars DataFrame, or the core's ``CemError`` naming the option,
    the column asked for and the columns there are."""
    columns = list(df.columns)
    if name not in columns:
        _cemscore.find_column(option, str(name), [str(c) for c in columns])
    return df[name]


def _pandas_loaded() -> bool:
    import sys

    return "pandas" in sys.modules


def _pd_na() -> Any:
    import pandas as pd

    return pd.NA


def as_weights(weights: Any) -> Optional[np.ndarray]:
    if weights is None:
        return None
    return np.ascontiguousarray(as_array(weights), dtype=np.float64)


def segment_codes(segments: Any) -> Tuple[np.ndarray, Optional[List[str]]]:
    """Integer codes and names for a segment column, reading categoricals' codes in place. Names are
    None for integer keys: the core names those by their decimal form (``SegmentTally::update_numbered``)."""
    module = type(segments).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd

        if isinstance(segments.dtype, pd.CategoricalDtype):
            return segments.cat.codes.to_numpy(), [str(c) for c in segments.cat.categories]
        codes, uniques = pd.factorize(segments, sort=True)
        return codes, [str(u) for u in uniques]
    if module == "polars":
        import polars as pl

        if isinstance(segments.dtype, pl.Enum):  # codes read in place
            return segments.to_physical().to_numpy(), [str(c) for c in segments.dtype.categories.to_list()]
        keys = segments.cast(pl.String)
        enum = pl.Enum(keys.unique().drop_nulls().sort())
        # A null key becomes code -1, a missing key, which the core refuses naming its row.
        codes = keys.cast(enum).to_physical().cast(pl.Int64).fill_null(-1)
        return codes.to_numpy(), [str(c) for c in enum.categories.to_list()]
    arr = segments if isinstance(segments, np.ndarray) else np.asarray(
        segments.to_numpy(zero_copy_only=False) if module == "pyarrow" else list(segments), dtype=object
    )
    if arr.dtype == object and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in arr):
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        return arr, None
    # None and NaN are missing keys: code -1, which the core refuses naming the row. Only float and
    # object arrays can hold them, so string arrays skip the per-element scan.
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype == object:
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in arr.tolist()], dtype=bool)
    else:
        missing = np.zeros(arr.shape[0], dtype=bool)
    codes = np.full(arr.shape[0], -1, dtype=np.int64)
    uniques, present = np.unique(arr[~missing].astype(str), return_inverse=True)
    codes[~missing] = present.reshape(-1)
    return codes, [str(u) for u in uniques]


def as_dates(dates: Any) -> Union[np.ndarray, List[Optional[str]]]:
    """Dates as the core reads them: int64 day numbers since 1970-01-01 (NaT as numpy's NaT) from any
    date or datetime column — a date-time counts on its own calendar date (a time-zone-aware pandas
    column in its own zone) — or numbers as day numbers; for text, the ISO strings themselves (None
    for missing), which the core parses."""
    module = type(dates).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(dates.dtype, pl.Datetime):
            dates = dates.dt.date()
        if dates.dtype == pl.Date:
            days: np.ndarray = dates.cast(pl.Int64).fill_null(np.iinfo(np.int64).min).to_numpy()
            return days
        texts: List[Optional[str]] = dates.cast(pl.String).to_list()
        return texts
    if module == "pandas":
        import pandas as pd

        if isinstance(dates.dtype, pd.DatetimeTZDtype):
            dates = dates.dt.tz_localize(None)
        dates = dates.to_numpy()
    elif module == "pyarrow":
        dates = dates.to_numpy(zero_copy_only=False)
    arr = dates if isinstance(dates, np.ndarray) else np.asarray(list(dates), dtype=object)
    if arr.dtype.kind == "M":
        return np.ascontiguousarray(arr.astype("datetime64[D]", copy=False).view(np.int64))
    if arr.dtype.kind in "iu":  # day numbers since 1970-01-01
        return np.ascontiguousarray(arr, dtype=np.int64)
    if arr.dtype.kind == "f":  # day numbers with NaN for missing; the core refuses fractions
        return np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype == object and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in arr.tolist()):
        return np.asarray(arr.tolist(), dtype=np.float64)
    if arr.dtype == object and len(arr) and not isinstance(arr[0], str) and hasattr(arr[0], "isoformat"):
        # date and datetime objects: their calendar dates
        return np.asarray([np.datetime64(getattr(v, "date", lambda v=v: v)(), "D") if v is not None else
                           np.datetime64("NaT") for v in arr], dtype="datetime64[D]").view(np.int64)
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in arr.tolist()]


def listed(options: Dict[str, Any]) -> Dict[str, Any]:
    """The options with a benchmark's ``order`` (any sequence) as a list, as the core reads it."""
    if options.get("order") is not None:
        options["order"] = list(options["order"])
    return options
