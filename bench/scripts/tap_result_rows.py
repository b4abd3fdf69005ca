#!/usr/bin/python3
"""Check a saved TAP sync response and print what serve-compare.sh compares.

Usage: /usr/bin/python3 tap_result_rows.py FILE KEYCOL[,KEYCOL...]
       /usr/bin/python3 tap_result_rows.py FILE =COLUMN    (one-row results such as COUNT(*))

FILE must be a VOTable whose QUERY_STATUS is OK and that has no OVERFLOW INFO (a cut
result would make the comparison meaningless). Prints one line:
    ROWS SHA1 SERIALIZATION
where SHA1 is a digest of the sorted key tuples (so two servers that return the same rows
in any order print the same line); with =COLUMN, ROWS is the value of COLUMN in the only row. Exits 1 with a message on any problem.
"""
import hashlib, re, sys, warnings

warnings.simplefilter("ignore")
from astropy.io.votable import parse  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, keys = sys.argv[1], sys.argv[2].lstrip("=").split(",")
    value_of = sys.argv[2].startswith("=")
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    statuses = re.findall(rb'name="QUERY_STATUS"\s+value="([A-Z]+)"', head)
    with open(path, "rb") as f:
        f.seek(max(0, f.seek(0, 2) - 4096))
        statuses += re.findall(rb'name="QUERY_STATUS"\s+value="([A-Z]+)"', f.read())
    if not statuses:
        sys.exit(f"{path}: no QUERY_STATUS INFO: {head[:300]!r}")
    if b"ERROR" in statuses:
        m = re.search(rb'value="ERROR"[^>]*>([^<]*)<', head)
        sys.exit(f"{path}: QUERY_STATUS ERROR: {(m.group(1) if m else head[:300]).decode(errors='replace')}")
    if b"OVERFLOW" in statuses:
        sys.exit(f"{path}: result truncated (QUERY_STATUS OVERFLOW): raise MAXREC")
    ser = next((s for s in ("BINARY2", "BINARY", "TABLEDATA", "FITS") if b"<" + s.encode() in head),
               "?")
    table = parse(path).get_first_table().to_table()
    names = {n.lower(): n for n in table.colnames}
    missing = [k for k in keys if k.lower() not in names]
    if missing:
        sys.exit(f"{path}: no column {missing} among {table.colnames}")
    cols = [table[names[k.lower()]] for k in keys]
    if value_of:
        if len(table) != 1:
            sys.exit(f"{path}: {len(table)} rows, expected one")
        print(int(cols[0][0]), "-", ser)
        return
    tuples = sorted(tuple(int(c[i]) for c in cols) for i in range(len(table)))
    digest = hashlib.sha1(repr(tuples).encode()).hexdigest()[:16]
    print(len(table), digest, ser)


if __name__ == "__main__":
    main()
