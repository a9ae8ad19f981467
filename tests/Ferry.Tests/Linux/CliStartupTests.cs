using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>The start-up path of <c>ferry PROGRAM ARGS</c>: its trace, and what it must not load.</summary>
public sealed class CliStartupTests
{
    private static string Sample => Path.Combine(Repo.Root, "samples", "hello");

    private static readonly Dictionary<string, string> Trace = new() { ["FERRY_STARTUP_TRACE"] = "1" };

    /// <summary>FERRY_STARTUP_TRACE prints every phase to standard error and changes nothing else.</summary>
    [Fact]
    public void TraceNamesEveryPhaseAndLeavesTheGuestAlone()
    {
        var plain = ProcessRunner.Ferry(Sample, ["a", "b"]);
        var traced = ProcessRunner.Ferry(Sample, ["a", "b"], extraEnvironment: Trace);
        Assert.Equal(0, plain.Status);
        Assert.Equal(plain.Status, traced.Status);
        Assert.Equal(plain.Stdout, traced.Stdout);
        Assert.Equal("", plain.Stderr);
        var lines = traced.Stderr.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.StartsWith("ferry: startup: ", l));
        foreach (var phase in new[] { "runtime started", "command line parsed (fast path)", "ELF headers read", "initial stack and auxv", "first guest stop", "guest ran and exited" })
            Assert.Contains(lines, l => l.Contains(phase, StringComparison.Ordinal));
    }

    /// <summary>A plain run takes the fast path: System.CommandLine is not even loaded, nor the
    /// cryptography library (AT_RANDOM comes from getrandom), each of which cost milliseconds.</summary>
    [Fact]
    public void PlainRunLoadsNoParserAndNoCryptography()
    {
        var traced = ProcessRunner.Ferry(Sample, [], extraEnvironment: Trace);
        Assert.Equal(0, traced.Status);
        Assert.Contains("loaded System.Private.CoreLib", traced.Stderr);
        Assert.DoesNotContain("System.CommandLine", traced.Stderr);
        Assert.DoesNotContain("System.Security.Cryptography", traced.Stderr);
    }

    /// <summary>On the fast path, words after the program that look like Ferry's options are the guest's.</summary>
    [Fact]
    public void OptionsAfterTheProgramAreTheGuests()
    {
        string[] args = ["--strace", "--jit", "off", "-h", "--"];
        var native = ProcessRunner.Native(Sample, args);
        var ferry = ProcessRunner.Ferry(Sample, args);
        Assert.Equal(native.Status, ferry.Status);
        Assert.Equal(native.Stdout, ferry.Stdout);
        Assert.Equal(native.Stderr, ferry.Stderr);
    }
}
