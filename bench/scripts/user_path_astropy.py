#!/usr/bin/python3
"""The user's path with astropy + scipy: read a table, friends-of-friends groups
(SkyCoord.search_around_sky self-match, then scipy.sparse.csgraph.connected_components),
write every row with its group id and group size.

Usage: /usr/bin/python3 user_path_astropy.py IN OUT [RADIUS_ARCSEC=1.5]
IN and OUT are FITS (.fits) or VOTable (.vot, written as BINARY2). Prints GROUPS=."""
import sys
import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

src, dst = sys.argv[1], sys.argv[2]
radius = float(sys.argv[3]) if len(sys.argv) > 3 else 1.5
tab = Table.read(src)
ra = np.asarray(tab["ra"], dtype=float)
dec = np.asarray(tab["dec"], dtype=float)
n = len(ra)
c = SkyCoord(ra=ra * u.deg, dec=dec * u.deg, frame="icrs")
i1, i2, _, _ = c.search_around_sky(c, radius * u.arcsec)
keep = i1 < i2
g = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (i1[keep], i2[keep])), shape=(n, n)).tocsr()
ngroups, labels = connected_components(g, directed=False)
tab["group_id"] = labels
tab["group_size"] = np.bincount(labels)[labels]
if dst.endswith(".fits"):
    tab.write(dst, overwrite=True)
else:
    tab.write(dst, format="votable", tabledata_format="binary2", overwrite=True)
print(f"GROUPS={ngroups}")
