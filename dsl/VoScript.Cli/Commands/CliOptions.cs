using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoScript.Cli.Commands;

/// <summary>
/// The range a numeric option accepts, checked while the command line is parsed (a usage error, exit code 2).
/// <paramref name="MinExclusive"/>: the minimum itself is not allowed (e.g. a timeout of 0 seconds).
/// </summary>
internal sealed record NumberRange(double Min, double Max, bool MinExclusive, string Unit, bool Integer)
{
    public bool Allows(double v) => (MinExclusive ? v > Min : v >= Min) && v <= Max;

    /// <summary>"a whole number of rows from 0 to 9223372036854775807", "seconds, more than 0 and at most 86400".</summary>
    public string Describe()
    {
        var what = Integer ? $"a whole number{(Unit.Length > 0 ? " of " + Unit : "")}" : $"a number{(Unit.Length > 0 ? " of " + Unit : "")}";
        return MinExclusive
            ? $"{what}, more than {Format(Min)} and at most {Format(Max)}"
            : $"{what} from {Format(Min)} to {Format(Max)}";
    }

    private static string Format(double d) =>
        Math.Abs(d) >= 1e15 ? d.ToString("G3", CultureInfo.InvariantCulture) : d.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// How every command declares its options that take values with a range: one place that parses them
/// (invariant culture, no NaN or infinity) and checks the range at parse time, so a bad value is a usage
/// error naming the option and what it accepts, never an exception later. Every numeric option of every
/// command is made here (a test walks the command tree and checks that).
/// </summary>
internal static class CliOptions
{
    private static readonly ConditionalWeakTable<Option, NumberRange> Ranges = [];

    /// <summary>The range declared for <paramref name="option"/>, or null when it was not made here.</summary>
    public static NumberRange? RangeOf(Option option) => Ranges.TryGetValue(option, out var r) ? r : null;

    /// <summary>A numeric option with a default value (shown by --help) and the range it accepts.</summary>
    public static Option<T> Number<T>(string name, string helpName, string description, T defaultValue, T min, T max,
        string unit = "", bool minExclusive = false, params string[] aliases)
        where T : struct, INumber<T>, IMinMaxValue<T>
    {
        var range = Range(min, max, unit, minExclusive);
        var option = new Option<T>(name, aliases)
        {
            HelpName = helpName,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse<T>(r, name, range) ?? defaultValue,
        };
        Ranges.Add(option, range);
        return option;
    }

    /// <summary>A numeric option that may be left out (null then).</summary>
    public static Option<T?> OptionalNumber<T>(string name, string helpName, string description, T min, T max,
        string unit = "", bool minExclusive = false, params string[] aliases)
        where T : struct, INumber<T>, IMinMaxValue<T>
    {
        var range = Range(min, max, unit, minExclusive);
        var option = new Option<T?>(name, aliases)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = r => Parse<T>(r, name, range),
        };
        Ranges.Add(option, range);
        return option;
    }

    /// <summary>An option that accepts one of a few words (case-sensitive), checked at parse time.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            HelpName = string.Join('|', choices),
            Description = description,
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && !choices.Contains(r.Tokens[0].Value, StringComparer.Ordinal))
                r.AddError($"{name} '{r.Tokens[0].Value}': use {Join(choices)}");
        });
        return option;
    }

    private static string Join(string[] words) =>
        words.Length == 1 ? words[0] : string.Join(", ", words[..^1]) + " or " + words[^1];

    private static NumberRange Range<T>(T min, T max, string unit, bool minExclusive) where T : INumber<T> =>
        new(double.CreateChecked(min), double.CreateChecked(max), minExclusive, unit,
            typeof(T) != typeof(double) && typeof(T) != typeof(float) && typeof(T) != typeof(decimal));

    private static T? Parse<T>(ArgumentResult result, string name, NumberRange range) where T : struct, INumber<T>
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} needs a value: {range.Describe()}");
            return null;
        }
        var text = result.Tokens[^1].Value;
        var styles = range.Integer ? NumberStyles.Integer : NumberStyles.Float;
        if (!T.TryParse(text, styles, CultureInfo.InvariantCulture, out var value)
            || (!range.Integer && !double.IsFinite(double.CreateChecked(value))))
        {
            result.AddError($"{name} '{text}': not {(range.Integer ? "a whole number" : "a number")}; give {range.Describe()}");
            return null;
        }
        if (!range.Allows(double.CreateChecked(value)))
        {
            result.AddError($"{name} {text}: out of range; give {range.Describe()}");
            return null;
        }
        return value;
    }
}
