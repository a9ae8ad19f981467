using Ferry.MemoryModel;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>Under auto (on a host without hardware TSO) a process orders its accesses once a second thread has
/// run, and an execve in place, which leaves one thread and an empty address space, makes it unordered again,
/// as a freshly started ferry would be.</summary>
[Collection(Ferry.Tests.Support.InProcessGuestsCollection.Name)]
public sealed class ExecOrderingTests
{
    [Theory]
    [InlineData("thread", true)] // the joined thread leaves the process ordered: it cannot prove itself unshared
    [InlineData("exec", false)]  // the exec'd image starts over
    public void ExecInPlaceReturnsAutoToUnordered(string mode, bool ordered)
    {
        // The test host never resolves the policy, so it holds the library's defaults: auto, deferred tso.
        Assert.Equal(MemoryModelKind.Auto, MemoryModelPolicy.Requested);
        Assert.Equal(MemoryModelKind.Tso, MemoryModelPolicy.Effective);
        var bin = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "memmodel", "thread_then_exec.c"), "static");
        using var proc = GuestProgram.Load(bin, [bin, mode], environment: ["LANG=C"]);
        var exit = proc.Run();
        Assert.Equal(0, exit.ShellStatus);
        Assert.Equal(ordered, proc.Memory.OrderedAccesses);
    }
}
