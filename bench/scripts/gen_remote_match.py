#!/usr/bin/python3
"""Inputs and checks for bench/remote-match-compare.sh.

  gen_remote_match.py CATALOGUE.vot OUT.vot [N]     N local positions (default 100000): 90% are
      catalogue rows moved by less than 1 arcsec, 10% uniform in the catalogue's 5 deg cap around
      (150, 2); columns lid (0..N-1), ra, dec (deg); VOTable TABLEDATA. Deterministic (seed 20).
  gen_remote_match.py --compare REFERENCE.vot OTHER.vot
      prints the number of pairs of OTHER after checking that its (lid, id) pairs are those of
      REFERENCE (exits 1 otherwise). Works for voscript's and tapskymatch's outputs.
"""
import sys
import numpy as np
from astropy.table import Table


def generate(catalogue, out, n):
    cat = Table.read(catalogue)
    rng = np.random.default_rng(20)
    near = int(n * 0.9)
    pick = rng.integers(0, len(cat), near)
    ra0, dec0 = np.asarray(cat["ra"], float)[pick], np.asarray(cat["dec"], float)[pick]
    r = rng.uniform(0, 1.0, near) / 3600            # less than 1 arcsec away
    a = rng.uniform(0, 2 * np.pi, near)
    dec = dec0 + r * np.sin(a)
    ra = ra0 + r * np.cos(a) / np.cos(np.radians(dec0))
    far = n - near
    # uniform in the cap of 5 deg around (150, 2)
    c = 1 - rng.uniform(0, 1 - np.cos(np.radians(5.0)), far)
    th = rng.uniform(0, 2 * np.pi, far)
    x, y, z = np.sqrt(1 - c * c) * np.cos(th), np.sqrt(1 - c * c) * np.sin(th), c
    # rotate the pole (0, 0, 1) to (150, 2)
    l0, b0 = np.radians(150.0), np.radians(2.0)
    xs = x * np.sin(b0) + z * np.cos(b0)
    zs = -x * np.cos(b0) + z * np.sin(b0)
    ra_f = (np.degrees(np.arctan2(y, xs)) + np.degrees(l0)) % 360
    dec_f = np.degrees(np.arcsin(np.clip(zs, -1, 1)))
    t = Table()
    t["lid"] = np.arange(n, dtype=np.int64)
    t["ra"] = np.concatenate([ra, ra_f])
    t["dec"] = np.concatenate([dec, dec_f])
    t["ra"].unit = t["dec"].unit = "deg"
    t.write(out, format="votable", overwrite=True)


def pairs(path):
    t = Table.read(path)
    id_col = next(c for c in t.colnames if c.lower() in ("id", "id_tap", "id_2", "s_id"))
    return sorted(zip(np.asarray(t["lid"]).tolist(), np.asarray(t[id_col]).tolist()))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--compare":
        ref, other = pairs(sys.argv[2]), pairs(sys.argv[3])
        if ref != other:
            sys.exit(f"pairs differ: {len(ref)} in {sys.argv[2]}, {len(other)} in {sys.argv[3]}, {len(set(ref) ^ set(other))} not in both")
        print(len(other))
    elif len(sys.argv) >= 3:
        generate(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100_000)
    else:
        sys.exit(__doc__)
