using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>Ferry as a library: a .NET program runs a guest in-process and reads its status and output.</summary>
public sealed class LibraryTests
{
    private static string Sample => Path.Combine(Repo.Root, "samples", "hello");

    [Fact]
    public void RunCapturedReturnsStatusAndOutput()
    {
        var run = GuestProgram.RunCaptured(Sample, ["hello", "from", ".NET"]);
        Assert.Equal(0, run.Exit.ExitCode);
        Assert.False(run.Exit.Signaled);
        Assert.StartsWith("Hello from x86-64!", run.StandardOutputText);
        Assert.Contains("argc = 3\n  arg: from\n  arg: .NET\n", run.StandardOutputText);
        Assert.Empty(run.StandardError);
    }

    [Fact]
    public void GuestStdinComesFromTheCaller()
    {
        var src = Path.Combine(Repo.GuestSources, "stdin_echo.c");
        var bin = GuestBuilder.Build(src, "static");
        var run = GuestProgram.RunCaptured(bin, [bin], environment: ["LANG=C"], input: "abc\ndef\n"u8.ToArray());
        var native = ProcessRunner.Native(bin, [], "abc\ndef\n"u8.ToArray());
        Assert.Equal(native.Stdout, run.StandardOutputText);
        Assert.Equal(native.Status, run.Exit.ShellStatus);
    }

    [Fact]
    public void AGuestCrashIsReportedNotThrown()
    {
        var bin = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "crash_segv.c"), "static");
        var run = GuestProgram.RunCaptured(bin, [bin]);
        Assert.True(run.Exit.Signaled);
        Assert.Equal(11, run.Exit.Signal);
        Assert.Equal(139, run.Exit.ShellStatus);
    }

    [Fact]
    public void MissingProgramThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => GuestProgram.RunCaptured("/nonexistent/prog", ["prog"]));

    [Fact]
    public void UnknownSystemCallsAreReportedOnceUnderStrace()
    {
        var bin = GuestBuilder.Build(Path.Combine(Repo.GuestSources, "unknown_syscall.c"), "static");
        var r = ProcessRunner.Ferry(bin, [], ferryOptions: ["--strace"]);
        Assert.Equal(0, r.Status);
        Assert.Contains("syscall(1000) = -1 errno=ENOSYS", r.Stdout);
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains("unknown system call 1000,"));
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains("unknown system call 100000,"));
    }
}
