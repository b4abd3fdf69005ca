"""PyVO against `voscript serve`: VOSI tables and capabilities, sync, MAXREC overflow, async,
upload join, DALI errors. Usage: /usr/bin/python3 pyvo_serve.py TAP_URL. Prints one line per check."""
import sys
import warnings

import numpy as np
import pyvo
from astropy.table import Table

url = sys.argv[1]
svc = pyvo.dal.TAPService(url)


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    print(f"ok {name}")


# VOSI: tables with units and UCDs; capabilities with limits
tables = svc.tables
names = [t.name for t in tables]
check("tables lists data.stars and TAP_SCHEMA", "data.stars" in names and "TAP_SCHEMA.columns" in names, str(names))
cols = {c.name: c for c in tables["data.stars"].columns}
check("column metadata", str(cols["ra"].unit) == "deg" and cols["ra"].ucd == "pos.eq.ra;meta.main", f"{cols['ra'].unit} {cols['ra'].ucd}")
check("capabilities limits", svc.maxrec == 10000 and svc.hardlimit == 1000000, f"{svc.maxrec} {svc.hardlimit}")
check("availability", svc.available is True and svc.up_since is not None, f"{svc.available} {svc.up_since}")
check("upload methods", svc.upload_methods is not None and len(svc.upload_methods) >= 1)

# sync
r = svc.run_sync("SELECT TOP 5 id, ra, dec, mag FROM data.stars ORDER BY id")
check("sync rows", len(r) == 5 and list(r["id"]) == [1, 2, 3, 4, 5], str(list(r["id"])))
t = r.to_table()
check("sync units", str(t["ra"].unit) == "deg")

# MAXREC overflow
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    r = svc.run_sync("SELECT id FROM data.stars", maxrec=3)
check("maxrec overflow", len(r) == 3 and r.query_status == "OVERFLOW", f"{len(r)} {r.query_status}")

# async: submit, run, wait, fetch, delete
job = svc.submit_job("SELECT id, mag FROM data.stars WHERE id <= 7")
job.run()
job.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=60)
check("async completed", job.phase == "COMPLETED", job.phase)
res = job.fetch_result()
check("async rows", len(res) == 7, str(len(res)))
job.delete()

# upload join
up = Table({"id": np.array([2, 4, 999], dtype=np.int64), "label": ["two", "four", "none"]})
r = svc.run_sync("SELECT s.id, u.label FROM data.stars AS s JOIN TAP_UPLOAD.mine AS u ON s.id = u.id ORDER BY s.id",
                 uploads={"mine": up})
check("upload join", list(r["id"]) == [2, 4] and [str(x) for x in r["label"]] == ["two", "four"], str(r.to_table()))

# async with upload
job = svc.submit_job("SELECT COUNT(*) AS n FROM TAP_UPLOAD.mine", uploads={"mine": up})
job.run()
job.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=60)
check("async upload", job.phase == "COMPLETED" and int(job.fetch_result()["n"][0]) == 3, job.phase)
job.delete()

# errors come back as DALI errors pyvo understands
try:
    svc.run_sync("SELECT nosuchcolumn FROM data.stars")
    check("unknown column refused", False)
except pyvo.dal.DALQueryError as e:
    check("unknown column refused", "nosuchcolumn" in str(e), str(e))
try:
    svc.run_sync("SELECT * FROM data.nosuchtable")
    check("unknown table refused", False)
except pyvo.dal.DALQueryError as e:
    check("unknown table refused", "nosuchtable" in str(e), str(e))
# the examples document parses and its queries run
examples = svc.examples
check("examples", len(examples) >= 3, str(len(examples)))
r = examples[0].execute()
check("first example runs", len(r) > 0, str(len(r)))
print("all pyvo checks passed")
