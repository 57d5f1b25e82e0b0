using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Fuzzing;

/// <summary>
/// Found by fuzzing (fuzz/regressions/serpent/): a serpent call payload that ends just inside its arguments tuple
/// made the daemon's argument reader index past the data (IndexOutOfRangeException) instead of reporting it.
/// </summary>
public class SerpentTruncatedCallTests
{
    [Theory]
    [InlineData("('test.echoserver','echo',(")]
    [InlineData("('test.echoserver','echo',(  ")]
    [InlineData("# serpent utf-8 python3.2\n('test.echoserver','echo',(")]
    [InlineData("('test.echoserver','echo',(1,")]
    [InlineData("('test.echoserver','echo',(-")]
    public void A_call_cut_inside_its_arguments_is_a_serialize_error_on_the_daemon_path(string payload)
    {
        var data = Encoding.UTF8.GetBytes(payload);
        Assert.Throws<SerializeException>(() => PyroSerializers.Serpent.DeserializeCall(data.AsMemory(), borrowBulkBytes: true, new CallArguments()));
        Assert.Throws<SerializeException>(() => PyroSerializers.Serpent.DeserializeCall(data));
    }
}
