using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>AES-NI, PCLMULQDQ and the SHA extensions against the host CPU: the legacy encodings and the
/// VEX.128 ones (AES+AVX, PCLMULQDQ+AVX).</summary>
[Collection("SseNative")]
public sealed class CryptoTests
{
    private readonly Differential _d;
    public CryptoTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
            if (c.Encoding() is EncodingKind.Legacy or EncodingKind.VEX && c.ToOpCode().Mode64 &&
                c.CpuidFeatures().Any(f => f is CpuidFeature.AES or CpuidFeature.PCLMULQDQ or CpuidFeature.SHA) &&
                c.CpuidFeatures().All(f => f is CpuidFeature.AES or CpuidFeature.PCLMULQDQ or CpuidFeature.SHA or CpuidFeature.AVX))
                d.Add(c.ToString());
        return d;
    }

    [Theory, MemberData(nameof(Forms))]
    public void MatchesHardware(string code)
    {
        var c = Enum.Parse<Code>(code);
        // Immediates are random bytes: PCLMULQDQ reads bits 0 and 4, SHA1RNDS4 bits 1:0, AESKEYGENASSIST all.
        _d.Check(new FormSpec(c) { FloatEnv = false, Iterations = 200 });
    }

    [Fact]
    public void EveryFormIsCovered() => Assert.Equal(21, ((IEnumerable<object[]>)Forms()).Count());
}
