namespace VoScript.Engine.Tables;

/// <summary>
/// Everything VOTable says about a column (FIELD) or a PARAM: nothing is dropped,
/// so that a round trip keeps what a user would miss.
/// </summary>
public class Field
{
    public Field(string name, DataType dataType, ArraySize? arraySize = null)
    {
        Name = name;
        DataType = dataType;
        ArraySize = arraySize ?? ArraySize.Scalar;
    }

    public string Name { get; set; }
    public string? Id { get; set; }
    public DataType DataType { get; set; }
    public ArraySize ArraySize { get; set; }
    public string? Unit { get; set; }
    public string? Ucd { get; set; }
    public string? Utype { get; set; }
    public string? XType { get; set; }
    public string? Ref { get; set; }
    public string? Width { get; set; }
    public string? Precision { get; set; }
    public string? Description { get; set; }
    public FieldValues? Values { get; set; }
    public List<Link> Links { get; } = [];

    /// <summary>Attributes this model has no property for (kept for round trips).</summary>
    public List<KeyValuePair<string, string>> ExtraAttributes { get; } = [];

    /// <summary>True for char/unicodeChar with at most one dimension: the cell is a string.</summary>
    public bool IsString => DataType.IsText() && ArraySize.FixedDimensions.Count + (ArraySize.IsVariable ? 1 : 0) <= 1;

    public Field Clone()
    {
        return CopyInto(new Field(Name, DataType, ArraySize));
    }

    protected T CopyInto<T>(T f) where T : Field
    {
        f.Id = Id; f.Unit = Unit; f.Ucd = Ucd; f.Utype = Utype; f.XType = XType; f.Ref = Ref;
        f.Width = Width; f.Precision = Precision; f.Description = Description;
        f.Values = Values?.Clone();
        f.Links.AddRange(Links);
        f.ExtraAttributes.AddRange(ExtraAttributes);
        return f;
    }

    public override string ToString() => $"{Name} ({DataType.VOTableName()}{(ArraySize.IsScalar ? "" : "[" + ArraySize + "]")})";
}

/// <summary>A PARAM: a field with one constant value, kept as its VOTable text.</summary>
public sealed class Param : Field
{
    public Param(string name, DataType dataType, string value, ArraySize? arraySize = null)
        : base(name, dataType, arraySize) => Value = value;

    public string Value { get; set; }

    public new Param Clone() => CopyInto(new Param(Name, DataType, Value, ArraySize));
}

/// <summary>The VALUES element of a FIELD or PARAM.</summary>
public sealed class FieldValues
{
    /// <summary>The magic null value, in TABLEDATA syntax.</summary>
    public string? Null { get; set; }
    public string? Type { get; set; }
    public string? Ref { get; set; }
    public string? Min { get; set; }
    public bool MinInclusive { get; set; } = true;
    public string? Max { get; set; }
    public bool MaxInclusive { get; set; } = true;
    public List<ValueOption> Options { get; } = [];

    public FieldValues Clone()
    {
        var v = new FieldValues { Null = Null, Type = Type, Ref = Ref, Min = Min, MinInclusive = MinInclusive, Max = Max, MaxInclusive = MaxInclusive };
        v.Options.AddRange(Options);
        return v;
    }
}

/// <summary>An OPTION of VALUES; options nest.</summary>
public sealed record ValueOption(string? Name, string Value, IReadOnlyList<ValueOption> Options);

/// <summary>A LINK element.</summary>
public sealed record Link(string? Href, string? ContentRole, string? ContentType, string? Title, string? Id, string? Action);

/// <summary>An INFO: a name, a value and optional text (QUERY_STATUS carries its message there).</summary>
public sealed record Info(string Name, string? Value, string? Content = null, string? Id = null, string? Unit = null, string? Ucd = null, string? Utype = null, string? Ref = null);

/// <summary>
/// A COOSYS or TIMESYS element (or any other small metadata element), kept as its
/// element name and attributes in document order.
/// </summary>
public sealed record MetaElement(string ElementName, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public string? this[string attribute] =>
        Attributes.FirstOrDefault(a => a.Key == attribute) is { Key: not null } kv ? kv.Value : null;

    public string? Id => this["ID"];
}

/// <summary>A GROUP: references to fields and params, params of its own, nested groups.</summary>
public sealed class Group
{
    public string? Name { get; set; }
    public string? Id { get; set; }
    public string? Ucd { get; set; }
    public string? Utype { get; set; }
    public string? Ref { get; set; }
    public string? Description { get; set; }
    public List<string> FieldRefs { get; } = [];
    public List<string> ParamRefs { get; } = [];
    public List<Param> Params { get; } = [];
    public List<Group> Groups { get; } = [];
}
