using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Reading a layer attribute's arguments as plain values.</summary>
internal static class AttributeArguments
{
    /// <summary>A layer spec with the attribute's <c>Name</c> and location.</summary>
    public static LayerSpec Spec(string kind, AttributeData attribute, AttributeSyntax syntax, LayerOptions options)
        => new(kind, (string?)NamedArgument(attribute, "Name"), LocationInfo.From(syntax), options);

    /// <summary>The activation given as constructor argument <paramref name="index"/> (identity when absent).</summary>
    public static Activation ActivationArgument(AttributeData attribute, int index) => (Activation)(int)(ConstructorArgument(attribute, index) ?? 0);

    /// <summary>The named <c>Alpha</c> of an activation (NaN: the default).</summary>
    public static float AlphaArgument(AttributeData attribute) => (float)(NamedArgument(attribute, "Alpha") ?? float.NaN);

    public static int IntArgument(AttributeData attribute, int index) => ConstructorArgument(attribute, index) is int value ? value : 0;

    public static float FloatArgument(AttributeData attribute, int index) => ConstructorArgument(attribute, index) is float value ? value : float.NaN;

    public static object? ConstructorArgument(AttributeData attribute, int index)
        => index < attribute.ConstructorArguments.Length ? attribute.ConstructorArguments[index].Value : null;

    public static object? NamedArgument(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value.Value;
            }
        }
        return null;
    }
}
