using TypedPyro.Protocol;

namespace TypedPyro.Tests.Protocol;

public class PooledBufferWriterTests
{
    [Fact]
    public void Content_survives_growth_from_nothing_to_a_pooled_buffer_and_back()
    {
        var writer = new PooledBufferWriter(64);
        Assert.Equal(0, writer.WrittenCount);
        var expected = new List<byte>();
        foreach (int chunk in new[] { 10, 50, 100, 5_000, 3_000_000 })
        {
            var span = writer.GetSpan(chunk);
            for (int i = 0; i < chunk; i++) span[i] = (byte)(expected.Count + i);
            writer.Advance(chunk);
            expected.AddRange(span[..chunk].ToArray());
            Assert.True(writer.WrittenSpan.SequenceEqual(expected.ToArray()));
        }
        Assert.Throws<InvalidOperationException>(() => writer.Advance(int.MaxValue));

        writer.Trim(); // a bulk buffer goes back to the pool; the writer starts small again
        Assert.Equal(0, writer.WrittenCount);
        writer.GetSpan(3)[..3].Fill(7);
        writer.Advance(3);
        Assert.Equal(new byte[] { 7, 7, 7 }, writer.WrittenSpan.ToArray());
    }
}
