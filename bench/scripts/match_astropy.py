#!/usr/bin/python3
"""Pair match of two catalogues with astropy: match_coordinates_sky both ways, a pair where
each row is the other's nearest neighbour within the radius; writes one row per pair
(A's columns, B's columns, separation in arcsec).

Usage: /usr/bin/python3 match_astropy.py A B OUT [RADIUS_ARCSEC=1.5]   (FITS or VOTable; prints PAIRS=)"""
import sys
import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord, match_coordinates_sky
from astropy.table import Table, hstack

a_path, b_path, dst = sys.argv[1], sys.argv[2], sys.argv[3]
radius = float(sys.argv[4]) if len(sys.argv) > 4 else 1.5
a, b = Table.read(a_path), Table.read(b_path)
ca = SkyCoord(ra=np.asarray(a["ra"], float) * u.deg, dec=np.asarray(a["dec"], float) * u.deg)
cb = SkyCoord(ra=np.asarray(b["ra"], float) * u.deg, dec=np.asarray(b["dec"], float) * u.deg)
ia, sep, _ = match_coordinates_sky(ca, cb)
ib, _, _ = match_coordinates_sky(cb, ca)
rows = np.arange(len(a))
keep = (sep.arcsec < radius) & (ib[ia] == rows)
pairs = hstack([a[rows[keep]], b[ia[keep]]], table_names=["a", "b"])
pairs["separation"] = sep.arcsec[keep]
if dst.endswith(".fits"):
    pairs.write(dst, overwrite=True)
else:
    pairs.write(dst, format="votable", tabledata_format="binary2", overwrite=True)
print(f"PAIRS={int(keep.sum())}")
