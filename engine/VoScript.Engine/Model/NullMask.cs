namespace VoScript.Engine.Model;

/// <summary>One bit per row, set when the cell is null. Grows on demand.</summary>
public sealed class NullMask
{
    private ulong[] _bits;

    /// <summary>A mask with room for <paramref name="capacity"/> rows (it grows when needed).</summary>
    public NullMask(int capacity = 0) => _bits = new ulong[Math.Max(1, (capacity + 63) >> 6)];

    /// <summary>Whether the row is null.</summary>
    public bool this[int row]
    {
        get
        {
            var w = row >> 6;
            return w < _bits.Length && (_bits[w] & (1UL << (row & 63))) != 0;
        }
    }

    /// <summary>Marks the row null.</summary>
    public void Set(int row)
    {
        var w = row >> 6;
        if (w >= _bits.Length) Array.Resize(ref _bits, Math.Max(w + 1, _bits.Length * 2));
        _bits[w] |= 1UL << (row & 63);
    }

    /// <summary>Makes room for <paramref name="rows"/> rows, so that <see cref="Set"/> below that never reallocates (then
    /// threads may set rows in different 64-row words at once).</summary>
    internal void EnsureCapacity(int rows)
    {
        var words = (rows + 63) >> 6;
        if (words > _bits.Length) Array.Resize(ref _bits, Math.Max(words, Math.Min(_bits.Length * 2, (Array.MaxLength >> 6) + 1)));
    }

    /// <summary>A mask over the given words (used as they are, not copied).</summary>
    internal static NullMask FromWords(ulong[] words) => new(0) { _bits = words.Length > 0 ? words : new ulong[1] };

    /// <summary>The words of the mask (bit r % 64 of word r / 64 is row r); rows beyond them are not null.</summary>
    internal ReadOnlySpan<ulong> Words => _bits;

    /// <summary>Marks the row not null.</summary>
    public void Clear(int row)
    {
        var w = row >> 6;
        if (w < _bits.Length) _bits[w] &= ~(1UL << (row & 63));
    }

    /// <summary>Number of null rows among the first <paramref name="count"/>.</summary>
    public int Count(int count)
    {
        var n = 0;
        var full = count >> 6;
        for (var i = 0; i < full && i < _bits.Length; i++) n += System.Numerics.BitOperations.PopCount(_bits[i]);
        if ((count & 63) != 0 && full < _bits.Length)
            n += System.Numerics.BitOperations.PopCount(_bits[full] & ((1UL << (count & 63)) - 1));
        return n;
    }

    /// <summary>A copy.</summary>
    public NullMask Clone()
    {
        var m = new NullMask(0) { _bits = (ulong[])_bits.Clone() };
        return m;
    }
}
