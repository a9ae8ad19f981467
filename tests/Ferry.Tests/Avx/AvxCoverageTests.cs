using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

public sealed class AvxCoverageTests
{
    private static readonly CpuidFeature[] VexFeatures = [CpuidFeature.AVX, CpuidFeature.AVX2, CpuidFeature.FMA, CpuidFeature.F16C];

    /// <summary>VEX forms that also need a feature outside x86-64-v3 (AES, PCLMULQDQ, GFNI, SHA512 …).</summary>
    private static bool KnownMissing(Code c) =>
        c.CpuidFeatures().Any(f => f is CpuidFeature.AES or CpuidFeature.VAES or CpuidFeature.PCLMULQDQ or CpuidFeature.VPCLMULQDQ
            or CpuidFeature.AVX_VNNI or CpuidFeature.AVX_IFMA or CpuidFeature.AVX_VNNI_INT8 or CpuidFeature.AVX_NE_CONVERT
            or CpuidFeature.GFNI or CpuidFeature.SHA512 or CpuidFeature.SM3 or CpuidFeature.SM4 or CpuidFeature.AVX_VNNI_INT16);

    /// <summary>Every 64-bit-mode VEX form needing only AVX, AVX2, FMA or F16C has semantics.</summary>
    [Fact]
    public void EveryAvxAvx2FmaF16cFormIsImplemented()
    {
        var missing = new List<Code>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.VEX || !c.ToOpCode().Mode64) continue;
            var f = c.CpuidFeatures();
            if (!f.All(x => Array.IndexOf(VexFeatures, x) >= 0) || KnownMissing(c)) continue;
            if (!HandlerTable.IsImplemented(c)) missing.Add(c);
        }
        Assert.Empty(missing);
    }

    /// <summary>Every implemented VEX form (except the BMI forms, tested elsewhere) appears in the theory
    /// data of a differential test in this folder.</summary>
    [Fact]
    public void EveryImplementedVexFormHasADifferentialTest()
    {
        var tested = new HashSet<string>();
        foreach (var t in typeof(AvxCoverageTests).Assembly.GetTypes().Where(t => t.Namespace == typeof(AvxCoverageTests).Namespace))
            foreach (var prop in t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
                if (prop.GetValue(null) is TheoryData<string> data)
                    foreach (var row in data) tested.Add(row.ToString()!);
        var untested = HandlerTable.Implemented()
            .Where(c => c.Encoding() == EncodingKind.VEX && c.CpuidFeatures().Any(x => Array.IndexOf(VexFeatures, x) >= 0))
            // VEX AES and PCLMULQDQ are checked with their legacy forms in Sse/CryptoTests.
            .Where(c => !tested.Contains(c.ToString()) && !KnownMissing(c))
            .ToArray();
        Assert.True(tested.Count > 500, $"only {tested.Count} forms found in theory data");
        Assert.Empty(untested);
    }
}
