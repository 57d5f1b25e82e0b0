// An interface without [Expose] whose [Expose] members alone are remote; the others throw in the proxy.
using TypedPyro;

namespace Example.Math;

public interface ICalculator
{
    [Expose]
    int Add(int a, int b);

    [Expose]
    double Ratio { get; }

    int LocalOnly(int x);

    string Mode { get; set; }
}
