using System.Globalization;

namespace NetGen.Generator.Codegen;

/// <summary>Numbers as they are written into generated code and its documentation.</summary>
internal static class Literals
{
    /// <summary>An integer literal.</summary>
    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A round-trippable float literal (<c>float.NaN</c> for NaN).</summary>
    public static string Float(float value) => float.IsNaN(value) ? "float.NaN" : value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>Thousands grouped, for the documentation table.</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
