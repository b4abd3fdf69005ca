#!/usr/bin/python3
"""Print the cells of every column of the first table of a VOTable, as astropy reads them, as JSON.

Usage: /usr/bin/python3 astropy_dump.py FILE
Output: {"columns": [{"name": ..., "datatype": ..., "arraysize": ..., "cells": [...]}]}
Masked cells are null; arrays are lists (first VOTable index fastest); complex
numbers are [re, im]; non-finite floats are the strings "NaN", "Inf", "-Inf".
"""
import json
import math
import sys
import warnings

import numpy as np
from astropy.io.votable import parse

warnings.simplefilter("ignore")


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return x


def cell(v):
    if v is None or v is np.ma.masked:
        return None
    if isinstance(v, np.ma.MaskedArray):
        data = np.asarray(v.data)
        mask = np.ma.getmaskarray(v)
        if data.dtype.kind in "SU" and data.ndim == 0:
            return None if mask.all() else cell(data.item())
        return [None if m else cell(x) for x, m in zip(data.ravel(), mask.ravel())]
    if isinstance(v, np.ndarray):
        return [cell(x) for x in v.ravel()]
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8", "replace")
    if isinstance(v, (str, np.str_)):
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (complex, np.complexfloating)):
        return [num(v.real), num(v.imag)]
    if isinstance(v, (float, np.floating)):
        return num(v)
    return str(v)


def main():
    table = parse(sys.argv[1], verify="ignore").get_first_table()
    arr = table.array
    out = []
    for field in table.fields:
        name = field.ID if field.ID in arr.dtype.names else field.name
        col = arr[name]
        out.append({
            "name": field.name,
            "datatype": field.datatype,
            "arraysize": field.arraysize,
            "cells": [cell(col[i]) for i in range(len(arr))],
        })
    json.dump({"columns": out}, sys.stdout)


if __name__ == "__main__":
    main()
