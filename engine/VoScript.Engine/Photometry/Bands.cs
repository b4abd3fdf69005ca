namespace VoScript.Engine.Photometry;

/// <summary>Magnitude system of a band.</summary>
internal enum MagSystem
{
    Vega,
    AB,
}

/// <summary>
/// A photometric band: its filter (SVO Filter Profile Service id), effective wavelength,
/// zero point and the UCD word that covers it.
/// </summary>
/// <param name="Name">Display name, e.g. <c>2MASS Ks</c>.</param>
/// <param name="Family">Survey or system, e.g. <c>2MASS</c>.</param>
/// <param name="FilterId">SVO filter id, e.g. <c>2MASS/2MASS.Ks</c>.</param>
/// <param name="WavelengthMicrons">Effective (or pivot) wavelength in µm.</param>
/// <param name="ZeroPointJy">Flux density of magnitude 0, in Jy.</param>
/// <param name="System">Vega or AB.</param>
/// <param name="EmWord">The UCD band word (<c>em.IR.K</c>).</param>
/// <param name="AbOffset">Added to a catalogue magnitude to get a true AB magnitude (SDSS u −0.04, z +0.02); 0 otherwise.</param>
internal sealed record Band(string Name, string Family, string FilterId, double WavelengthMicrons, double ZeroPointJy, MagSystem System, string EmWord, double AbOffset = 0)
{
    public override string ToString() => Name;
}

/// <summary>
/// The band table (documented with its sources in docs/photometry.md). Wavelengths and
/// zero points: Johnson–Cousins from Bessell, Castelli &amp; Plez (1998); 2MASS from Cohen et
/// al. (2003) via the SVO Filter Profile Service; SDSS effective wavelengths as quoted by SDSS
/// (AB, 3631 Jy, with the u/z AB offsets of the SDSS DR notes); Gaia DR3 pivot wavelengths and
/// Vega zero points from SVO (GAIA/GAIA3); WISE from SVO (Jarrett et al. 2011); GALEX pivot
/// wavelengths (AB); Pan-STARRS1 effective wavelengths from Tonry et al. (2012) (AB).
/// </summary>
internal static class Bands
{
    public static readonly Band JohnsonU = new("Johnson U", "Johnson", "Generic/Johnson.U", 0.366, 1790, MagSystem.Vega, "em.opt.U");
    public static readonly Band JohnsonB = new("Johnson B", "Johnson", "Generic/Johnson.B", 0.438, 4063, MagSystem.Vega, "em.opt.B");
    public static readonly Band JohnsonV = new("Johnson V", "Johnson", "Generic/Johnson.V", 0.545, 3636, MagSystem.Vega, "em.opt.V");
    public static readonly Band CousinsR = new("Cousins R", "Johnson", "Generic/Cousins.R", 0.641, 3064, MagSystem.Vega, "em.opt.R");
    public static readonly Band CousinsI = new("Cousins I", "Johnson", "Generic/Cousins.I", 0.798, 2416, MagSystem.Vega, "em.opt.I");

    public static readonly Band TwoMassJ = new("2MASS J", "2MASS", "2MASS/2MASS.J", 1.235, 1594, MagSystem.Vega, "em.IR.J");
    public static readonly Band TwoMassH = new("2MASS H", "2MASS", "2MASS/2MASS.H", 1.662, 1024, MagSystem.Vega, "em.IR.H");
    public static readonly Band TwoMassKs = new("2MASS Ks", "2MASS", "2MASS/2MASS.Ks", 2.159, 666.7, MagSystem.Vega, "em.IR.K");

    public static readonly Band SdssU = new("SDSS u", "SDSS", "SLOAN/SDSS.u", 0.3543, 3631, MagSystem.AB, "em.opt.U", -0.04);
    public static readonly Band SdssG = new("SDSS g", "SDSS", "SLOAN/SDSS.g", 0.4770, 3631, MagSystem.AB, "em.opt.B");
    public static readonly Band SdssR = new("SDSS r", "SDSS", "SLOAN/SDSS.r", 0.6231, 3631, MagSystem.AB, "em.opt.R");
    public static readonly Band SdssI = new("SDSS i", "SDSS", "SLOAN/SDSS.i", 0.7625, 3631, MagSystem.AB, "em.opt.I");
    public static readonly Band SdssZ = new("SDSS z", "SDSS", "SLOAN/SDSS.z", 0.9134, 3631, MagSystem.AB, "em.opt.I", 0.02);

