using Ferry.Cpu;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>x86-64-v3 is reported by default (so v2 too), v2 with --cpu v2, exactly as the host reports
/// the v2 bits, and both are hidden by --cpu x86-64.</summary>
public sealed class CpuLevelTests
{
    private static string Program() => GuestBuilder.Build(Path.Combine(Repo.GuestSources, "cpu-levels", "cpuid_v2_bits.c"), "static");

    [Fact]
    public void DefaultCpuIsV3WithTheV2BitsOfTheHost()
    {
        Assert.Equal(CpuLevel.V3, CpuidModel.HighestProvenLevel);
        var binary = Program();
        var native = ProcessRunner.Native(binary, []);
        Assert.Contains("x86-64-v2=1", native.Stdout);
        Assert.Equal(native.ToString(), ProcessRunner.Ferry(binary, []).ToString());
        Assert.Equal(native.ToString(), ProcessRunner.Ferry(binary, [], ferryOptions: ["--cpu", "v2"]).ToString());
    }

    [Fact]
    public void CpuX8664HidesV2()
    {
        var run = ProcessRunner.Ferry(Program(), [], ferryOptions: ["--cpu", "x86-64"]);
        Assert.Equal(0, run.Status);
        Assert.Equal(
            "cpuid.1.ecx sse3=0 ssse3=0 cx16=0 sse4.1=0 sse4.2=0 popcnt=0\n" +
            "libgcc sse3=0 ssse3=0 sse4.1=0 sse4.2=0 popcnt=0\n" +
            "x86-64-v2=0\n", run.Stdout);
    }

    [Fact]
    public void X8664ModelHasNoV2Bits()
    {
        const uint v2Ecx = 1u << 0 | 1u << 9 | 1u << 13 | 1u << 19 | 1u << 20 | 1u << 23;
        Assert.Equal(0u, CpuidModel.ForLevel(CpuLevel.X86_64).FeaturesEcx & v2Ecx);
        Assert.Equal(v2Ecx, CpuidModel.ForLevel(CpuLevel.V2).FeaturesEcx & v2Ecx);
        Assert.Equal(v2Ecx, CpuidModel.Default.FeaturesEcx & v2Ecx);
    }
}
