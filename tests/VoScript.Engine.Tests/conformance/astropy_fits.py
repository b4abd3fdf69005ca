"""FITS conformance helper for the engine tests (run with /usr/bin/python3, astropy installed).

  astropy_fits.py make DIR   writes DIR/all.fits (every BINTABLE type astropy writes: nulls by TNULL,
                             unsigned 16/32/64-bit by TZERO, TDIM arrays, variable-length arrays, bits)
                             and DIR/big-unsigned.fits (uint64 values above 2**63-1)
  astropy_fits.py dump FILE  prints the first table of FILE as JSON: columns with name, unit and
                             cells (null for masked/NaN/empty, lists for arrays)
"""
import json
import math
import sys

import numpy as np
from astropy.io import fits
from astropy.table import Table


def make(d):
    import os
    os.makedirs(d, exist_ok=True)
    n = 5
    cols = [
        fits.Column(name="flag", format="L", array=np.array([True, False, True, False, True])),
        fits.Column(name="u8", format="B", array=np.array([0, 1, 200, 255, 7], dtype=np.uint8)),
        fits.Column(name="i8", format="B", array=np.array([-128, -1, 0, 1, 127], dtype=np.int8)),
        fits.Column(name="i16", format="I", null=-999, array=np.array([-32768, -999, 0, 5, 32767], dtype=np.int16)),
        fits.Column(name="u16", format="I", bzero=32768, array=np.array([0, 1, 40000, 65535, 7], dtype=np.uint16)),
        fits.Column(name="i32", format="J", unit="count", null=-1, array=np.array([-2147483648, -1, 0, 5, 2147483647], dtype=np.int32)),
        fits.Column(name="u32", format="J", bzero=2147483648, array=np.array([0, 1, 3000000000, 4294967295, 9], dtype=np.uint32)),
        fits.Column(name="i64", format="K", null=0, array=np.array([-9223372036854775807, 0, 1, 2, 9223372036854775807], dtype=np.int64)),
        fits.Column(name="u64", format="K", bzero=9223372036854775808, array=np.array([0, 1, 2**62, 2**63 - 1, 12], dtype=np.uint64)),
        fits.Column(name="f32", format="E", unit="mag", array=np.array([1.5, np.nan, -0.1, 3e38, 0], dtype=np.float32)),
        fits.Column(name="f64", format="D", unit="deg", array=np.array([150.25, np.nan, -1e-300, 1e300, 2.0 / 3])),
        fits.Column(name="c64", format="C", array=np.array([1 + 2j, 0, -1.5j, 3, 4 + 4j], dtype=np.complex64)),
        fits.Column(name="c128", format="M", array=np.array([1 + 2j, 0, -1.5j, 3, 1e-300 + 4j], dtype=np.complex128)),
        fits.Column(name="name", format="8A", array=np.array(["alpha", "", "gamma ray", "d'x", "e"])),
        fits.Column(name="vec", format="3E", array=np.arange(15, dtype=np.float32).reshape(5, 3)),
        fits.Column(name="mat", format="6J", dim="(3,2)", array=np.arange(30, dtype=np.int32).reshape(5, 2, 3)),
        fits.Column(name="bits", format="11X", array=np.array([[i % 2 == 0 for i in range(11)], [True] * 11, [False] * 11,
                                                               [i < 3 for i in range(11)], [i == 10 for i in range(11)]])),
        fits.Column(name="vard", format="PD()", array=np.array([np.array([1.0, 2.0]), np.array([]), np.array([3.5]),
                                                                np.array([4.0, 5.0, 6.0]), np.array([-1.0])], dtype=object)),
        fits.Column(name="varj", format="QJ()", array=np.array([np.array([1, 2, 3], dtype=np.int32), np.array([7], dtype=np.int32),
                                                                np.array([], dtype=np.int32), np.array([2**31 - 1], dtype=np.int32),
                                                                np.array([0, 0], dtype=np.int32)], dtype=object)),
        fits.Column(name="vars", format="PA()", array=np.array(["short", "a longer string", "", "x", "end"], dtype=object)),
    ]
    h = fits.BinTableHDU.from_columns(cols, name="ALLTYPES")
    assert h.data.shape[0] == n
    fits.HDUList([fits.PrimaryHDU(), h]).writeto(f"{d}/all.fits", overwrite=True)
    big = fits.Column(name="big", format="K", bzero=9223372036854775808,
                      array=np.array([0, 2**63, 2**64 - 1], dtype=np.uint64))
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns([big])]).writeto(f"{d}/big-unsigned.fits", overwrite=True)
    img = fits.PrimaryHDU(np.zeros((4, 3), dtype=np.float32))
    img.writeto(f"{d}/image.fits", overwrite=True)


def cell(v):
    if v is None or v is np.ma.masked:
        return None
    if isinstance(v, np.ma.MaskedArray):
        v = v.filled(np.nan) if v.dtype.kind in "fc" else v.data
    if isinstance(v, (bytes, np.bytes_)):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str):
        return v.rstrip() or None
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "US":
            return [cell(x) for x in v.ravel(order="C")]
        flat = [scalar(x) for x in v.ravel(order="C")]
        return flat or None
    return scalar(v)


def scalar(x):
    if isinstance(x, (np.complexfloating, complex)):
        return [scalar(x.real), scalar(x.imag)]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    f = float(x)
    if math.isnan(f):
        return None
    if math.isinf(f):
        return "Inf" if f > 0 else "-Inf"
    return f


def dump(path):
    t = Table.read(path, hdu=1)
    with fits.open(path) as hdul:
        formats = {c.name: str(c.format) for c in hdul[1].columns}
    out = []
    for name in t.colnames:
        c = t[name]
        var_text = formats.get(name, "")[:2] in ("PA", "QA") or formats.get(name, "")[:3] in ("1PA", "1QA")
        cells = []
        for i in range(len(t)):
            v = c[i]
            if hasattr(c, "mask") and np.ndim(c.mask) == 1 and c.mask[i]:
                cells.append(None)
                continue
            if var_text:
                a = np.asarray(v).view(np.ndarray)
                raw = a.tobytes().decode("utf-32-le" if a.dtype.kind == "U" else "utf-8", "replace")
                s = raw.rstrip(" \0")
                cells.append(s or None)
                continue
            cells.append(cell(v))
        out.append({"name": name, "unit": str(c.unit) if c.unit is not None else None, "dtype": str(c.dtype), "cells": cells})
    json.dump({"rows": len(t), "columns": out}, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        dump(sys.argv[2])
