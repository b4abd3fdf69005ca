#!/usr/bin/python3
"""make_field.py - the sample field that `voscript serve` serves for the main job.

Writes, next to this file, the same data the DaCHS test rig (tests/dachs-rig) serves,
as VOTables with the metadata DaCHS gives in its query results:

  cat_a.vot       cat_a.main   Gaia-like (the well-behaved reference)
  cat_b.vot       cat_b.main   2MASS-like, VizieR style ("2MASS", unit "mags", no unit on Kmag)
  cat_c.vot       cat_c.main   SDSS-like (UCD1 words, -9999 sentinels, ids above 2^53)
  obscore.vot     ivoa.obscore 50 spectra; access_url is relative: spectra/spec_NNNN.{fits,vot}
  spectra/        the 50 spectrum files themselves
  truth/          objects.csv, spectra.csv, manifest.json: what tests assert on

The rows come from the rig's own generator (tests/dachs-rig/gen_data.py, same seed), run
in a scratch folder; the column metadata (names, types, units, UCDs, descriptions) from
the rig's resource descriptors (tests/dachs-rig/inputs/*/q.rd), and the ObsCore columns as
DaCHS 2.7 defines them. Nothing here needs the rig running. Deterministic: two runs give
the same bytes.

    /usr/bin/python3 scripts/data/field/make_field.py
    /usr/bin/python3 scripts/data/field/make_field.py --compare http://localhost:8080/tap

--compare checks the written tables against a running rig, cell by cell (access_url aside).
"""
import csv
import importlib.util
import math
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
RIG = os.path.join(ROOT, "tests", "dachs-rig")

# DaCHS column types -> VOTable datatype, arraysize, null value of the integer types
TYPES = {
    "bigint": ("long", None, "-9223372036854775808"),
    "integer": ("int", None, "-2147483648"),
    "smallint": ("short", None, "-32768"),
    "real": ("float", None, None),
    "double precision": ("double", None, None),
    "text": ("char", "*", None),
}


