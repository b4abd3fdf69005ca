using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableWriter: the datatype, arraysize and null value a column is written with.</summary>
public static partial class VOTableWriter
{
    private sealed partial class Writer
    {
        /// <summary>The field as written: datatype and arraysize agree with the column's storage.</summary>
        private Field PrepareField(Column c)
        {
            var f = c.Field.Clone();
            var declared = f.DataType;
            switch (c)
            {
                case StringColumn:
                    if (!f.DataType.IsText()) f.DataType = DataType.Char;
                    if (!f.IsString || f.ArraySize.IsScalar) f.ArraySize = ArraySize.Variable;
                    break;
                default:
                    var t = c.ElementType.IsArray ? c.ElementType.GetElementType()! : c.ElementType;
                    var dt = TypeFor(t, f.DataType);
                    f.DataType = dt;
                    if (c.ElementType.IsArray)
                    {
                        if (f.ArraySize.IsScalar || (dt.IsText() && f.IsString)) f.ArraySize = dt.IsText() ? ArraySize.VariableWith([1], null) : ArraySize.Variable;
                    }
                    else f.ArraySize = ArraySize.Scalar;
                    break;
            }
            if (c is StringColumn sc && f.DataType == DataType.Char && _o.Serialization != VOTableSerialization.TableData && HasNonAscii(sc))
            {
                f.DataType = DataType.UnicodeChar;
                declared = DataType.UnicodeChar;
                Warn(WarningCodes.NonAsciiChar, $"column '{f.Name}' is char but holds non-ASCII text; written as unicodeChar");
            }
            if (f.DataType != declared)
                Warn("VOT-DATATYPE-WRITE", $"column '{f.Name}' declared {declared.VOTableName()} but holds {f.DataType.VOTableName()} values; written as {f.DataType.VOTableName()}");
            if (_o.Serialization == VOTableSerialization.Binary && c.NullCount > 0 && f.DataType.IsInteger() && c is not StringColumn && !c.ElementType.IsArray)
            {
                if (f.Values?.Null is null || !long.TryParse(f.Values.Null, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    var pick = PickNull(c, f.DataType);
                    f.Values ??= new FieldValues();
                    f.Values.Null = pick.ToString(CultureInfo.InvariantCulture);
                    Warn("VOT-NULL-DECLARED", $"column '{f.Name}' has nulls; BINARY needs a null value, declared VALUES null=\"{f.Values.Null}\"");
                }
            }
            if (c is { ElementType.IsArray: true } && f.DataType.IsInteger() && ElementNullsOf(c) is { } en
                && (f.Values?.Null is null || !long.TryParse(f.Values.Null, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                var pick = PickElementNull(c, en, f.DataType);
                f.Values ??= new FieldValues();
                f.Values.Null = pick.ToString(CultureInfo.InvariantCulture);
                Warn("VOT-NULL-DECLARED", $"column '{f.Name}' has null array elements; declared VALUES null=\"{f.Values.Null}\" for them");
            }
            return f;
        }

        private static NullMask? ElementNullsOf(Column c) => c switch
        {
            ArrayColumn<long> a => a.ElementNulls,
            ArrayColumn<int> a => a.ElementNulls,
            ArrayColumn<short> a => a.ElementNulls,
            ArrayColumn<byte> a => a.ElementNulls,
            _ => null,
        };

        /// <summary>An integer no non-null element of the array column uses, for its null elements.</summary>
        private static long PickElementNull(Column c, NullMask elementNulls, DataType dt)
        {
            var used = new HashSet<long>();
            void Add<T>(ArrayColumn<T> a) where T : unmanaged
            {
                for (var i = 0; i < a.Offsets[a.Count]; i++)
                    if (!elementNulls[i]) used.Add(Convert.ToInt64(a.Data[i], CultureInfo.InvariantCulture));
            }
            switch (c)
            {
                case ArrayColumn<long> a: Add(a); break;
                case ArrayColumn<int> a: Add(a); break;
                case ArrayColumn<short> a: Add(a); break;
                case ArrayColumn<byte> a: Add(a); break;
            }
            var (min, max) = dt switch
            {
                DataType.UnsignedByte => (0L, 255L),
                DataType.Short => (short.MinValue, (long)short.MaxValue),
                DataType.Int => (int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            if (dt == DataType.UnsignedByte)
            {
                for (var v = max; v >= min; v--) if (!used.Contains(v)) return v;
            }
            else
            {
                for (var v = min; v < min + used.Count + 1; v++) if (!used.Contains(v)) return v;
            }
            throw new VoScriptException($"column '{c.Name}' uses every {dt.VOTableName()} value, so its null elements cannot be written; leave them out or use a wider type");
        }

        private static bool HasNonAscii(StringColumn c) => !c.IsAscii;

        private static DataType TypeFor(Type t, DataType declared)
        {
            if (t == typeof(bool)) return declared == DataType.Bit ? DataType.Bit : DataType.Boolean;
            if (t == typeof(byte)) return DataType.UnsignedByte;
            if (t == typeof(short)) return DataType.Short;
            if (t == typeof(int)) return DataType.Int;
            if (t == typeof(long)) return DataType.Long;
            if (t == typeof(float)) return DataType.Float;
            if (t == typeof(double)) return DataType.Double;
            if (t == typeof(ComplexFloat)) return DataType.FloatComplex;
            if (t == typeof(Complex)) return DataType.DoubleComplex;
            if (t == typeof(char)) return declared == DataType.UnicodeChar ? DataType.UnicodeChar : DataType.Char;
            throw new VoScriptException($"cannot write a column of {t.Name} values to VOTable");
        }

        private static long PickNull(Column c, DataType dt)
        {
            var (min, max) = dt switch
            {
                DataType.UnsignedByte => (0L, 255L),
                DataType.Short => (short.MinValue, (long)short.MaxValue),
                DataType.Int => (int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            var used = new HashSet<long>();
            for (var i = 0; i < c.Count; i++)
                if (!c.IsNull(i)) used.Add(Convert.ToInt64(c.GetValue(i), CultureInfo.InvariantCulture));
            if (dt == DataType.UnsignedByte)
            {
                for (var v = max; v >= min; v--) if (!used.Contains(v)) return v;
            }
            else
            {
                for (var v = min; v < min + used.Count + 1; v++) if (!used.Contains(v)) return v;
            }
            throw new VoScriptException($"column '{c.Name}' uses every {dt.VOTableName()} value, so its nulls cannot be written as BINARY; use BINARY2 or TABLEDATA");
        }
    }
}