    public static readonly Band GaiaG = new("Gaia G", "Gaia", "GAIA/GAIA3.G", 0.62176, 3228.75, MagSystem.Vega, "em.opt");
    public static readonly Band GaiaBp = new("Gaia BP", "Gaia", "GAIA/GAIA3.Gbp", 0.51097, 3552.01, MagSystem.Vega, "em.opt.B");
    public static readonly Band GaiaRp = new("Gaia RP", "Gaia", "GAIA/GAIA3.Grp", 0.77690, 2554.95, MagSystem.Vega, "em.opt.R");

    public static readonly Band WiseW1 = new("WISE W1", "WISE", "WISE/WISE.W1", 3.3526, 309.54, MagSystem.Vega, "em.IR.3-4um");
    public static readonly Band WiseW2 = new("WISE W2", "WISE", "WISE/WISE.W2", 4.6028, 171.79, MagSystem.Vega, "em.IR.4-8um");
    public static readonly Band WiseW3 = new("WISE W3", "WISE", "WISE/WISE.W3", 11.5608, 31.67, MagSystem.Vega, "em.IR.8-15um");
    public static readonly Band WiseW4 = new("WISE W4", "WISE", "WISE/WISE.W4", 22.0883, 8.36, MagSystem.Vega, "em.IR.15-30um");

    public static readonly Band GalexFuv = new("GALEX FUV", "GALEX", "GALEX/GALEX.FUV", 0.15386, 3631, MagSystem.AB, "em.UV.100-200nm");
    public static readonly Band GalexNuv = new("GALEX NUV", "GALEX", "GALEX/GALEX.NUV", 0.23157, 3631, MagSystem.AB, "em.UV.200-300nm");

    public static readonly Band Ps1G = new("PS1 g", "Pan-STARRS", "PAN-STARRS/PS1.g", 0.481, 3631, MagSystem.AB, "em.opt.B");
    public static readonly Band Ps1R = new("PS1 r", "Pan-STARRS", "PAN-STARRS/PS1.r", 0.617, 3631, MagSystem.AB, "em.opt.R");
    public static readonly Band Ps1I = new("PS1 i", "Pan-STARRS", "PAN-STARRS/PS1.i", 0.752, 3631, MagSystem.AB, "em.opt.I");
    public static readonly Band Ps1Z = new("PS1 z", "Pan-STARRS", "PAN-STARRS/PS1.z", 0.866, 3631, MagSystem.AB, "em.opt.I");
    public static readonly Band Ps1Y = new("PS1 y", "Pan-STARRS", "PAN-STARRS/PS1.y", 0.962, 3631, MagSystem.AB, "em.IR.NIR");

    /// <summary>Every band, in wavelength order within each family.</summary>
    public static IReadOnlyList<Band> All { get; } =
    [
        JohnsonU, JohnsonB, JohnsonV, CousinsR, CousinsI,
        TwoMassJ, TwoMassH, TwoMassKs,
        SdssU, SdssG, SdssR, SdssI, SdssZ,
        GaiaBp, GaiaG, GaiaRp,
        WiseW1, WiseW2, WiseW3, WiseW4,
        GalexFuv, GalexNuv,
        Ps1G, Ps1R, Ps1I, Ps1Z, Ps1Y,
    ];

    /// <summary>The default band for a UCD band word alone (no name hint): Johnson–Cousins for em.opt.*, 2MASS for em.IR.J/H/K, WISE, GALEX.</summary>
    public static Band? FromEmWord(string? emWord) => emWord?.ToLowerInvariant() switch
    {
        "em.opt.u" => JohnsonU,
        "em.opt.b" => JohnsonB,
        "em.opt.v" => JohnsonV,
        "em.opt.r" => CousinsR,
        "em.opt.i" => CousinsI,
        "em.ir.j" => TwoMassJ,
        "em.ir.h" => TwoMassH,
        "em.ir.k" => TwoMassKs,
        "em.ir.3-4um" => WiseW1,
        "em.ir.4-8um" => WiseW2,
        "em.ir.8-15um" => WiseW3,
        "em.ir.15-30um" => WiseW4,
        "em.uv.100-200nm" => GalexFuv,
        "em.uv.200-300nm" => GalexNuv,
        _ => null,
    };
}
