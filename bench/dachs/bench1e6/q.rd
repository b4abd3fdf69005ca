<?xml version="1.0" encoding="utf-8"?>
<!-- bench1e6: the 1e6-row catalogue of bench/serve-compare.sh (voscript serve vs
     DaCHS), made by bench/scripts/gen_serve_bench.py.  Positions are uniform in a
     cap of 5 deg around (150, 2).  Two copies of the same rows with the two
     positional indexes DaCHS deployments use:
       bench1e6.main      q3c index on (ra, dec)           (//scs#q3cindex)
       bench1e6.main_pgs  pgSphere index on spoint(ra, dec) (//scs#pgs-pos-index)
     Both mixins also CLUSTER the table on the index, as DaCHS does for catalogues.
     serve-compare.sh copies this RD next to its data (main.csv) outside the rig's
     inputs/ and imports it by absolute path, so the rig's own tables, inputs and
     registry records are not touched.  No <publish>: not a registry resource. -->
<resource schema="bench1e6" resdir=".">
  <meta name="title">serve-compare benchmark catalogue (1e6 rows)</meta>
  <meta name="description">Synthetic catalogue for the voscript serve vs DaCHS
    benchmark: 1e6 sources uniform in a 5 deg cap around RA 150, Dec 2.</meta>
  <meta name="creationDate">2026-11-25T00:00:00Z</meta>
  <meta name="subject">photometry</meta>
  <meta name="creator.name">VoScript benchmarks</meta>
  <meta name="content.type">Catalog</meta>

  <STREAM id="cols">
    <column name="id" type="bigint" required="True" ucd="meta.id;meta.main"
      description="Source identifier"/>
    <column name="ra" type="double precision" unit="deg"
      ucd="pos.eq.ra;meta.main" description="Right ascension (ICRS)"/>
    <column name="dec" type="double precision" unit="deg"
      ucd="pos.eq.dec;meta.main" description="Declination (ICRS)"/>
    <column name="mag_u" type="real" unit="mag" ucd="phot.mag;em.opt.U" description="U magnitude"/>
    <column name="mag_b" type="real" unit="mag" ucd="phot.mag;em.opt.B" description="B magnitude"/>
    <column name="mag_v" type="real" unit="mag" ucd="phot.mag;em.opt.V" description="V magnitude"/>
    <column name="mag_r" type="real" unit="mag" ucd="phot.mag;em.opt.R" description="R magnitude"/>
    <column name="mag_i" type="real" unit="mag" ucd="phot.mag;em.opt.I" description="I magnitude"/>
    <column name="mag_j" type="real" unit="mag" ucd="phot.mag;em.IR.J" description="J magnitude"/>
    <column name="mag_h" type="real" unit="mag" ucd="phot.mag;em.IR.H" description="H magnitude"/>
    <column name="mag_k" type="real" unit="mag" ucd="phot.mag;em.IR.K" description="K magnitude"/>
    <column name="mag_err" type="real" unit="mag" ucd="stat.error;phot.mag"
      description="Magnitude error"/>
    <column name="name" type="text" ucd="meta.id" description="Source name"/>
  </STREAM>

  <table id="main" onDisk="True" adql="True" primary="id" mixin="//scs#q3cindex">
    <meta name="description">Benchmark sources, q3c-indexed.</meta>
    <FEED source="cols"/>
  </table>

  <table id="main_pgs" onDisk="True" adql="True" primary="id"
      mixin="//scs#pgs-pos-index">
    <meta name="description">The same sources, pgSphere-indexed.</meta>
    <FEED source="cols"/>
  </table>

  <data id="import">
    <sources>main.csv</sources>
    <csvGrammar/>
    <make table="main">
      <rowmaker idmaps="*"/>
    </make>
    <make table="main_pgs">
      <rowmaker idmaps="*"/>
    </make>
  </data>
</resource>
