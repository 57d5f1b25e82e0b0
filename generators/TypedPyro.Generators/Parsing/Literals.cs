using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedPyro.Generators.Parsing;

/// <summary>C# source text for constants: parameter default values and string literals.</summary>
internal static class Literals
{
    /// <summary>A string literal.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>The default value of an optional parameter as an expression of its type.</summary>
    public static string DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue) return "default";
        return Constant(parameter.Type, parameter.ExplicitDefaultValue);
    }

    private static string Constant(ITypeSymbol type, object? value)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return value is null ? "null" : Constant(nullable.TypeArguments[0], value);
        }
        if (value is null) return type.IsReferenceType ? "null" : "default";
        if (type.TypeKind == TypeKind.Enum)
        {
            string number = Number(value);
            return "(" + Symbols.Display(type) + ")" + (number.StartsWith("-", StringComparison.Ordinal) ? "(" + number + ")" : number);
        }
        return value switch
        {
            bool b => b ? "true" : "false",
            string s => String(s),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            float f => Single(f),
            double d => Double(d),
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            _ => Number(value),
        };
    }

    private static string Number(object value) => value switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "default",
    };

    private static string Single(float f)
    {
        if (float.IsNaN(f)) return "float.NaN";
        if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
        return f.ToString("R", CultureInfo.InvariantCulture) + "F";
    }

    private static string Double(double d)
    {
        if (double.IsNaN(d)) return "double.NaN";
        if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
        return d.ToString("R", CultureInfo.InvariantCulture) + "D";
    }
}
