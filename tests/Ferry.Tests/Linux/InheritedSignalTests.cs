using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>Signals ignored when ferry starts (SIG_IGN survives execve) are ignored in the guest, as they are
/// in the program run natively: `nohup ferry prog`, or a job a non-interactive shell puts in the background.
/// SIGTERM is not among them: the .NET runtime installs its handler before any code of Ferry's runs, so an
/// inherited SIG_IGN of SIGTERM cannot be seen (nor SIGPIPE's, which the runtime ignores itself).</summary>
public sealed class InheritedSignalTests
{
    [Theory]
    [InlineData("HUP INT QUIT USR1 USR2 ALRM TSTP TTIN TTOU WINCH URG")]
    [InlineData("HUP")]
    public void IgnoredAtStartStayIgnored(string signals)
    {
        string prog = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "signals_inherited_ignore.c"), "static");
        // The shell ignores them, then execs the program (or ferry): only the exec's inheritance is tested.
        string script = $"trap '' {signals}; exec \"$@\"";
        var native = ProcessRunner.Native("/bin/sh", ["-c", script, "sh", prog]);
        var ferry = ProcessRunner.Native("/bin/sh", ["-c", script, "sh", "dotnet", ProcessRunner.FerryDll, prog]);
        Assert.Contains("still running", native.Stdout);
        Assert.Equal(native.Stdout, ferry.Stdout);
        Assert.Equal(native.Status, ferry.Status);
        Assert.Equal("", ferry.Stderr);
    }
}
