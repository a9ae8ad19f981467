using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>Enumerates the VEX forms (128 and 256-bit) of mnemonics, for theory data.</summary>
public static class AvxForms
{
    /// <summary>Every VEX form of the given mnemonics that exists in 64-bit mode.</summary>
    public static IEnumerable<Code> Of(params Mnemonic[] mnemonics)
    {
        foreach (var c in Enum.GetValues<Code>())
            if (Array.IndexOf(mnemonics, c.Mnemonic()) >= 0 && c.Encoding() == EncodingKind.VEX && c.ToOpCode().Mode64)
                yield return c;
    }

    public static TheoryData<string> Data(params Mnemonic[] mnemonics)
    {
        var d = new TheoryData<string>();
        foreach (var c in Of(mnemonics)) d.Add(c.ToString());
        return d;
    }

    /// <summary>True when the host CPU can run <paramref name="c"/> (every feature it needs is present).</summary>
    public static bool HostHas(Code c) => c.CpuidFeatures().All(f => f switch
    {
        CpuidFeature.AVX => System.Runtime.Intrinsics.X86.Avx.IsSupported,
        CpuidFeature.AVX2 => System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        CpuidFeature.FMA => System.Runtime.Intrinsics.X86.Fma.IsSupported,
        _ => true,
    });

    /// <summary>The integer lane kind a mnemonic's name implies.</summary>
    public static Ferry.Tests.Sse.Lane IntLane(Code c)
    {
        var n = c.Mnemonic().ToString();
        if (n.EndsWith("q") || n.EndsWith("qdq") || n is "Vpmuludq" or "Vpmuldq") return Ferry.Tests.Sse.Lane.I64;
        if (n.EndsWith("b") || n.EndsWith("bw") || n == "Vpsadbw" || n == "Vpmaddubsw") return Ferry.Tests.Sse.Lane.I8;
        if (n.EndsWith("w") || n.EndsWith("wd") || n == "Vpmaddwd") return Ferry.Tests.Sse.Lane.I16;
        if (n.EndsWith("d") || n.EndsWith("dq")) return Ferry.Tests.Sse.Lane.I32;
        return Ferry.Tests.Sse.Lane.Bytes;
    }
}
