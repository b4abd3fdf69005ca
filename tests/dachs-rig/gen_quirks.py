#!/usr/bin/python3
"""Quirky catalogues for VoScript's interop tests (issue #18), deterministic (seed 20261207).

Writes, for the same 30 objects around RA 151.0, Dec 2.5 (with --csv-only, as up.sh runs it, only the CSVs):
  inputs/quirks/data/<table>.csv                     -> quirks.<table> in DaCHS (inputs/quirks/q.rd)
  ../VoScript.Engine.Tests/data/quirks/<table>.vot   the same table as a VOTable file (same names, units, UCDs)

Every table carries quirks that the three rig catalogues (cat_a/b/c) do NOT plant; where a real
archive does the same, the note says which. The metadata here and in q.rd must stay in step.
The expected results come from tests/VoScript.Engine.Tests/data/quirks/reference.py (astropy).
"""
import csv
import os
import sys

import numpy as np
from astropy.io.votable.tree import Field, Resource, Table, VOTableFile

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_DIR = os.path.join(HERE, "inputs", "quirks", "data")
VOT_DIR = os.path.join(HERE, "..", "VoScript.Engine.Tests", "data", "quirks")
SEED = 20261207
N = 30

# name, datatype, unit, ucd  (datatype: long, double, float, char)
TABLES = {
    # SuperCOSMOS Science Archive (WFAU) Source table: ra/dec in RADIANS with UCD1 words, photographic
    # magnitudes as UCD1 PHOT_PHG_*, missing magnitudes -99.999 (SSA schema browser).
    "ssa": [("objID", "long", None, "ID_MAIN"),
            ("ra", "double", "radians", "POS_EQ_RA_MAIN"),
            ("dec", "double", "radians", "POS_EQ_DEC_MAIN"),
            ("classMagB", "float", "mag", "PHOT_PHG_BJ"),
            ("classMagR2", "float", "mag", "PHOT_PHG_R"),
            ("classMagI", "float", "mag", "PHOT_PHG_I")],
    # UKIDSS LAS at the WFCAM Science Archive: UCD1-style words the CDS list does not have (PHOT_WFCAM_Y …),
    # errors as the bare UCD1 word ERROR, missing values the WSA default -0.9999995e9 (WSA schema browser),
    # unit spelt "degrees".
    "wsa": [("sourceID", "long", None, "ID_MAIN"),
            ("ra", "double", "degrees", "POS_EQ_RA_MAIN"),
            ("dec", "double", "degrees", "POS_EQ_DEC_MAIN"),
            ("yAperMag3", "float", "mag", "PHOT_WFCAM_Y"),
            ("yAperMag3Err", "float", "mag", "ERROR"),
            ("jAperMag3", "float", "mag", "PHOT_WFCAM_J"),
            ("jAperMag3Err", "float", "mag", "ERROR"),
            ("hAperMag3", "float", "mag", "PHOT_WFCAM_H"),
            ("hAperMag3Err", "float", "mag", "ERROR"),
            ("kAperMag3", "float", "mag", "PHOT_WFCAM_K"),
            ("kAperMag3Err", "float", "mag", "ERROR")],
    # Pan-STARRS1 DR2 MeanObject (MAST): missing magnitudes -999 (PS1 DR2 docs); here with archive-made
    # UCD1-style words PHOT_PS1_G … and PHOT_PS1_G_ERROR, and the unit annotated "mag(AB)".
    "ps1": [("objID", "long", None, "meta.id;meta.main"),
            ("raMean", "double", "deg", "pos.eq.ra;meta.main"),
            ("decMean", "double", "deg", "pos.eq.dec;meta.main"),
            ("gMeanPSFMag", "float", "mag(AB)", "PHOT_PS1_G"),
            ("gMeanPSFMagErr", "float", "mag(AB)", "PHOT_PS1_G_ERROR"),
            ("rMeanPSFMag", "float", "mag(AB)", "PHOT_PS1_R"),
            ("rMeanPSFMagErr", "float", "mag(AB)", "PHOT_PS1_R_ERROR"),
            ("iMeanPSFMag", "float", "mag(AB)", "PHOT_PS1_I"),
            ("zMeanPSFMag", "float", "mag(AB)", "PHOT_PS1_Z"),
            ("yMeanPSFMag", "float", "mag(AB)", "PHOT_PS1_Y"),
            ("yMeanPSFMagErr", "float", "mag(AB)", "PHOT_PS1_Y_ERROR")],
    # GALEX GR6/7 photoObjAll (MAST CasJobs): missing magnitudes -999, fluxes in microJansky; here the flux UCD is
    # the deprecated phot.fluxDens (SSA 1.1's own spelling), an F_lambda column in erg/s/cm2/A (A meaning
    # Angstrom, as HEASARC and IUE tables write it), -99 for a missing flux, and "Degrees" with a capital.
    "galex": [("objid", "long", None, "meta.id;meta.main"),
              ("ra", "double", "Degrees", "pos.eq.ra;meta.main"),
              ("dec", "double", "Degrees", "pos.eq.dec;meta.main"),
              ("fuv_mag", "float", "ABmag", "phot.mag;em.UV.100-200nm"),
              ("fuv_magerr", "float", "ABmag", "stat.error;phot.mag;em.UV.100-200nm"),
              ("nuv_mag", "float", "ABmag", "phot.mag;em.UV.200-300nm"),
              ("nuv_flux", "float", "microJansky", "phot.fluxDens;em.UV.200-300nm"),
              ("nuv_flux_err", "float", "microJansky", "stat.error;phot.fluxDens;em.UV.200-300nm"),
              ("fuv_flam", "double", "1e-17erg/s/cm2/A", "phot.flux.density;em.UV.100-200nm")],
    # SIMBAD basic through TAP in a client's text dump: coordinates as sexagesimal text with unit h:m:s/d:m:s
    # (astroquery#2776), magnitudes as text with "~" (SIMBAD's ASCII null) and "NaN".
    "simbad": [("main_id", "char", None, "meta.id;meta.main"),
               ("ra", "char", "h:m:s", "pos.eq.ra;meta.main"),
               ("dec", "char", "d:m:s", "pos.eq.dec;meta.main"),
               ("flux_B", "char", "mag", "phot.mag;em.opt.B"),
               ("flux_V", "char", "mag", "phot.mag;em.opt.V")],
    # RA in decimal HOURS (unit h; VizieR's Yale Bright Star Catalogue V/50 gives RA in hours, as do many
    # amateur and older catalogues), Dec in arcmin, magnitudes without UCDs, VizieR names, unit "mags".
    "hours": [("Name", "char", None, None),
              ("RAh", "double", "h", "pos.eq.ra;meta.main"),
              ("DEam", "double", "arcmin", "pos.eq.dec;meta.main"),
              ("Vmag", "float", "mags", None),
              ("e_Vmag", "float", "mags", None)],
}

