using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Host;

/// <summary>Forks of the .NET runtime under Ferry's runtime settings, while another thread wakes every 2 ms to compile
/// and allocate (as the runtime's finalizer does after a collection): Ferry.ForkStress forks 300 times and fails on a
/// child that hangs or dies. Before forks were checked after the fact, a child forked while that thread ran died of
/// SIGABRT in its first collection or hung, in each of four runs.</summary>
public sealed class ForkStressTests
{
    private static string StressDll => Path.Combine(AppContext.BaseDirectory, "Ferry.ForkStress.dll");

    [Fact]
    public void ForksWhileAThreadWakesAtRandomGiveWorkingChildren()
    {
        var run = ProcessRunner.Native("dotnet", [StressDll, "300", "20000"], timeoutSeconds: 900);
        Assert.True(run.Status == 0, run.ToString());
        Assert.Equal("ok 300\n", run.Stdout);
    }
}
