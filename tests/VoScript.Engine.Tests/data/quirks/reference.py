#!/usr/bin/python3
"""Hand-written astropy reference for the quirk corpus (tests/dachs-rig/gen_quirks.py).

It knows each table by hand, the way an astronomer reading the archives' documentation would: which
columns are RA/Dec and in which unit, which values are sentinels, which band each photometric column
is. It reads the .vot files with astropy, converts with astropy.units and astropy.coordinates, and writes
reference.json: per table the positions in degrees, per photometric column its band, magnitude system and
the flux density in Jy of every row with a value, and the number of friends-of-friends groups (1 arcsec).
VoScript must find the same from the metadata alone (QuirkCorpusTests, and through DaCHS).
"""
import json
import os

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io.votable import parse_single_table

HERE = os.path.dirname(os.path.abspath(__file__))
BANDS = os.path.join(HERE, "..", "..", "..", "..", "engine", "VoScript.Engine", "Photometry", "Data", "bands.tsv")


def band_table():
    rows = [l.rstrip("\n").split("\t") for l in open(BANDS, encoding="utf-8") if not l.startswith("#")]
    head = rows[0]
    return {r[head.index("name")]: dict(zip(head, r)) for r in rows[1:]}


B = band_table()

# column -> (band, "mag"|"flux", system, sentinel values, id column); hand-written from the archives' docs
PHOT = {
    "ssa": {"classMagB": ("Johnson B", "mag", "Vega", [-99.999]), "classMagR2": ("Cousins R", "mag", "Vega", [-99.999]),
            "classMagI": ("Cousins I", "mag", "Vega", [-99.999])},
    "wsa": {c + "AperMag3": ("UKIDSS " + c.upper(), "mag", "Vega", [-0.9999995e9]) for c in "yjhk"},
    "ps1": {c + "MeanPSFMag": ("PS1 " + c, "mag", "AB", [-999]) for c in "grizy"},
    "galex": {"fuv_mag": ("GALEX FUV", "mag", "AB", [-999]), "nuv_mag": ("GALEX NUV", "mag", "AB", [-999]),
              "nuv_flux": ("GALEX NUV", "flux", "AB", [-99]), "fuv_flam": ("GALEX FUV", "flux", "AB", [])},
    "simbad": {"flux_B": ("Johnson B", "mag", "Vega", []), "flux_V": ("Johnson V", "mag", "Vega", [])},
    "hours": {"Vmag": ("Johnson V", "mag", "Vega", [])},
}
IDS = {"ssa": "objID", "wsa": "sourceID", "ps1": "objID", "galex": "objid", "simbad": None, "hours": None}
UNITS = {"nuv_flux": u.uJy, "fuv_flam": 1e-17 * u.erg / u.s / u.cm ** 2 / u.AA}


def positions(name, t):
    if name == "ssa":
        return (np.asarray(t["ra"]) * u.rad).to_value(u.deg), (np.asarray(t["dec"]) * u.rad).to_value(u.deg)
    if name == "ps1":
        return np.asarray(t["raMean"], float), np.asarray(t["decMean"], float)
    if name == "simbad":
        c = SkyCoord([str(x) for x in t["ra"]], [str(x) for x in t["dec"]], unit=(u.hourangle, u.deg))
        return c.ra.deg, c.dec.deg
    if name == "hours":
        return (np.asarray(t["RAh"]) * u.hourangle).to_value(u.deg), (np.asarray(t["DEam"]) * u.arcmin).to_value(u.deg)
    return np.asarray(t["ra"], float), np.asarray(t["dec"], float)


def value(x):
    if isinstance(x, (bytes, str)):
        s = x.decode() if isinstance(x, bytes) else x
        s = s.strip()
        return None if s in ("~", "NaN", "") else float(s)
    if np.ma.is_masked(x):
        return None
    return float(x)


def main():
    out = {"tables": {}}
    allpos = []
    for name in PHOT:
        t = parse_single_table(os.path.join(HERE, name + ".vot")).to_table()
        ra, dec = positions(name, t)
        allpos += list(zip(ra, dec))
        n = len(t)
        ids = [int(x) for x in t[IDS[name]]] if IDS[name] else list(range(1, n + 1))
        cols = {}
        for col, (band, kind, system, sentinels) in PHOT[name].items():
            b = B[band]
            lam = float(b["lambda_um"]) * u.um
            flux = {}
            for i in range(n):
                v = value(t[col][i])
                if v is None or any(np.isclose(np.float32(v), np.float32(s)) for s in sentinels):
                    continue
                if kind == "mag":
                    zp = 3631.0 if system == "AB" else float(b["zp_jy"])
                    off = float(b["ab_offset"]) if system == b["system"] else 0.0
                    f = zp * 10 ** (-0.4 * (v + off))
                else:
                    f = (v * UNITS[col]).to_value(u.Jy, equivalencies=u.spectral_density(lam))
                flux[str(ids[i])] = f
            cols[col] = {"band": band, "system": system, "flux": flux}
        out["tables"][name] = {"rows": n, "ra": list(map(float, ra)), "dec": list(map(float, dec)), "columns": cols}
    # friends-of-friends groups at 1 arcsec over all tables (union-find)
    c = SkyCoord([p[0] for p in allpos] * u.deg, [p[1] for p in allpos] * u.deg)
    i1, i2, _, _ = c.search_around_sky(c, 1 * u.arcsec)
    parent = list(range(len(allpos)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    for a, b in zip(i1, i2):
        ra_, rb = find(a), find(b)
        if ra_ != rb:
            parent[ra_] = rb
    out["groups"] = len({find(a) for a in range(len(allpos))})
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print("reference.json: %d groups, %s" % (out["groups"], {k: v["rows"] for k, v in out["tables"].items()}))


if __name__ == "__main__":
    main()
