using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>A guest spin loop on a plain flag sees the other thread's store under every memory model with the JIT
/// compiling the loop (tests/guest/memmodel/spin_flag.c): in relaxed and hardware the accesses are plain loads,
/// which RyuJIT must not hoist out of the compiled loop or merge.</summary>
public sealed class SpinLoopTests
{
    [Theory]
    [InlineData("relaxed")]
    [InlineData("hardware")]
    [InlineData("tso")]
    [InlineData("auto")]
    public void SeesTheOtherThreadsStore(string model)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "memmodel", "spin_flag.c"), "static");
        var native = ProcessRunner.Native(binary, [], timeoutSeconds: 300);
        Assert.Equal(0, native.Status);
        // A hoisted load spins for ever: the runner's time limit turns that into a failure.
        var ferry = ProcessRunner.Ferry(binary, [], timeoutSeconds: 300, ferryOptions: ["--memory-model", model, "--jit-threshold", "4"]);
        if (model == "hardware" && !ProcessRunner.HostOffersTso)
        {
            Assert.Equal(125, ferry.Status);
            Assert.Contains("does not offer hardware TSO", ferry.Stderr);
            return;
        }
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
