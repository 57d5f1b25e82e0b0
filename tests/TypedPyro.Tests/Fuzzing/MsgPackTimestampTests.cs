using System.Buffers.Binary;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Fuzzing;

/// <summary>
/// Found by fuzzing (fuzz/regressions/msgpack/): a datetime ext (0x32) whose float timestamp lies outside years
/// 1-9999, or is NaN or infinite, escaped as ArgumentOutOfRangeException from DateTime.AddSeconds.
/// </summary>
public class MsgPackTimestampTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e300)]
    [InlineData(-1e12)]
    [InlineData(253402300800.0)]
    public void A_timestamp_that_is_no_datetime_is_a_serialize_error(double seconds)
    {
        Assert.Throws<SerializeException>(() => PyroSerializers.MsgPack.Deserialize(DatetimeExt(seconds)));
    }

    [Fact]
    public void A_timestamp_in_range_still_reads_as_that_moment()
    {
        var value = PyroSerializers.MsgPack.Deserialize(DatetimeExt(86400.5));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(86400.5), Assert.IsType<DateTime>(value).ToUniversalTime());
    }

    /// <summary>fixext 8 (0xd7), type 0x32, a little-endian double: Pyro4's msgpack datetime.</summary>
    private static byte[] DatetimeExt(double seconds)
    {
        var data = new byte[10];
        data[0] = 0xd7;
        data[1] = 0x32;
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(2), seconds);
        return data;
    }
}
