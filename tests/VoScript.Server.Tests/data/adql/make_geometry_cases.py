#!/usr/bin/python3
"""Reference answers for the geometry tests of the ADQL translator (AdqlGeometryTests).

Writes points.csv (id, ra, dec) and expected.json: for each shape the ids inside it,
and great-circle separations from a few centres. Computed independently of the C#
code: separations with astropy (SkyCoord.separation, Vincenty formula), polygon
membership with a winding-angle sum (sum of the signed angles at the point between
the great-circle arcs to successive vertices: +-360 deg inside, 0 outside).

Usage: /usr/bin/python3 make_geometry_cases.py   (run in this directory)
"""
import csv, json
import numpy as np
from astropy.coordinates import SkyCoord
import astropy.units as u

rng = np.random.default_rng(20261125)

CIRCLES = [  # ra, dec, r (deg)
    (10.0, 20.0, 1.0),
    (0.0, 0.0, 2.0),        # straddles ra = 0
    (120.0, 75.0, 3.0),     # high dec: planar distances would be far off
    (250.0, -89.0, 2.5),    # contains the south pole
    (300.0, -30.0, 0.01),
]
POLYGONS = [  # vertices (ra, dec), counter-clockwise or not
    [(10, 10), (20, 10), (20, 20), (10, 20)],
    [(355, -5), (5, -5), (5, 5), (355, 5)],                      # straddles ra = 0
    [(100, 60), (160, 60), (160, 80), (130, 70), (100, 80)],     # concave, high dec
    [(200, -40), (220, -35), (215, -20), (205, -25)],
]

points = []
def around(ra, dec, spread, n):
    # points on the sphere near (ra, dec): small offsets in a tangent plane
    c = SkyCoord(ra * u.deg, dec * u.deg)
    pa = rng.uniform(0, 360, n) * u.deg
    sep = spread * np.sqrt(rng.uniform(0, 1, n)) * u.deg
    p = c.directional_offset_by(pa, sep)
    return list(zip(p.ra.deg, p.dec.deg))

for ra, dec, r in CIRCLES:
    points += around(ra, dec, r * 1.6, 150)
for poly in POLYGONS:
    v = np.array(poly, dtype=float)
    cra = np.degrees(np.arctan2(np.sin(np.radians(v[:, 0])).mean(), np.cos(np.radians(v[:, 0])).mean())) % 360
    points += around(cra, v[:, 1].mean(), 16, 250)
points += list(zip(rng.uniform(0, 360, 200), np.degrees(np.arcsin(rng.uniform(-1, 1, 200)))))
points = [(i + 1, ra % 360, dec) for i, (ra, dec) in enumerate(points)]

ids = np.array([p[0] for p in points])
ra = np.array([p[1] for p in points])
dec = np.array([p[2] for p in points])
allp = SkyCoord(ra * u.deg, dec * u.deg)

def unit(ra, dec):
    a, d = np.radians(ra), np.radians(dec)
    return np.stack([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)], axis=-1)

def inside_polygon(poly):
    vs = unit(np.array([p[0] for p in poly], float), np.array([p[1] for p in poly], float))
    P = unit(ra, dec)
    total = np.zeros(len(P))
    for i in range(len(vs)):
        a, b = vs[i], vs[(i + 1) % len(vs)]
        # tangent directions at P towards a and b, and the signed angle between them
        ta = a - P * (P @ a)[:, None]
        tb = b - P * (P @ b)[:, None]
        cross = np.cross(ta, tb)
        sin = np.einsum("ij,ij->i", cross, P)
        cos = np.einsum("ij,ij->i", ta, tb)
        total += np.arctan2(sin, cos)
    # +-2 pi inside, 0 outside; the winding sum cannot tell a point from its antipode's
    # side, so points in the hemisphere opposite the polygon's centre (all outside, the
    # polygons being smaller than a hemisphere) are excluded explicitly
    centre = vs.sum(axis=0)
    return (np.abs(total) > np.pi) & (P @ centre > 0)

out = {"circles": [], "polygons": [], "distances": []}
for cra, cdec, r in CIRCLES:
    sep = allp.separation(SkyCoord(cra * u.deg, cdec * u.deg)).deg
    out["circles"].append({"ra": cra, "dec": cdec, "r": r, "ids": ids[sep <= r].tolist(),
                           "near_edge": int(np.sum(np.abs(sep - r) < r * 0.01))})
for poly in POLYGONS:
    out["polygons"].append({"vertices": [list(map(float, v)) for v in poly], "ids": ids[inside_polygon(poly)].tolist()})
for cra, cdec, _ in CIRCLES[:3]:
    sep = allp.separation(SkyCoord(cra * u.deg, cdec * u.deg)).deg
    out["distances"].append({"ra": cra, "dec": cdec, "sep": {int(i): float(s) for i, s in zip(ids[:400], sep[:400])}})

with open("points.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "ra", "dec"])
    for i, r_, d in points:
        w.writerow([i, repr(float(r_)), repr(float(d))])
with open("expected.json", "w") as f:
    json.dump(out, f, indent=0)
print(len(points), "points;", [len(c["ids"]) for c in out["circles"]], [len(p["ids"]) for p in out["polygons"]])
