using System.Text;
using System.Text.RegularExpressions;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Jit;

/// <summary>Guest programs with blocks compiled on the worker thread at a low threshold (so much of the
/// program runs while compilations are in flight) and compiled code chained: the output must match the native
/// run. Among them: forks while the worker compiles, self-modifying code racing its compilation, deep
/// recursion (a guest call is never a host call), returns that miss the region's prediction (longjmp, signal
/// handlers, swapcontext, a rewritten return address), and signal handlers entered from compiled loops.</summary>
public sealed class JitBackgroundProgramTests
{
    public static TheoryData<string, string, string> Programs() => new()
    {
        { "jit_fork_compiling.c", "static", "1" },
        { "jit_fork_compiling.c", "static-pie", "1" },
        { "jit_deep_recursion.c", "static", "1" },
        { "jit_deep_recursion.c", "static-pie", "0" },
        { "jit_return_paths.c", "static", "1" },
        { "jit_return_paths.c", "static-pie", "0" },
        { "jit_self_modifying.c", "static-pie", "1" },
        { "jit_fault_hot_loop.c", "static", "1" },
        { "signals_handlers.c", "static", "1" },
        { "algo_mix.c", "static", "1" },
        { "qsort_bsearch.c", "static-pie", "1" },
    };

    private static readonly byte[] Input = Encoding.UTF8.GetBytes("first line\nSecond Line\n");

    [Theory, MemberData(nameof(Programs))]
    public void MatchesNative(string source, string mode, string background)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, source), mode);
        var native = ProcessRunner.Native(binary, [], Input);
        var ferry = ProcessRunner.Ferry(binary, [], Input, ferryOptions: ["--jit-threshold", "8", "--jit-stats"],
            // Regions early, so that calls and returns inside them (return prediction) run a lot.
            extraEnvironment: new Dictionary<string, string> { ["FERRY_JIT_BACKGROUND"] = background, ["FERRY_JIT_REGION_THRESHOLD"] = "64" });
        // Every process prints its totals at exit (forked children too).
        var stats = Regex.Matches(ferry.Stderr, @"^ferry: jit: (\d+) blocks compiled, 0 runs verified, 0 runs not checkable, \d+ ms translating\n", RegexOptions.Multiline);
        Assert.True(stats.Count > 0, ferry.ToString());
        var stderr = Regex.Replace(ferry.Stderr, @"^ferry: jit: .*\n", "", RegexOptions.Multiline);
        Assert.Equal(native.ToString(), new RunResult(ferry.Status, ferry.Stdout, stderr).ToString());
        Assert.True(long.Parse(stats[^1].Groups[1].Value) > 10, ferry.Stderr);
    }
}
