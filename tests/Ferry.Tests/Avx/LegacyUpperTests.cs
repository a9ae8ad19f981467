using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>Legacy SSE/SSE2 forms leave bits 255:128 of every YMM register alone (only VEX.128 zeroes
/// them): each form runs against the host with random upper halves.</summary>
[Collection("SseNative")]
public sealed class LegacyUpperTests
{
    private readonly Differential _d;
    public LegacyUpperTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.Legacy || !c.ToOpCode().Mode64) continue;
            if (!c.CpuidFeatures().Any(f => f is CpuidFeature.SSE or CpuidFeature.SSE2)) continue;
            // LDMXCSR needs a valid source (the host would fault); the rest take any operands.
            if (c.Mnemonic() is Mnemonic.Ldmxcsr || !Ferry.Interpreter.HandlerTable.IsImplemented(c)) continue;
            var op = c.ToOpCode();
            if (!Enumerable.Range(0, op.OpCount).Any(k => op.GetOpKind(k) is OpCodeOperandKind.xmm_reg or OpCodeOperandKind.xmm_rm or OpCodeOperandKind.xmm_or_mem)) continue;
            d.Add(c.ToString());
        }
        return d;
    }

    [Theory, MemberData(nameof(Forms))]
    public void KeepsUpperHalves(string code) =>
        _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Xmm = Lane.F64, RandomUpper = true, Iterations = 12 });
}
