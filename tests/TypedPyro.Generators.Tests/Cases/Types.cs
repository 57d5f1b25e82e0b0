// Every supported type, as a parameter and as a result: the converter table.
using System;
using System.Collections.Generic;
using System.Numerics;
using TypedPyro;
using TypedPyro.Serialization;

namespace RoundTrip;

public enum Color
{
    Red = 1,
    Green = 2,
    Blue = 3,
}

[PyroDto("shop.Item")]
public partial record Item(string Name, int Quantity, double Price = 1.5)
{
    public List<string> Tags { get; init; } = new();

    public string? Note { get; set; }
}

[PyroDto("shop.Point")]
public partial struct Point
{
    public int X { get; set; }

    public int Y { get; set; }
}

[Expose]
public interface ITypes
{
    object? EchoObject(object? value);
    object EchoNonNullObject(object value);
    bool EchoBool(bool value);
    long EchoLong(long value);
    int EchoInt(int value);
    short EchoShort(short value);
    byte EchoByte(byte value);
    sbyte EchoSByte(sbyte value);
    ushort EchoUShort(ushort value);
    uint EchoUInt(uint value);
    ulong EchoULong(ulong value);
    BigInteger EchoBigInteger(BigInteger value);
    float EchoFloat(float value);
    double EchoDouble(double value);
    decimal EchoDecimal(decimal value);
    string EchoString(string value);
    string? EchoNullableString(string? value);
    char EchoChar(char value);
    byte[] EchoBytes(byte[] value);
    ReadOnlyMemory<byte> EchoMemory(ReadOnlyMemory<byte> value);
    long SumMemory(Memory<byte> value);
    Guid EchoGuid(Guid value);
    DateTime EchoDateTime(DateTime value);
    DateTimeOffset EchoDateTimeOffset(DateTimeOffset value);
    DateOnly EchoDateOnly(DateOnly value);
    TimeOnly EchoTimeOnly(TimeOnly value);
    TimeSpan EchoTimeSpan(TimeSpan value);
    Complex EchoComplex(Complex value);
    Color EchoColor(Color value);
    PyroUri EchoUri(PyroUri value);
    int? EchoNullableInt(int? value);
    Color? EchoNullableColor(Color? value);
    int[] EchoArray(int[] value);
    string?[] EchoNullableStrings(string?[] value);
    List<string> EchoList(List<string> value);
    IList<int> EchoIList(IList<int> value);
    IReadOnlyList<double> EchoReadOnlyList(IReadOnlyList<double> value);
    ICollection<long> EchoCollection(ICollection<long> value);
    IReadOnlyCollection<string> EchoReadOnlyCollection(IReadOnlyCollection<string> value);
    int Sum(IEnumerable<int> values);
    HashSet<int> EchoHashSet(HashSet<int> value);
    ISet<string> EchoISet(ISet<string> value);
    IReadOnlySet<int> EchoReadOnlySet(IReadOnlySet<int> value);
    Dictionary<string, int> EchoDictionary(Dictionary<string, int> value);
    IDictionary<int, string> EchoIDictionary(IDictionary<int, string> value);
    IReadOnlyDictionary<string, List<int>> EchoNested(IReadOnlyDictionary<string, List<int>> value);
    IList<IList<int>> EchoListOfLists(IList<IList<int>> value);
    Item EchoItem(Item value);
    Item? EchoNullableItem(Item? value);
    Point EchoPoint(Point value);
    Point? EchoNullablePoint(Point? value);
    List<Item> EchoItems(List<Item> value);
    PyTuple EchoTuple(PyTuple value);
    List<object?> EchoObjectList(List<object?> value);
    Dictionary<object, object?> EchoObjectDictionary(Dictionary<object, object?> value);
}
