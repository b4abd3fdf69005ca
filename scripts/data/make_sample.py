#!/usr/bin/python3
"""Writes sample.vot: a small Gaia-like catalogue of one field (RA 150.0, Dec 2.2),
with the metadata a real TAP result has (COOSYS, PARAMs, QUERY_STATUS, units, UCDs,
descriptions) and a few nulls. Deterministic: the same bytes on every run.

    /usr/bin/python3 scripts/data/make_sample.py scripts/data/sample.vot
"""
import math
import random
import sys

rows = []
rng = random.Random(20261125)
for i in range(40):
    r = 0.1 * math.sqrt(rng.random())
    t = 2 * math.pi * rng.random()
    ra = 150.0 + r * math.cos(t) / math.cos(math.radians(2.2))
    dec = 2.2 + r * math.sin(t)
    g = round(rng.uniform(14.0, 20.5), 4)
    bp = None if g > 19.0 and i % 2 == 0 else round(g + rng.uniform(0.2, 0.9), 4)
    rp = None if bp is None else round(g - rng.uniform(0.3, 0.8), 4)
    plx = round(rng.gauss(0.8, 0.6), 4)
    kind = "star" if rng.random() < 0.8 else "galaxy"
    rows.append((3834000000000000000 + 1237 * i, ra, dec, g, bp, rp, plx, kind))

def td(v):
    if v is None:
        return "<TD/>"
    if isinstance(v, float):
        return "<TD>%r</TD>" % v
    return "<TD>%s</TD>" % v

out = open(sys.argv[1], "w", encoding="utf-8", newline="\n")
out.write("""<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
  <DESCRIPTION>VoScript sample: a Gaia-like catalogue of 40 sources around RA 150.0, Dec 2.2 (synthetic).</DESCRIPTION>
  <COOSYS ID="icrs" system="ICRS" epoch="J2016.0"/>
  <RESOURCE type="results">
    <INFO name="QUERY_STATUS" value="OK"/>
    <INFO name="QUERY" value="SELECT * FROM sample.field WHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150.0, 2.2, 0.1))"/>
    <PARAM name="field_ra" datatype="double" unit="deg" ucd="pos.eq.ra" value="150.0"/>
    <PARAM name="field_dec" datatype="double" unit="deg" ucd="pos.eq.dec" value="2.2"/>
    <PARAM name="field_radius" datatype="double" unit="deg" ucd="phys.angSize" value="0.1"/>
    <TABLE name="field">
      <DESCRIPTION>Sources in the field, brightest first.</DESCRIPTION>
      <FIELD name="source_id" datatype="long" ucd="meta.id;meta.main"><DESCRIPTION>Unique source identifier</DESCRIPTION></FIELD>
      <FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main" ref="icrs"><DESCRIPTION>Right ascension (ICRS, epoch J2016.0)</DESCRIPTION></FIELD>
      <FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main" ref="icrs"><DESCRIPTION>Declination (ICRS, epoch J2016.0)</DESCRIPTION></FIELD>
      <FIELD name="g_mag" datatype="float" unit="mag" ucd="phot.mag;em.opt"><DESCRIPTION>G-band mean magnitude</DESCRIPTION></FIELD>
      <FIELD name="bp_mag" datatype="float" unit="mag" ucd="phot.mag;em.opt.B"><DESCRIPTION>BP mean magnitude (null for faint sources)</DESCRIPTION></FIELD>
      <FIELD name="rp_mag" datatype="float" unit="mag" ucd="phot.mag;em.opt.R"><DESCRIPTION>RP mean magnitude (null for faint sources)</DESCRIPTION></FIELD>
      <FIELD name="parallax" datatype="double" unit="mas" ucd="pos.parallax.trig"><DESCRIPTION>Parallax</DESCRIPTION></FIELD>
      <FIELD name="class" datatype="char" arraysize="*" ucd="src.class"><DESCRIPTION>star or galaxy</DESCRIPTION></FIELD>
      <DATA>
        <TABLEDATA>
""")
for r in sorted(rows, key=lambda x: x[3]):
    out.write("          <TR>" + "".join(td(v) for v in r) + "</TR>\n")
out.write("""        </TABLEDATA>
      </DATA>
    </TABLE>
  </RESOURCE>
</VOTABLE>
""")
