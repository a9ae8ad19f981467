using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>VPCMPESTRI/M and VPCMPISTRI/M against the host: every immediate (format, aggregation,
/// polarity, index/mask form), small and out-of-range explicit lengths, strings over a tiny alphabet.</summary>
[Collection("SseNative")]
public sealed class AvxStringTests
{
    private readonly Differential _d;
    public AvxStringTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms => AvxForms.Data(
        Mnemonic.Vpcmpestri, Mnemonic.Vpcmpestri64, Mnemonic.Vpcmpestrm, Mnemonic.Vpcmpestrm64, Mnemonic.Vpcmpistri, Mnemonic.Vpcmpistrm);

    [Theory, MemberData(nameof(Forms))]
    public void StringCompare(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = Lane.Text, Gpr = Lane.Count, FloatEnv = false, Iterations = 1500, Imm = Enumerable.Range(0, 128).ToArray() });
        _d.Check(new FormSpec(c) { Xmm = Lane.Bytes, Gpr = Lane.I64, FloatEnv = false, Iterations = 300 }, seed: 1);
    }
}
