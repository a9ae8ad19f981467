using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>Lock-free and fine-grained concurrent guest programs (tests/guest/threads_*.c) print the native
/// run's output under each memory model that must keep them correct, with the JIT compiling their loops.</summary>
public sealed class ConcurrentProgramTests
{
    public static TheoryData<string, string> Cases()
    {
        var d = new TheoryData<string, string>();
        foreach (var p in new[] { "threads_mpmc_queue", "threads_seqlock", "threads_refcount", "threads_work_stealing", "threads_locked_ops" })
            foreach (var m in new[] { "tso", "auto", "hardware" })
                d.Add(p, m);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheNativeRun(string program, string model)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, program + ".c"), "static");
        var native = ProcessRunner.Native(binary, []);
        Assert.Equal(0, native.Status);
        var ferry = ProcessRunner.Ferry(binary, [], ferryOptions: ["--memory-model", model, "--jit-threshold", "4"]);
        if (model == "hardware" && !ProcessRunner.HostOffersTso)
        {
            // A host without a TSO switch (an ARM64 host under tests/arm64/run) must refuse, not run unordered.
            Assert.Equal(125, ferry.Status);
            Assert.Contains("does not offer hardware TSO", ferry.Stderr);
            return;
        }
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
