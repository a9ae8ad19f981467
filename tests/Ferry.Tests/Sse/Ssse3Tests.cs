using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>SSSE3 against the host CPU, every MMX and XMM form, register and memory sources.</summary>
[Collection("SseNative")]
public sealed class Ssse3Tests
{
    private readonly Differential _d;
    public Ssse3Tests(NativeFixture f) => _d = new Differential(f);

    private static TheoryData<string> Data(params Mnemonic[] m)
    {
        var d = new TheoryData<string>();
        foreach (var c in IntegerTests.FormsOf(m)) d.Add(c.ToString());
        return d;
    }

    private static Lane LaneOf(Code c) => c.Mnemonic() switch
    {
        Mnemonic.Phaddw or Mnemonic.Phsubw or Mnemonic.Phaddsw or Mnemonic.Phsubsw or Mnemonic.Pmulhrsw or Mnemonic.Psignw or Mnemonic.Pabsw => Lane.I16,
        Mnemonic.Phaddd or Mnemonic.Phsubd or Mnemonic.Psignd or Mnemonic.Pabsd => Lane.I32,
        Mnemonic.Psignb or Mnemonic.Pabsb or Mnemonic.Pmaddubsw => Lane.I8,
        _ => Lane.Bytes,
    };

    public static TheoryData<string> Forms => Data(
        Mnemonic.Pshufb, Mnemonic.Phaddw, Mnemonic.Phaddd, Mnemonic.Phaddsw, Mnemonic.Phsubw, Mnemonic.Phsubd, Mnemonic.Phsubsw,
        Mnemonic.Pmaddubsw, Mnemonic.Pmulhrsw, Mnemonic.Psignb, Mnemonic.Psignw, Mnemonic.Psignd, Mnemonic.Pabsb, Mnemonic.Pabsw, Mnemonic.Pabsd);

    [Theory, MemberData(nameof(Forms))]
    public void MatchesHost(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c), Mm = LaneOf(c), FloatEnv = false, Iterations = 150 });
        // Bytes biased to 0x00/0x80/0xFF/0x7F as well as random ones.
        _d.Check(new FormSpec(c) { FloatEnv = false, Iterations = 60 }, 1);
    }

    public static TheoryData<string> Align => Data(Mnemonic.Palignr);

    [Theory, MemberData(nameof(Align))]
    public void Palignr(string code)
    {
        var c = Enum.Parse<Code>(code);
        var shifts = Enumerable.Range(0, 34).Concat([40, 47, 48, 63, 64, 127, 128, 200, 255]).ToArray();
        _d.Check(new FormSpec(c) { FloatEnv = false, Imm = shifts, Iterations = 300 });
    }
}
