using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>Locked accesses that no host atomic instruction covers race with aligned locked accesses to the same
/// bytes from other guest threads and lose no update: FERRY_LOCKED_PATHS makes an x86-64 host take the paths of
/// other hosts. With <c>arm64</c> a quadword across a 16-byte boundary or a page takes the bus lock (the other
/// guest threads stopped), as on an ARM64 host; with <c>portable</c> (no native compare-exchange stubs at all)
/// CMPXCHG16B and every operand across an 8-byte boundary do. Before the bus lock they took a process-wide lock
/// that the aligned accesses never took, and threads_split_lock printed LOST UPDATES.</summary>
public sealed class SplitLockTests
{
    [Theory]
    [InlineData("threads_split_lock", "arm64")]
    [InlineData("threads_split_lock", "portable")]
    [InlineData("threads_locked_mixed", "portable")]
    public void MatchesTheNativeRun(string program, string paths)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, program + ".c"), "static");
        var native = ProcessRunner.Native(binary, [], timeoutSeconds: 300);
        Assert.Equal(0, native.Status);
        var ferry = ProcessRunner.Ferry(binary, [], ferryOptions: ["--memory-model", "tso", "--jit-threshold", "4"],
            extraEnvironment: new Dictionary<string, string> { ["FERRY_LOCKED_PATHS"] = paths });
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
