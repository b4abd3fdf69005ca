namespace VoScript.Engine.Model;

/// <summary>
/// Everything VOTable says about a column (FIELD) or a PARAM: nothing is dropped,
/// so that a round trip keeps what a user would miss.
/// </summary>
public class Field
{
    /// <summary>A field with a name, a datatype and an optional arraysize (scalar when null).</summary>
    public Field(string name, DataType dataType, ArraySize? arraySize = null)
    {
        Name = name;
        DataType = dataType;
        ArraySize = arraySize ?? ArraySize.Scalar;
    }

    /// <summary>The name attribute.</summary>
    public string Name { get; set; }
    /// <summary>The ID attribute.</summary>
    public string? Id { get; set; }
    /// <summary>The datatype.</summary>
    public DataType DataType { get; set; }
    /// <summary>The arraysize (<see cref="Model.ArraySize.Scalar"/> for one element).</summary>
    public ArraySize ArraySize { get; set; }
    /// <summary>The unit (VOUnit text).</summary>
    public string? Unit { get; set; }
    /// <summary>The UCD.</summary>
    public string? Ucd { get; set; }
    /// <summary>The utype.</summary>
    public string? Utype { get; set; }
    /// <summary>The xtype (e.g. <c>timestamp</c>, <c>point</c>).</summary>
    public string? XType { get; set; }
    /// <summary>The ref attribute (e.g. a COOSYS ID).</summary>
    public string? Ref { get; set; }
    /// <summary>The width attribute.</summary>
    public string? Width { get; set; }
    /// <summary>The precision attribute.</summary>
    public string? Precision { get; set; }
    /// <summary>The DESCRIPTION text.</summary>
    public string? Description { get; set; }
    /// <summary>The VALUES element (null value, min, max, options), if any.</summary>
    public FieldValues? Values { get; set; }
    /// <summary>The LINK elements.</summary>
    public List<Link> Links { get; } = [];

    /// <summary>Attributes this model has no property for (kept for round trips).</summary>
    public List<KeyValuePair<string, string>> ExtraAttributes { get; } = [];

    /// <summary>True for char/unicodeChar with at most one dimension: the cell is a string.</summary>
    public bool IsString => DataType.IsText() && ArraySize.FixedDimensions.Count + (ArraySize.IsVariable ? 1 : 0) <= 1;

    /// <summary>A deep copy.</summary>
    public Field Clone()
    {
        return CopyInto(new Field(Name, DataType, ArraySize));
    }

    /// <summary>Copies every attribute and child of this field into <paramref name="f"/>; returns it (for derived types).</summary>
    protected T CopyInto<T>(T f) where T : Field
    {
        f.Id = Id; f.Unit = Unit; f.Ucd = Ucd; f.Utype = Utype; f.XType = XType; f.Ref = Ref;
        f.Width = Width; f.Precision = Precision; f.Description = Description;
        f.Values = Values?.Clone();
        f.Links.AddRange(Links);
        f.ExtraAttributes.AddRange(ExtraAttributes);
        return f;
    }

    /// <summary>The name, datatype and arraysize, for debugging.</summary>
    public override string ToString() => $"{Name} ({DataType.VOTableName()}{(ArraySize.IsScalar ? "" : "[" + ArraySize + "]")})";
}

/// <summary>A PARAM: a field with one constant value, kept as its VOTable text.</summary>
public sealed class Param : Field
{
    /// <summary>A PARAM with a name, a datatype, its value as VOTable text and an optional arraysize.</summary>
    public Param(string name, DataType dataType, string value, ArraySize? arraySize = null)
        : base(name, dataType, arraySize) => Value = value;

    /// <summary>The value attribute, as VOTable text.</summary>
    public string Value { get; set; }

    /// <summary>A deep copy.</summary>
    public new Param Clone() => CopyInto(new Param(Name, DataType, Value, ArraySize));
}

/// <summary>The VALUES element of a FIELD or PARAM.</summary>
public sealed class FieldValues
{
    /// <summary>The magic null value, in TABLEDATA syntax.</summary>
    public string? Null { get; set; }
    /// <summary>The type attribute (legal, actual).</summary>
    public string? Type { get; set; }
    /// <summary>The ref attribute.</summary>
    public string? Ref { get; set; }
    /// <summary>The MIN value.</summary>
    public string? Min { get; set; }
    /// <summary>Whether MIN is inclusive.</summary>
    public bool MinInclusive { get; set; } = true;
    /// <summary>The MAX value.</summary>
    public string? Max { get; set; }
    /// <summary>Whether MAX is inclusive.</summary>
    public bool MaxInclusive { get; set; } = true;
    /// <summary>The OPTION elements (name, value).</summary>
    public List<ValueOption> Options { get; } = [];

    /// <summary>A deep copy.</summary>
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
    /// <summary>The value of the attribute <paramref name="attribute"/>, or null.</summary>
    public string? this[string attribute] =>
        Attributes.FirstOrDefault(a => a.Key == attribute) is { Key: not null } kv ? kv.Value : null;

    /// <summary>The ID attribute.</summary>
    public string? Id => this["ID"];
}

/// <summary>A GROUP: references to fields and params, params of its own, nested groups.</summary>
public sealed class Group
{
    /// <summary>The name attribute.</summary>
    public string? Name { get; set; }
    /// <summary>The ID attribute.</summary>
    public string? Id { get; set; }
    /// <summary>The UCD.</summary>
    public string? Ucd { get; set; }
    /// <summary>The utype.</summary>
    public string? Utype { get; set; }
    /// <summary>The ref attribute.</summary>
    public string? Ref { get; set; }
    /// <summary>The DESCRIPTION text.</summary>
    public string? Description { get; set; }
    /// <summary>The FIELDref refs.</summary>
    public List<string> FieldRefs { get; } = [];
    /// <summary>The PARAMref refs.</summary>
    public List<string> ParamRefs { get; } = [];
    /// <summary>Its own PARAMs.</summary>
    public List<Param> Params { get; } = [];
    /// <summary>Nested GROUPs.</summary>
    public List<Group> Groups { get; } = [];
}