def load_gen_data():
    spec = importlib.util.spec_from_file_location("gen_data", os.path.join(RIG, "gen_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rd_columns(schema):
    """(name, datatype, arraysize, null, unit, ucd, description) of q.rd's main table."""
    tree = ET.parse(os.path.join(RIG, "inputs", schema, "q.rd"))
    cols = []
    for c in tree.getroot().find("table").findall("column"):
        name = c.get("name")
        if name.startswith("quoted/"):
            name = name[len("quoted/"):]
        t = c.get("type")
        if t.startswith("char("):
            dt, size, null = "char", t[5:-1], None
        else:
            dt, size, null = TYPES[t]
        desc = " ".join(c.get("description", "").split())
        cols.append((name, dt, size, null, c.get("unit"), c.get("ucd"), desc))
    return cols


def rd_meta(schema):
    root = ET.parse(os.path.join(RIG, "inputs", schema, "q.rd")).getroot()
    res = " ".join(root.find("meta[@name='description']").text.split())
    table = " ".join(root.find("table").find("meta[@name='description']").text.split())
    return res, table


def num(text, dt):
    """a cell as DaCHS writes it: shortest repr of the stored float/double, NaN for NULL."""
    if text == "" or text is None:
        return "NaN" if dt in ("float", "double") else ""
    if dt == "float":
        return str(np.float32(float(text)))
    if dt == "double":
        return repr(float(text))
    return str(int(text)) if dt in ("long", "int", "short") else text


def field_xml(name, dt, size, null, unit, ucd, desc, utype=None, xtype=None):
    a = ["ID=%s" % quoteattr(name)]
    if size:
        a.append("arraysize=%s" % quoteattr(size))
    a.append("datatype=%s" % quoteattr(dt))
    a.append("name=%s" % quoteattr(name))
    if ucd:
        a.append("ucd=%s" % quoteattr(ucd))
    if unit:
        a.append("unit=%s" % quoteattr(unit))
    if utype:
        a.append("utype=%s" % quoteattr(utype))
    if xtype:
        a.append("xtype=%s" % quoteattr(xtype))
    inner = "<DESCRIPTION>%s</DESCRIPTION>" % escape(desc)
    if null is not None:
        inner += "<VALUES null=%s/>" % quoteattr(null)
    return "      <FIELD %s>%s</FIELD>\n" % (" ".join(a), inner)


def write_votable(path, res_desc, table_name, table_desc, fields, rows, extra=""):
    """fields: tuples as rd_columns gives (plus utype, xtype); rows: lists of cell texts."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write('<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n')
        out.write("  <DESCRIPTION>%s</DESCRIPTION>\n" % escape(res_desc))
        out.write('  <RESOURCE type="results">\n')
        out.write(extra)
        out.write("    <TABLE name=%s>\n" % quoteattr(table_name))
        out.write("      <DESCRIPTION>%s</DESCRIPTION>\n" % escape(table_desc))
        for f in fields:
            out.write(field_xml(*f))
        out.write("      <DATA><TABLEDATA>\n")
        for r in rows:
            out.write("        <TR>" + "".join(
                "<TD/>" if v == "" else "<TD>%s</TD>" % escape(v) for v in r) + "</TR>\n")
        out.write("      </TABLEDATA></DATA>\n    </TABLE>\n  </RESOURCE>\n</VOTABLE>\n")


def read_csv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)


def catalogue(schema, inputs, out_path):
    cols = rd_columns(schema)
    header, rows = read_csv(os.path.join(inputs, schema, "data", schema + ".csv"))
    assert len(header) == len(cols), (schema, header)
    cells = [[num(v, c[1]) for v, c in zip(row, cols)] for row in rows]
    res_desc, table_desc = rd_meta(schema)
    write_votable(out_path, res_desc, "main", table_desc, cols, cells)
    return len(cells)


# ObsCore 1.1 as DaCHS 2.7's //obscore defines ivoa.obscore (name, datatype, arraysize,
# null, unit, ucd, description, utype, xtype), in DaCHS's column order.
OBSCORE = [
    ("dataproduct_type", "char", "*", None, None, "meta.code.class", "High level scientific classification of the data product, taken from an enumeration", "obscore:obsdataset.dataproducttype", None),
    ("dataproduct_subtype", "char", "*", None, None, "meta.code.class", "Data product specific type", "obscore:obsdataset.dataproductsubtype", None),
    ("calib_level", "short", None, "-32768", None, "meta.code;obs.calib", "Amount of data processing that has been applied to the data", "obscore:obsdataset.caliblevel", None),
    ("obs_collection", "char", "*", None, None, "meta.id", "Name of a data collection (e.g., project name) this data belongs to", "obscore:dataid.collection", None),
    ("obs_id", "char", "*", None, None, "meta.id", "Unique identifier for an observation", "obscore:DataID.observationID", None),
    ("obs_title", "char", "*", None, None, "meta.title;obs", "Free-from title of the data set", "obscore:dataid.title", None),
    ("obs_publisher_did", "char", "*", None, None, "meta.ref.ivoid", "Dataset identifier assigned by the publisher.", "obscore:curation.publisherdid", None),
    ("obs_creator_did", "char", "*", None, None, "meta.id", "Dataset identifier assigned by the creator.", "obscore:dataid.creatordid", None),
    ("access_url", "char", "*", None, None, "meta.ref.url", "The URL at which to obtain the data set.", "obscore:access.reference", None),
    ("access_format", "char", "*", None, None, "meta.code.mime", "MIME type of the resource at access_url", "obscore:access.format", None),
    ("access_estsize", "long", None, "-1", "kbyte", "phys.size;meta.file", "Estimated size of data product", "obscore:access.size", None),
    ("target_name", "char", "*", None, None, "meta.id;src", "Object a targeted observation targeted", "obscore:Target.Name", None),
    ("target_class", "char", "*", None, None, "src.class", "Class of the target object (star, QSO, ...)", "obscore:target.class", None),
    ("s_ra", "double", None, None, "deg", "pos.eq.ra", "RA of (center of) observation, ICRS", "obscore:char.spatialaxis.coverage.location.coord.position2d.value2.c1", None),
    ("s_dec", "double", None, None, "deg", "pos.eq.dec", "Dec of (center of) observation, ICRS", "obscore:char.spatialaxis.coverage.location.coord.position2d.value2.c2", None),
    ("s_fov", "double", None, None, "deg", "phys.angSize;instr.fov", "Approximate spatial extent for the region covered by the observation", "obscore:char.spatialaxis.coverage.bounds.extent.diameter", None),
    ("s_region", "char", "*", None, None, "pos.outline;obs.field", "Region covered by the observation, as a polygon", "obscore:char.spatialaxis.coverage.support.area", "adql:REGION"),
    ("s_resolution", "double", None, None, "arcsec", "pos.angResolution", "Best spatial resolution within the data set", "obscore:Char.SpatialAxis.Resolution.refval.value", None),
    ("t_min", "double", None, None, "d", "time.start;obs.exposure", "Lower bound of times represented in the data set, as MJD", "obscore:char.timeaxis.coverage.bounds.limits.starttime", "mjd"),
    ("t_max", "double", None, None, "d", "time.end;obs.exposure", "Upper bound of times represented in the data set, as MJD", "obscore:char.timeaxis.coverage.bounds.limits.stoptime", "mjd"),
    ("t_exptime", "float", None, None, "s", "time.duration;obs.exposure", "Total exposure time", "obscore:char.timeaxis.coverage.support.extent", None),
    ("t_resolution", "float", None, None, "s", "time.resolution", "Minimal significant time interval along the time axis", "obscore:char.timeaxis.resolution.refval.value", None),
    ("em_min", "double", None, None, "m", "em.wl;stat.min", "Minimal wavelength represented within the data set", "obscore:char.spectralaxis.coverage.bounds.limits.lolimit", None),
    ("em_max", "double", None, None, "m", "em.wl;stat.max", "Maximal wavelength represented within the data set", "obscore:char.spectralaxis.coverage.bounds.limits.hilimit", None),
    ("em_res_power", "double", None, None, None, "spect.resolution", "Spectral resolving power lambda/delta lamda", "obscore:char.spectralaxis.resolution.resolpower.refval", None),
    ("o_ucd", "char", "*", None, None, "meta.ucd", "UCD for the product's observable", "obscore:char.observableaxis.ucd", None),
    ("pol_states", "char", "*", None, None, "meta.code;phys.polarization", "List of polarization states in the data set", "obscore:Char.PolarizationAxis.stateList", None),
    ("facility_name", "char", "*", None, None, "meta.id;instr.tel", "Name of the facility at which data was taken", "obscore:Provenance.ObsConfig.facility.name", None),
    ("instrument_name", "char", "*", None, None, "meta.id;instr", "Name of the instrument that produced the data", "obscore:Provenance.ObsConfig.instrument.name", None),
    ("s_xel1", "long", None, "-1", None, "meta.number", "Number of elements (typically pixels) along the first spatial axis.", "obscore:Char.SpatialAxis.numBins1", None),
    ("s_xel2", "long", None, "-1", None, "meta.number", "Number of elements (typically pixels) along the second spatial axis.", "obscore:Char.SpatialAxis.numBins2", None),
    ("t_xel", "long", None, "-1", None, "meta.number", "Number of elements (typically pixels) along the time axis.", "obscore:Char.TimeAxis.numBins", None),
    ("em_xel", "long", None, "-1", None, "meta.number", "Number of elements (typically pixels) along the spectral axis.", "obscore:Char.SpectralAxis.numBins", None),
    ("pol_xel", "long", None, "-1", None, "meta.number", "Number of elements (typically pixels) along the polarization axis.", "obscore:Char.PolarizationAxis.numBins", None),
    ("s_pixel_scale", "double", None, None, "arcsec", "phys.angSize;instr.pixel", "Sampling period in world coordinate units along the spatial axis", "obscore:Char.SpatialAxis.Sampling.RefVal.SamplingPeriod", None),
    ("em_ucd", "char", "*", None, None, "meta.ucd", "Nature of the product's spectral axis (typically, em.freq, em.wl, or em.energy)", "obscore:Char.SpectralAxis.ucd", None),
    ("preview", "char", "*", None, None, "meta.ref.url;meta.preview", "URL of a preview (low-resolution, quick-to-retrieve representation) of the data.", None, None),
    ("source_table", "char", "*", None, None, "meta.id;meta.table", "Name of a TAP-queriable table this data originates from. This source table usually provides more information on the the data than what is given in obscore. See the TAP_SCHEMA of the originating TAP server for details.", None, None),
]


def trim(x):
    """DaCHS/pgsphere style: at most 10 decimals, no trailing zeros."""
    s = "%.10f" % x
    return s.rstrip("0").rstrip(".") if "." in s else s


def fibre_polygon(ra, dec, radius_deg=0.75 / 3600., n=12):
    """The 1.5 arcsec fibre as the rig's 12-gon (pgsphere SCircle.asPoly(12)), as an STC-S string."""
    pts = []
    for k in range(n):
        th = 2 * math.pi * k / n
        pts.append((ra - radius_deg * math.sin(th) / math.cos(math.radians(dec)),
                    dec - radius_deg * math.cos(th)))
    return "Polygon ICRS " + " ".join("%s %s" % (trim(a), trim(d)) for a, d in pts)


def obscore(inputs, out_path):
    header, rows = read_csv(os.path.join(inputs, "specs", "data", "index.csv"))
    ix = {h: i for i, h in enumerate(header)}
    cells = []
    for r in rows:
        g = lambda k: r[ix[k]]
        accref = g("accref")                          # specs/data/spec_NNNN.ext
        fname = accref.rsplit("/", 1)[1]
        ra, dec = float(g("ra")), float(g("dec"))
        v = {
            "dataproduct_type": "spectrum", "dataproduct_subtype": "", "calib_level": "2",
            "obs_collection": "RIG-SPEC", "obs_id": g("obs_id"), "obs_title": "Rig spectrum of " + g("target"),
            "obs_publisher_did": "ivo://rig.test/~?" + accref, "obs_creator_did": "",
            "access_url": "spectra/" + fname, "access_format": g("mime"),
            "access_estsize": str(int(g("fsize")) // 1024), "target_name": g("target"),
            "target_class": g("target_class"), "s_ra": num(g("ra"), "double"), "s_dec": num(g("dec"), "double"),
            "s_fov": "0.000416667", "s_region": fibre_polygon(ra, dec), "s_resolution": "1.2",
            "t_min": num(g("t_min"), "double"), "t_max": num(g("t_max"), "double"),
            "t_exptime": num(g("exptime"), "float"), "t_resolution": "NaN",
            "em_min": "3.8e-07", "em_max": "9.2e-07", "em_res_power": "1800.0",
            "o_ucd": "phot.flux.density;em.wl", "pol_states": "", "facility_name": "RIG Observatory",
            "instrument_name": "RIGSPEC", "s_xel1": "-1", "s_xel2": "-1", "t_xel": "-1",
            "em_xel": g("npix"), "pol_xel": "-1", "s_pixel_scale": "NaN", "em_ucd": "em.wl",
            "preview": "", "source_table": "specs.main",
        }
        cells.append([v[c[0]] for c in OBSCORE])
    coosys = '    <COOSYS ID="system" system="ICRS"/>\n'
    write_votable(out_path, "Definition and support code for the ObsCore data model and table.", "obscore",
                  "The IVOA-defined obscore table, containing generic metadata for datasets within this datacenter.",
                  OBSCORE, cells, coosys)
    return len(cells)


def main():
    if "--compare" in sys.argv:
        return compare(sys.argv[sys.argv.index("--compare") + 1])
    gen = load_gen_data()
    scratch = tempfile.mkdtemp(prefix="voscript-field-")
    try:
        gen.INPUTS = os.path.join(scratch, "inputs")
        gen.TRUTH = os.path.join(scratch, "truth")
        for s in ("cat_a", "cat_b", "cat_c", "specs"):
            os.makedirs(os.path.join(gen.INPUTS, s, "data"))
        sys.argv = [sys.argv[0], "--force"]
        gen.main()
        counts = {}
        for s in ("cat_a", "cat_b", "cat_c"):
            counts[s + ".main"] = catalogue(s, gen.INPUTS, os.path.join(HERE, s + ".vot"))
        counts["ivoa.obscore"] = obscore(gen.INPUTS, os.path.join(HERE, "obscore.vot"))
        spectra = os.path.join(HERE, "spectra")
        shutil.rmtree(spectra, ignore_errors=True)
        os.makedirs(spectra)
        src = os.path.join(gen.INPUTS, "specs", "data")
        for f in sorted(os.listdir(src)):
            if f.startswith("spec_"):
                shutil.copyfile(os.path.join(src, f), os.path.join(spectra, f))
        truth = os.path.join(HERE, "truth")
        os.makedirs(truth, exist_ok=True)
        for f in ("objects.csv", "spectra.csv", "manifest.json"):
            shutil.copyfile(os.path.join(gen.TRUTH, f), os.path.join(truth, f))
        print("make_field: wrote", ", ".join("%s %d rows" % kv for kv in counts.items()))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def compare(tap):
    """Every cell of the written tables against the rig (a developer check; needs the rig up)."""
    import warnings
    warnings.simplefilter("ignore")
    from urllib.parse import urlencode
    from urllib.request import urlopen
    from astropy.io.votable import parse_single_table
    import io
    bad = 0
    for path, table, key in (("cat_a.vot", "cat_a.main", "source_id"), ("cat_b.vot", "cat_b.main", '"2MASS"'),
                             ("cat_c.vot", "cat_c.main", "objid"), ("obscore.vot", "ivoa.obscore", "obs_id")):
        q = urlencode({"LANG": "ADQL", "RESPONSEFORMAT": "votable/td", "QUERY": "SELECT * FROM %s ORDER BY %s" % (table, key)})
        remote = parse_single_table(io.BytesIO(urlopen(tap.rstrip("/") + "/sync", q.encode()).read()))
        local = parse_single_table(os.path.join(HERE, path))
        k = key.strip('"')
        where = {str(v): n for n, v in enumerate(local.array[k])}
        order = [where.get(str(v), -1) for v in remote.array[k]]
        lf = [f.name for f in local.fields]
        rf = [f.name for f in remote.fields]
        if lf != rf:
            print("%s: columns differ: %s vs %s" % (table, lf, rf)); bad += 1; continue
        for lfld, rfld in zip(local.fields, remote.fields):
            for attr in ("datatype", "unit", "ucd", "utype", "xtype", "arraysize"):
                a, b = getattr(lfld, attr), getattr(rfld, attr)
                if str(a) != str(b):
                    print("%s.%s: %s %r vs DaCHS %r" % (table, lfld.name, attr, a, b)); bad += 1
        if len(local.array) != len(remote.array):
            print("%s: %d rows vs DaCHS %d" % (table, len(local.array), len(remote.array))); bad += 1; continue
        for name in lf:
            if name == "access_url":
                continue
            for i, j in enumerate(order):
                if j < 0:
                    bad += 1
                    print("%s: row %s is not in %s" % (table, remote.array[k][i], path))
                    continue
                a, b = local.array[name][j], remote.array[name][i]
                ma, mb = np.ma.is_masked(a), np.ma.is_masked(b)
                if ma or mb:
                    same = ma == mb or (ma and str(b) in ("", "nan")) or (mb and str(a) in ("", "nan"))
                elif isinstance(a, (float, np.floating)):
                    same = (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1, abs(b))
                elif name == "s_region":
                    pa, pb = str(a).split()[2:], str(b).split()[2:]
                    same = len(pa) == len(pb) and all(abs(float(x) - float(y)) < 1e-9 for x, y in zip(pa, pb))
                else:
                    same = str(a) == str(b)
                if not same:
                    bad += 1
                    if bad < 20:
                        print("%s row %d %s: %r vs DaCHS %r" % (table, i, name, a, b))
        print("%s: %d rows compared" % (table, len(local.array)))
    print("compare: %d differences" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
