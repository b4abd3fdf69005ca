#!/usr/bin/python3
"""Deterministic inputs for bench/serve-compare.sh (voscript serve vs DaCHS).

Usage: /usr/bin/python3 gen_serve_bench.py OUTDIR [N]        (N default 1000000)

The catalogue has the 13 columns of gen_votables.py (id, ra, dec, mag_U..mag_K, mag_err,
name), but its N positions are uniform inside a cap of radius 5 deg around (150, 2), so a
cone of 0.5 deg around the centre holds ~N/100 rows (10,000 at N = 1e6).

Writes to OUTDIR:
  main.vot        VOTable 1.4 BINARY2, the table voscript serve loads
  main.csv        the same rows for the DaCHS import (column names in lower case, as DaCHS
                  declares them; doubles with 17 significant digits,
                  floats with 9, so both servers hold bit-identical values; null = empty)
  upload.vot      1,000 positions (pos_id, ra, dec) of random rows, each moved by less
                  than 1 arcsec, VOTable TABLEDATA: the TAP_UPLOAD table of the join query
  manifest.txt    N, cap, expected counts computed here by brute force (exact great-circle
                  distances), for the cone and the join at the radii serve-compare.sh uses
"""
import os, sys, time
import numpy as np
from astropy.io.votable.tree import VOTableFile, Resource, Table, Field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_votables import build  # noqa: E402

CAP = (150.0, 2.0, 5.0)
CONE_R = 0.5                  # deg
JOIN_R = (1.0, 2.0)           # arcsec
N_UPLOAD, UPLOAD_SEED, MAX_JITTER = 1000, 20261125, 0.9   # arcsec


def unit(ra, dec):
    ra, dec = np.radians(ra), np.radians(dec)
    return np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], axis=-1)


def sep_deg(v, w):
    """great-circle separation in degrees of unit vectors (atan2 form: exact at small angles)"""
    return np.degrees(np.arctan2(np.linalg.norm(np.cross(v, w), axis=-1), np.sum(v * w, axis=-1)))


def write_csv(path, a):
    cols = [c for c in a.dtype.names]
    mags = [c for c in cols if c.startswith("mag_")]
    with open(path, "w") as f:
        f.write(",".join(c.lower() for c in cols) + "\n")   # DaCHS names are lower case
        idv, ra, dec, name = a["id"].data, a["ra"].data, a["dec"].data, a["name"].data
        mv = {c: a[c].data for c in mags}
        mm = {c: np.ma.getmaskarray(a[c]) for c in mags}
        for i in range(len(a)):
            parts = [str(idv[i]), "%.17g" % ra[i], "%.17g" % dec[i]]
            for c in mags:
                parts.append("" if mm[c][i] else "%.9g" % mv[c][i])
            parts.append(name[i])
            f.write(",".join(parts) + "\n")


def write_upload(path, ra, dec):
    vot = VOTableFile(version="1.4")
    res = Resource()
    vot.resources.append(res)
    tab = Table(vot, name="positions")
    res.tables.append(tab)
    tab.fields.append(Field(vot, name="pos_id", datatype="int", ucd="meta.id"))
    tab.fields.append(Field(vot, name="ra", datatype="double", unit="deg", ucd="pos.eq.ra"))
    tab.fields.append(Field(vot, name="dec", datatype="double", unit="deg", ucd="pos.eq.dec"))
    tab.create_arrays(len(ra))
    tab.array["pos_id"] = np.arange(1, len(ra) + 1, dtype=np.int32)
    tab.array["ra"] = ra
    tab.array["dec"] = dec
    vot.to_xml(path, tabledata_format="tabledata")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(outdir, exist_ok=True)
    t0 = time.perf_counter()
    vot = build(n, cap=CAP)
    a = vot.resources[0].tables[0].array
    print(f"N={n}: built in {time.perf_counter() - t0:.1f}s", flush=True)
    vot.to_xml(os.path.join(outdir, "main.vot"), tabledata_format="binary2")
    write_csv(os.path.join(outdir, "main.csv"), a)
    print(f"  main.vot, main.csv written after {time.perf_counter() - t0:.1f}s", flush=True)

    ra, dec = a["ra"].data.astype(float), a["dec"].data.astype(float)
    rng = np.random.default_rng(UPLOAD_SEED)
    pick = rng.choice(n, N_UPLOAD, replace=False)
    # jitter: uniform direction, distance uniform in [0, MAX_JITTER) arcsec (< 1 arcsec)
    dist = rng.uniform(0.0, MAX_JITTER, N_UPLOAD) / 3600.0
    ang = rng.uniform(0.0, 2 * np.pi, N_UPLOAD)
    udec = dec[pick] + dist * np.sin(ang)
    ura = (ra[pick] + dist * np.cos(ang) / np.cos(np.radians(dec[pick]))) % 360.0
    write_upload(os.path.join(outdir, "upload.vot"), ura, udec)

    # expected counts, brute force over all rows with exact great-circle distances
    vt = unit(ra, dec)
    cone = int(np.sum(sep_deg(vt, unit(CAP[0], CAP[1])[None, :]) <= CONE_R))
    uv = unit(ura, udec)
    near = {r: 0 for r in JOIN_R}
    for j in range(N_UPLOAD):
        band = np.nonzero(np.abs(dec - udec[j]) <= max(JOIN_R) / 3600.0)[0]
        s = sep_deg(vt[band], uv[j][None, :]) * 3600.0
        for r in JOIN_R:
            near[r] += int(np.sum(s <= r))
    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        f.write(f"rows {n}\ncap {CAP[0]} {CAP[1]} {CAP[2]}\n")
        f.write(f"cone {CAP[0]} {CAP[1]} {CONE_R} {cone}\n")
        for r in JOIN_R:
            f.write(f"join {r} {near[r]}\n")
    print(f"  cone r={CONE_R} deg: {cone} rows; join: "
          + ", ".join(f"r={r}\": {near[r]} rows" for r in JOIN_R)
          + f"; done after {time.perf_counter() - t0:.1f}s", flush=True)


if __name__ == "__main__":
    main()
