using System.Data.Common;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Server.Storage;

/// <summary>Collects one column of a query result (a DuckDB reader) into a typed <see cref="Column"/> with the source column's metadata.</summary>
internal abstract class ResultColumn
{
    public abstract void Add(DbDataReader r, int i);
    public abstract Column Build();

    public static ResultColumn For(OutputColumn o, Type clr)
    {
        Field F(DataType dt, ArraySize? size = null)
        {
            Field f;
            if (o.Source is { } src)
            {
                f = src.Clone();
                f.Name = o.Name;
                f.Id = null;
                f.Ref = null;
                // a string column keeps its declared arraysize (char[10] stays so); others take the type read
                if (o.Kind == StorageKind.Native && !(src.IsString && dt.IsText())) { f.DataType = dt; f.ArraySize = size ?? ArraySize.Scalar; }
            }
            else
            {
                f = new Field(o.Name, dt, size);
                f.XType = o.XType;
                if (o.XType is "point" or "circle" or "polygon") f.Unit = "deg";
            }
            return f;
        }
        if (o.Source is { } s && o.Kind == StorageKind.Text) return new TextCells(F(s.DataType, s.ArraySize));
        if (clr == typeof(bool)) return new Scalars<bool>(F(o.Source?.DataType == DataType.Bit ? DataType.Bit : DataType.Boolean), (r, i) => r.GetBoolean(i));
        if (clr == typeof(byte)) return new Scalars<byte>(F(DataType.UnsignedByte), (r, i) => r.GetByte(i));
        if (clr == typeof(sbyte)) return new Scalars<short>(F(DataType.Short), (r, i) => (short)r.GetFieldValue<sbyte>(i));
        if (clr == typeof(short)) return new Scalars<short>(F(DataType.Short), (r, i) => r.GetInt16(i));
        if (clr == typeof(ushort)) return new Scalars<int>(F(DataType.Int), (r, i) => r.GetFieldValue<ushort>(i));
        if (clr == typeof(int)) return new Scalars<int>(F(DataType.Int), (r, i) => r.GetInt32(i));
        if (clr == typeof(uint)) return new Scalars<long>(F(DataType.Long), (r, i) => r.GetFieldValue<uint>(i));
        if (clr == typeof(long)) return new Scalars<long>(F(DataType.Long), (r, i) => r.GetInt64(i));
        if (clr == typeof(ulong)) return new Scalars<long>(F(DataType.Long), (r, i) => (long)r.GetFieldValue<ulong>(i));
        if (clr == typeof(BigInteger) || clr == typeof(Int128) || clr == typeof(UInt128))
            return new Scalars<long>(F(DataType.Long), (r, i) => HugeToLong(r.GetValue(i)));
        if (clr == typeof(float)) return new Scalars<float>(F(DataType.Float), (r, i) => r.GetFloat(i));
        if (clr == typeof(double)) return new Scalars<double>(F(DataType.Double), (r, i) => r.GetDouble(i));
        if (clr == typeof(decimal)) return new Scalars<double>(F(DataType.Double), (r, i) => (double)r.GetDecimal(i));
        if (typeof(System.Collections.IEnumerable).IsAssignableFrom(clr) && clr != typeof(string))
            return new DoubleLists(F(DataType.Double, o.XType == "point" ? ArraySize.Fixed(2) : o.XType == "circle" ? ArraySize.Fixed(3) : ArraySize.Variable));
        return new Strings(F(o.Source?.DataType is DataType.UnicodeChar ? DataType.UnicodeChar : DataType.Char, ArraySize.Variable));
    }

    /// <summary>DuckDB's 128-bit integers (SUM of integers) as a long, the largest VOTable integer.</summary>
    private static long HugeToLong(object v) => v switch
    {
        BigInteger b => (long)b,
        Int128 i => (long)i,
        UInt128 u => (long)u,
        _ => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed class Scalars<T>(Field field, Func<DbDataReader, int, T> get) : ResultColumn where T : unmanaged
    {
        private readonly List<T> _values = [];
        private NullMask? _nulls;

        public override void Add(DbDataReader r, int i)
        {
            if (r.IsDBNull(i)) { (_nulls ??= new NullMask()).Set(_values.Count); _values.Add(default); }
            else _values.Add(get(r, i));
        }

        public override Column Build() => new ScalarColumn<T>(field, _values.ToArray(), _nulls);
    }

    private sealed class Strings(Field field) : ResultColumn
    {
        private readonly List<string?> _values = [];

        public override void Add(DbDataReader r, int i) =>
            _values.Add(r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));

        public override Column Build() => new StringColumn(field, _values.ToArray());
    }

    private sealed class DoubleLists(Field field) : ResultColumn
    {
        private readonly List<double> _data = [];
        private readonly List<int> _offsets = [0];
        private NullMask? _nulls;

        public override void Add(DbDataReader r, int i)
        {
            if (r.IsDBNull(i)) (_nulls ??= new NullMask()).Set(_offsets.Count - 1);
            else
                foreach (var v in (System.Collections.IEnumerable)r.GetValue(i))
                    _data.Add(v is null ? double.NaN : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture));
            _offsets.Add(_data.Count);
        }

        public override Column Build() => new ArrayColumn<double>(field, _data.ToArray(), _offsets.ToArray(), _offsets.Count - 1, _nulls);
    }

    /// <summary>Array or complex cells kept as TABLEDATA text: decoded with the VOTable codec's own cell parser.</summary>
    private sealed class TextCells(Field field) : ResultColumn
    {
        private readonly ColumnBuilder _builder = ColumnBuilder.Create(field, field.ArraySize, new NoWarnings());

        public override void Add(DbDataReader r, int i) =>
            _builder.AddText(r.IsDBNull(i) ? [] : Encoding.UTF8.GetBytes(r.GetString(i)));

        public override Column Build() => _builder.Build();
    }

    private sealed class NoWarnings : IWarningSink
    {
        public void Warn(string code, string message) { }
    }
}
