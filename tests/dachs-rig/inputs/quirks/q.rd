<?xml version="1.0" encoding="utf-8"?>
<!-- quirks: the quirk corpus of VoScript issue #18, made by gen_quirks.py (see its notes on the real
     archives each quirk comes from). Units and UCDs are the services' own spellings ON PURPOSE
     (radians, degrees, Degrees, h, arcmin, mags, mag(AB), ABmag, microJansky, 1e-17erg/s/cm2/A,
     h:m:s; UCD1 words the CDS list lacks, the deprecated phot.fluxDens). No sentinel is declared as
     a null value. The tables are not published to the registry (no publish element), so the RegTAP
     records of the rig stay as they are. Keep this file and gen_quirks.py in step. -->
<resource schema="quirks">
  <meta name="title">Rig quirk corpus (VoScript #18)</meta>
  <meta name="description">Six small synthetic catalogues of the same 30 objects around RA 151.0, Dec 2.5, each with the unit, UCD and null-value habits of a real archive.</meta>
  <meta name="creationDate">2026-12-07T00:00:00Z</meta>
  <meta name="subject">photometry</meta>
  <meta name="creator.name">DaCHS test rig</meta>
  <meta name="content.type">Catalog</meta>

  <table id="ssa" onDisk="True" adql="True">
    <meta name="description">Quirk table ssa (gen_quirks.py).</meta>
    <column name="objID" type="bigint" ucd="ID_MAIN" description="objID"/>
    <column name="ra" type="double precision" unit="radians" ucd="POS_EQ_RA_MAIN" description="ra"/>
    <column name="dec" type="double precision" unit="radians" ucd="POS_EQ_DEC_MAIN" description="dec"/>
    <column name="classMagB" type="real" unit="mag" ucd="PHOT_PHG_BJ" description="classMagB"/>
    <column name="classMagR2" type="real" unit="mag" ucd="PHOT_PHG_R" description="classMagR2"/>
    <column name="classMagI" type="real" unit="mag" ucd="PHOT_PHG_I" description="classMagI"/>
  </table>
  <data id="import_ssa">
    <sources>data/ssa.csv</sources>
    <csvGrammar/>
    <make table="ssa">
      <rowmaker idmaps="*"/>
    </make>
  </data>
  <table id="wsa" onDisk="True" adql="True">
    <meta name="description">Quirk table wsa (gen_quirks.py).</meta>
    <column name="sourceID" type="bigint" ucd="ID_MAIN" description="sourceID"/>
    <column name="ra" type="double precision" unit="degrees" ucd="POS_EQ_RA_MAIN" description="ra"/>
    <column name="dec" type="double precision" unit="degrees" ucd="POS_EQ_DEC_MAIN" description="dec"/>
    <column name="yAperMag3" type="real" unit="mag" ucd="PHOT_WFCAM_Y" description="yAperMag3"/>
    <column name="yAperMag3Err" type="real" unit="mag" ucd="ERROR" description="yAperMag3Err"/>
    <column name="jAperMag3" type="real" unit="mag" ucd="PHOT_WFCAM_J" description="jAperMag3"/>
    <column name="jAperMag3Err" type="real" unit="mag" ucd="ERROR" description="jAperMag3Err"/>
    <column name="hAperMag3" type="real" unit="mag" ucd="PHOT_WFCAM_H" description="hAperMag3"/>
    <column name="hAperMag3Err" type="real" unit="mag" ucd="ERROR" description="hAperMag3Err"/>
    <column name="kAperMag3" type="real" unit="mag" ucd="PHOT_WFCAM_K" description="kAperMag3"/>
    <column name="kAperMag3Err" type="real" unit="mag" ucd="ERROR" description="kAperMag3Err"/>
  </table>
  <data id="import_wsa">
    <sources>data/wsa.csv</sources>
    <csvGrammar/>
    <make table="wsa">
      <rowmaker idmaps="*"/>
    </make>
  </data>
  <table id="ps1" onDisk="True" adql="True">
    <meta name="description">Quirk table ps1 (gen_quirks.py).</meta>
    <column name="objID" type="bigint" ucd="meta.id;meta.main" description="objID"/>
    <column name="raMean" type="double precision" unit="deg" ucd="pos.eq.ra;meta.main" description="raMean"/>
    <column name="decMean" type="double precision" unit="deg" ucd="pos.eq.dec;meta.main" description="decMean"/>
    <column name="gMeanPSFMag" type="real" unit="mag(AB)" ucd="PHOT_PS1_G" description="gMeanPSFMag"/>
    <column name="gMeanPSFMagErr" type="real" unit="mag(AB)" ucd="PHOT_PS1_G_ERROR" description="gMeanPSFMagErr"/>
    <column name="rMeanPSFMag" type="real" unit="mag(AB)" ucd="PHOT_PS1_R" description="rMeanPSFMag"/>
    <column name="rMeanPSFMagErr" type="real" unit="mag(AB)" ucd="PHOT_PS1_R_ERROR" description="rMeanPSFMagErr"/>
    <column name="iMeanPSFMag" type="real" unit="mag(AB)" ucd="PHOT_PS1_I" description="iMeanPSFMag"/>
    <column name="zMeanPSFMag" type="real" unit="mag(AB)" ucd="PHOT_PS1_Z" description="zMeanPSFMag"/>
    <column name="yMeanPSFMag" type="real" unit="mag(AB)" ucd="PHOT_PS1_Y" description="yMeanPSFMag"/>
    <column name="yMeanPSFMagErr" type="real" unit="mag(AB)" ucd="PHOT_PS1_Y_ERROR" description="yMeanPSFMagErr"/>
  </table>
  <data id="import_ps1">
    <sources>data/ps1.csv</sources>
    <csvGrammar/>
    <make table="ps1">
      <rowmaker idmaps="*"/>
    </make>
  </data>
  <table id="galex" onDisk="True" adql="True">
    <meta name="description">Quirk table galex (gen_quirks.py).</meta>
    <column name="objid" type="bigint" ucd="meta.id;meta.main" description="objid"/>
    <column name="ra" type="double precision" unit="Degrees" ucd="pos.eq.ra;meta.main" description="ra"/>
    <column name="dec" type="double precision" unit="Degrees" ucd="pos.eq.dec;meta.main" description="dec"/>
    <column name="fuv_mag" type="real" unit="ABmag" ucd="phot.mag;em.UV.100-200nm" description="fuv_mag"/>
    <column name="fuv_magerr" type="real" unit="ABmag" ucd="stat.error;phot.mag;em.UV.100-200nm" description="fuv_magerr"/>
    <column name="nuv_mag" type="real" unit="ABmag" ucd="phot.mag;em.UV.200-300nm" description="nuv_mag"/>
    <column name="nuv_flux" type="real" unit="microJansky" ucd="phot.fluxDens;em.UV.200-300nm" description="nuv_flux"/>
    <column name="nuv_flux_err" type="real" unit="microJansky" ucd="stat.error;phot.fluxDens;em.UV.200-300nm" description="nuv_flux_err"/>
    <column name="fuv_flam" type="double precision" unit="1e-17erg/s/cm2/A" ucd="phot.flux.density;em.UV.100-200nm" description="fuv_flam"/>
  </table>
  <data id="import_galex">
    <sources>data/galex.csv</sources>
    <csvGrammar/>
    <make table="galex">
      <rowmaker idmaps="*"/>
    </make>
  </data>
  <table id="simbad" onDisk="True" adql="True">
    <meta name="description">Quirk table simbad (gen_quirks.py).</meta>
    <column name="main_id" type="text" ucd="meta.id;meta.main" description="main_id"/>
    <column name="ra" type="text" unit="h:m:s" ucd="pos.eq.ra;meta.main" description="ra"/>
    <column name="dec" type="text" unit="d:m:s" ucd="pos.eq.dec;meta.main" description="dec"/>
    <column name="flux_B" type="text" unit="mag" ucd="phot.mag;em.opt.B" description="flux_B"/>
    <column name="flux_V" type="text" unit="mag" ucd="phot.mag;em.opt.V" description="flux_V"/>
  </table>
  <data id="import_simbad">
    <sources>data/simbad.csv</sources>
    <csvGrammar/>
    <make table="simbad">
      <rowmaker idmaps="*"/>
    </make>
  </data>
  <table id="hours" onDisk="True" adql="True">
    <meta name="description">Quirk table hours (gen_quirks.py).</meta>
    <column name="Name" type="text" description="Name"/>
    <column name="RAh" type="double precision" unit="h" ucd="pos.eq.ra;meta.main" description="RAh"/>
    <column name="DEam" type="double precision" unit="arcmin" ucd="pos.eq.dec;meta.main" description="DEam"/>
    <column name="Vmag" type="real" unit="mags" description="Vmag"/>
    <column name="e_Vmag" type="real" unit="mags" description="e_Vmag"/>
  </table>
  <data id="import_hours">
    <sources>data/hours.csv</sources>
    <csvGrammar/>
    <make table="hours">
      <rowmaker idmaps="*"/>
    </make>
  </data>
</resource>
