using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Interpreter;

/// <summary>The ferry command's guest arithmetic does not depend on the host thread's floating-point control
/// register (MXCSR on x86-64, FPCR on ARM64, the latter under tests/arm64/run): with it left rounding up or flushing
/// subnormals to zero (FERRY_TEST_HOST_FP, as an embedding program might leave it), tests/guest/fp/host_fp_control.c
/// prints the native run's results and MXCSR flags, in the interpreter and with the JIT. The SSE fast paths compute
/// with host doubles; the ARM64 build did not reset FPCR and rounded up, or lost the inexact flag of a sum whose
/// exact error is subnormal.</summary>
public sealed class HostFpControlTests
{
    [Theory]
    [InlineData("up", "off")]
    [InlineData("up", "on")]
    [InlineData("ftz", "off")]
    [InlineData("ftz", "on")]
    public void GuestResultsAreTheNativeOnes(string hostControl, string jit)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "fp", "host_fp_control.c"), "static");
        var native = ProcessRunner.Native(binary, []);
        Assert.Equal(0, native.Status);
        var ferry = ProcessRunner.Ferry(binary, [], ferryOptions: ["--jit", jit, "--jit-threshold", "4"],
            extraEnvironment: new Dictionary<string, string> { ["FERRY_TEST_HOST_FP"] = hostControl });
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
