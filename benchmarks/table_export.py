"""What the corpora's ``make_tables.py`` scripts share: where the tables go and how one is written.

Each script runs alone, in a venv holding the data packages (see its docstring), and imports this file from
its parent folder.
"""
import os
import sys

import numpy as np
import pandas as pd


def out_dir(script: str) -> str:
    """The folder to write into: the first argument, else ``tables/`` beside the script; created."""
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(script)), "tables")
    os.makedirs(out, exist_ok=True)
    return out


def saver(script: str):
    """``save(df, name)`` writing into :func:`out_dir` of ``script`` (what every make_tables.py calls)."""
    out = out_dir(script)
    return lambda df, name: save(df, name, out)


def save(df: pd.DataFrame, name: str, out: str) -> None:
    """Write one table as CSV without the index, and say its size."""
    path = os.path.join(out, name)
    df.to_csv(path, index=False)
    print(f"{name}: {df.shape[0]} rows x {df.shape[1]} cols, {os.path.getsize(path) / 1e6:.2f} MB")


def whole_floats_as_int(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns that only hold whole numbers (and gaps) are written as integers ("12", not "12.0")."""
    df = df.copy()
    for c in df.columns:
        if df[c].dtype == float and (df[c].dropna() % 1 == 0).all():
            df[c] = df[c].astype("Int64")
    return df


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns back to their plain values (the CSV holds the same text either way)."""
    df = df.copy()
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(df[c].cat.categories.dtype)
    return df


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values; float columns that hold only whole numbers (and gaps) as integers
    ("14", not "14.0"); float columns whose every value is a single-precision number read as a double
    (328.2959899902344) at single precision ("328.296"), which is the value as recorded."""
    df = whole_floats_as_int(plain(df))
    for c in df.columns:
        if df[c].dtype == float:
            v = df[c].dropna().to_numpy()
            if len(v) and np.allclose(v.astype(np.float32).astype(np.float64), v, rtol=1e-12, atol=0):
                df[c] = df[c].astype(np.float32)
    return df
