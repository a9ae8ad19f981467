using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>SSE4.2 and POPCNT against the host CPU: the four string compares with every imm8 (all
/// element sizes, aggregations, polarities and output forms), strings with embedded zeros, explicit
/// lengths that are negative, past 8/16, or differ between EAX and RAX; PCMPGTQ; CRC32 with every
/// source width; POPCNT at every width.</summary>
[Collection("SseNative")]
public sealed class Sse42Tests
{
    private readonly Differential _d;
    public Sse42Tests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Strings => new()
    {
        "Pcmpestri_xmm_xmmm128_imm8", "Pcmpestri64_xmm_xmmm128_imm8", "Pcmpestrm_xmm_xmmm128_imm8", "Pcmpestrm64_xmm_xmmm128_imm8",
        "Pcmpistri_xmm_xmmm128_imm8", "Pcmpistrm_xmm_xmmm128_imm8",
    };

    [Theory, MemberData(nameof(Strings))]
    public void StringCompare(string code)
    {
        var c = Enum.Parse<Code>(code);
        var imms = Enumerable.Range(0, 128).ToArray();
        _d.Check(new FormSpec(c) { Xmm = Lane.Str8, Gpr = Lane.StrLen, Unaligned = true, FloatEnv = false, Imm = imms, Iterations = 2500 });
        _d.Check(new FormSpec(c) { Xmm = Lane.Str16, Gpr = Lane.StrLen, Unaligned = true, FloatEnv = false, Imm = imms, Iterations = 2500 }, 1);
        // imm8[7] is ignored; random bytes make long implicit strings and rare matches.
        _d.Check(new FormSpec(c) { Gpr = Lane.StrLen, Unaligned = true, FloatEnv = false, Iterations = 500 }, 2);
    }

    [Fact]
    public void Pcmpgtq()
    {
        _d.Check(new FormSpec(Code.Pcmpgtq_xmm_xmmm128) { Xmm = Lane.I64, FloatEnv = false, Iterations = 200 });
        _d.Check(new FormSpec(Code.Pcmpgtq_xmm_xmmm128) { FloatEnv = false, Iterations = 100 }, 1);
    }

    private static TheoryData<string> Data(params Mnemonic[] m)
    {
        var d = new TheoryData<string>();
        foreach (var c in IntegerTests.FormsOf(m)) d.Add(c.ToString());
        return d;
    }

    public static TheoryData<string> Integer => Data(Mnemonic.Crc32, Mnemonic.Popcnt);

    [Theory, MemberData(nameof(Integer))]
    public void IntegerForms(string code) =>
        _d.Check(new FormSpec(Enum.Parse<Code>(code)) { FloatEnv = false, Iterations = 200 });
}
