#!/usr/bin/python3
"""Write a small table with every VOTable datatype, arrays and nulls with astropy,
once per serialization: OUTDIR/astropy_{tabledata,binary,binary2}.vot.

Usage: /usr/bin/python3 astropy_make.py OUTDIR [--no-bit-scalar]
(--no-bit-scalar leaves out the scalar bit column, which STILTS 3.4 cannot read.)
"""
import os
import sys
import warnings

import numpy as np
from astropy.io.votable.tree import Field, Resource, Table, VOTableFile

warnings.simplefilter("ignore")


def build(bit_scalar=True):
    vot = VOTableFile(version="1.4")
    res = Resource()
    vot.resources.append(res)
    t = Table(vot, name="astropy_all")
    res.tables.append(t)
    specs = [
        ("b", "boolean", None), ("ub", "unsignedByte", None), ("s", "short", None), ("i", "int", None),
        ("l", "long", None), ("f", "float", None), ("d", "double", None), ("cf", "floatComplex", None),
        ("dc", "doubleComplex", None), ("c", "char", "*"), ("c8", "char", "8"), ("u", "unicodeChar", "*"),
        ("iarr", "int", "3"), ("darr", "double", "*"), ("m2", "float", "2x3"), ("barr", "boolean", "2"),
        ("bits", "bit", "10"),
    ] + ([("bit", "bit", None)] if bit_scalar else [])
    for name, dt, size in specs:
        kw = {"arraysize": size} if size else {}
        f = Field(vot, name=name, ID=name, datatype=dt, **kw)
        if dt in ("unsignedByte", "short", "int", "long"):
            f.values.null = {"unsignedByte": 255, "short": -32768, "int": -2147483648, "long": -9223372036854775808}[dt]
        t.fields.append(f)
    n = 4
    t.create_arrays(n)
    a = t.array
    a["b"] = [True, False, True, False]
    a.mask["b"] = [False, False, True, False]
    a["ub"] = [0, 7, 254, 1]
    a["s"] = [-32767, 1, 32767, 5]
    a["i"] = [-2147483647, -1, 2147483647, 0]
    a["l"] = [-9223372036854775807, 10**12, 9223372036854775807, 3]
    for col in ("ub", "s", "i", "l"):
        a.mask[col] = [False, False, False, True]
    a["f"] = np.array([1.5, -0.1, np.inf, np.nan], dtype=np.float32)
    a["d"] = [np.pi, -1e-300, -np.inf, np.nan]
    a["cf"] = np.array([1 + 2j, -1.5 + 0j, 0j, 3 + 4j], dtype=np.complex64)
    a["dc"] = [1 + 2j, -1.5 + 1e10j, 0j, 3 + 4j]
    a["c"] = ["M31", "a < b & \"c\"", "", "Cafe"]
    a.mask["c"] = [False, False, True, False]
    a["c8"] = ["abc", "12345678", "x", "y"]
    a["u"] = ["\u03a9mega", "\u65e5\u672c", "plain", "z"]
    a["iarr"] = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -2, -3]]
    darr = np.empty(4, dtype=object)
    for k, v in enumerate([[1.5, 2.5], [3.5], [-1.0, 0.0, 1.0], [7.0]]):
        darr[k] = np.ma.array(v, mask=[False] * len(v))
    a["darr"] = darr
    m2 = np.arange(24, dtype=np.float32).reshape(4, 3, 2) * 0.5
    a["m2"] = m2
    a["barr"] = [[True, False], [False, True], [True, True], [False, False]]
    a["bits"] = [[i % 3 == 0 for i in range(r * 10, r * 10 + 10)] for r in range(4)]
    if bit_scalar:
        a["bit"] = [True, False, True, True]
    return vot


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    vot = build(bit_scalar="--no-bit-scalar" not in sys.argv[2:])
    for fmt in ("tabledata", "binary", "binary2"):
        vot.to_xml(os.path.join(out, f"astropy_{fmt}.vot"), tabledata_format=fmt)


if __name__ == "__main__":
    main()
