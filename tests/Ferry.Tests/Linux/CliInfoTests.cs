using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary><c>ferry info</c> and the memory-model option as a user meets them.</summary>
public sealed class CliInfoTests
{
    [Fact]
    public void InfoDescribesThisHost()
    {
        var run = ProcessRunner.Ferry("info", []);
        Assert.Equal(0, run.Status);
        Assert.Contains($"page size: {Environment.SystemPageSize}\n", run.Stdout);
        Assert.Contains("architecture: ", run.Stdout);
        Assert.Contains("hardware TSO: ", run.Stdout);
        Assert.Contains("memory model: auto -> ", run.Stdout);
        // The host ferry runs on, which tests/arm64/run makes ARM64 (under qemu-aarch64).
        if (run.Stdout.Contains("architecture: x86_64\n", StringComparison.Ordinal))
        {
            Assert.Contains("memory model: auto -> hardware\n", run.Stdout);
            Assert.Contains("16-byte compare-exchange: LOCK CMPXCHG16B\n", run.Stdout);
        }
        else
        {
            Assert.Contains("architecture: aarch64\n", run.Stdout);
            Assert.Contains("ordering features: ", run.Stdout);
            // CASPAL needs LSE; without it the exclusive-pair loop (qemu's -cpu cortex-a57 is such a CPU).
            bool lse = run.Stdout.Contains("LSE (atomics)", StringComparison.Ordinal);
            Assert.Contains(lse ? "16-byte compare-exchange: CASPAL (LSE)\n" : "16-byte compare-exchange: LDAXP/STLXP loop\n", run.Stdout);
            Assert.Contains(ProcessRunner.HostOffersTso ? "memory model: auto -> hardware\n" : "memory model: auto -> tso\n", run.Stdout);
        }
    }

    [Fact]
    public void InfoTakesTheRequestedModel()
    {
        var tso = ProcessRunner.Ferry("info", ["--memory-model", "tso"]);
        Assert.Equal(0, tso.Status);
        Assert.Contains("memory model: tso -> tso\n", tso.Stdout);
    }

    [Fact]
    public void UnknownModelIsAUsageError()
    {
        var sample = Path.Combine(Repo.Root, "samples", "hello");
        var bad = ProcessRunner.Ferry(sample, [], ferryOptions: ["--memory-model", "strong"]);
        Assert.Equal(1, bad.Status);
        Assert.Contains("strong", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
        var env = ProcessRunner.Ferry(sample, [], extraEnvironment: new Dictionary<string, string> { ["FERRY_MEMORY_MODEL"] = "strong" });
        Assert.Equal(1, env.Status);
        Assert.Equal("ferry: unknown memory model 'strong' (FERRY_MEMORY_MODEL): use auto, hardware, tso or relaxed\n", env.Stderr);
    }

    [Fact]
    public void EveryModelRunsTheSample()
    {
        var sample = Path.Combine(Repo.Root, "samples", "hello");
        var native = ProcessRunner.Native(sample, []);
        foreach (var m in new[] { "auto", "tso", "relaxed" })
            Assert.Equal(native.ToString(), ProcessRunner.Ferry(sample, [], ferryOptions: ["--memory-model", m]).ToString());
    }

    [Fact]
    public void HelpGivesTheJitThresholdInForce()
    {
        var help = ProcessRunner.Ferry("--help", []);
        Assert.Equal(0, help.Status);
        Assert.Contains($"(default {new Ferry.Jit.JitOptions().Threshold};", help.Stdout);
    }
}