ROWS = {"ssa": 30, "wsa": 28, "ps1": 27, "galex": 25, "simbad": 20, "hours": 15}


def sexa(value, hours):
    v = value / 15.0 if hours else value
    sign = "-" if v < 0 else "+"
    v = abs(v)
    d = int(v)
    m = int((v - d) * 60)
    s = (v - d - m / 60.0) * 3600
    if hours:
        return "%02d:%02d:%06.3f" % (d, m, s)
    return "%s%02d %02d %05.2f" % (sign, d, m, s)


def main():
    rng = np.random.default_rng(SEED)
    ra0 = 151.0 + rng.uniform(-0.05, 0.05, N)
    dec0 = 2.5 + rng.uniform(-0.05, 0.05, N)
    vmag = rng.uniform(13.0, 19.0, N)
    color = rng.uniform(0.2, 1.2, N)
    rows = {}

    def jit(k, n):
        return rng.normal(0, 0.15 / 3600, n)

    # which objects each table has (ssa: all)
    order = rng.permutation(N)
    members = {t: np.sort(order[:n]) if t != "ssa" else np.arange(N) for t, n in ROWS.items()}
    # simbad and hours keep the brightest ones
    for t in ("simbad", "hours"):
        members[t] = np.sort(np.argsort(vmag)[:ROWS[t]])

    def err(n, lo=0.01, hi=0.1):
        return np.round(rng.uniform(lo, hi, n), 3)

    for t, cols in TABLES.items():
        k = members[t]
        n = len(k)
        ra = ra0[k] + jit(t, n) / np.cos(np.radians(2.5))
        dec = dec0[k] + jit(t, n)
        v = vmag[k]
        c = color[k]
        d = {}
        if t == "ssa":
            d["objID"] = 7000000 + k
            d["ra"] = np.radians(ra)
            d["dec"] = np.radians(dec)
            d["classMagB"] = np.round(v + 0.8 * c, 3)
            d["classMagR2"] = np.round(v - 0.5 * c, 3)
            mi = np.round(v - 0.9 * c, 3)
            mi[[3, 11, 17, 25]] = -99.999
            d["classMagI"] = mi
        elif t == "wsa":
            d["sourceID"] = 433000000000 + k
            d["ra"], d["dec"] = ra, dec
            for band, off in (("y", -1.2), ("j", -1.5), ("h", -1.9), ("k", -2.1)):
                m = np.round(v + off * c, 3)
                e = err(n)
                if band == "k":
                    m[[1, 4, 9, 14, 20]] = -0.9999995e9
                    e[[1, 4, 9, 14, 20]] = -0.9999995e9
                d[band + "AperMag3"], d[band + "AperMag3Err"] = m, e
        elif t == "ps1":
            d["objID"] = 117000000000000000 + k
            d["raMean"], d["decMean"] = ra, dec
            for band, off in (("g", 0.5), ("r", -0.1), ("i", -0.3), ("z", -0.4), ("y", -0.45)):
                m = np.round(v + off * c, 4)
                if band == "y":
                    m[[0, 5, 8, 13, 21, 26]] = -999
                d[band + "MeanPSFMag"] = m
                if band in ("g", "r", "y"):
                    e = err(n, 0.002, 0.05)
                    if band == "y":
                        e[[0, 5, 8, 13, 21, 26]] = -999
                    d[band + "MeanPSFMagErr"] = e
        elif t == "galex":
            d["objid"] = 6380000000000000000 + k
            d["ra"], d["dec"] = ra, dec
            fuv = np.round(v + 3.0 + 1.5 * c, 3)
            fuve = err(n, 0.05, 0.3)
            fuv[[2, 6, 7, 12, 15, 18, 22, 24]] = -999
            fuve[[2, 6, 7, 12, 15, 18, 22, 24]] = -999
            nuv = np.round(v + 1.5 + 1.0 * c, 3)
            d["fuv_mag"], d["fuv_magerr"], d["nuv_mag"] = fuv, fuve, nuv
            flux = np.round(3631e6 * 10 ** (-0.4 * nuv), 3)  # µJy
            fe = np.round(flux * 0.05, 3)
            flux[[3, 10, 19]] = -99
            fe[[3, 10, 19]] = -99
            d["nuv_flux"], d["nuv_flux_err"] = flux, fe
            # F_lambda in 1e-17 erg/s/cm2/A from the FUV magnitude (where it exists), at 0.15386 um
            lam_cm = 0.15386e-4
            fnu = 3631e-23 * 10 ** (-0.4 * np.where(fuv > 0, fuv, v + 3.0 + 1.5 * c))  # erg/s/cm2/Hz
            d["fuv_flam"] = np.round(fnu * 2.99792458e10 / lam_cm ** 2 / 1e8 / 1e-17, 6)
        elif t == "simbad":
            d["main_id"] = np.array(["QSR J%04d" % x for x in k])
            d["ra"] = np.array([sexa(x, True) for x in ra])
            d["dec"] = np.array([sexa(x, False) for x in dec])
            b = ["%.2f" % x for x in v + 0.6 * c]
            vv = ["%.2f" % x for x in v]
            for i in (2, 9, 16):
                b[i] = "~"
            vv[5] = "NaN"
            d["flux_B"], d["flux_V"] = np.array(b), np.array(vv)
        elif t == "hours":
            d["Name"] = np.array(["HR %d" % (9000 + x) for x in k])
            d["RAh"] = ra / 15.0
            d["DEam"] = dec * 60.0
            d["Vmag"] = np.round(v, 2)
            d["e_Vmag"] = err(n)
        rows[t] = (k, d)

    csv_only = "--csv-only" in sys.argv  # up.sh: only what DaCHS imports, never the committed test files
    os.makedirs(CSV_DIR, exist_ok=True)
    if not csv_only:
        os.makedirs(VOT_DIR, exist_ok=True)
    for t, cols in TABLES.items():
        k, d = rows[t]
        n = len(k)
        with open(os.path.join(CSV_DIR, t + ".csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c[0] for c in cols])
            for i in range(n):
                out = []
                for name, dt, _, _ in cols:
                    x = d[name][i]
                    out.append(repr(float(x)) if dt == "double" else
                               ("%.7g" % float(x)) if dt == "float" else str(x))
                w.writerow(out)
        if csv_only:
            continue
        vot = VOTableFile(version="1.4")
        res = Resource()
        vot.resources.append(res)
        tab = Table(vot, name=t)
        res.tables.append(tab)
        for name, dt, unit, ucd in cols:
            kw = {"arraysize": "*"} if dt == "char" else {}
            fld = Field(vot, name=name, datatype=dt, **kw)
            if unit is not None:
                fld.unit = unit
            if ucd is not None:
                fld.ucd = ucd
            tab.fields.append(fld)
        tab.create_arrays(n)
        for i in range(n):
            tab.array[i] = tuple(d[c[0]][i] for c in cols)
        # astropy normalises units it knows; write the service's spelling back as it is
        path = os.path.join(VOT_DIR, t + ".vot")
        vot.to_xml(path)
        text = open(path, encoding="utf-8").read()
        for name, dt, unit, ucd in cols:
            if unit is not None:
                import re
                text = re.sub(r'(<FIELD[^>]*name="%s"[^>]*unit=")[^"]*(")' % re.escape(name), r"\g<1>%s\2" % unit.replace("\\", "\\\\"), text)
        open(path, "w", encoding="utf-8").write(text)
    print("quirk tables written: " + ", ".join("%s (%d rows)" % (t, len(rows[t][0])) for t in TABLES), file=sys.stderr)


if __name__ == "__main__":
    main()
