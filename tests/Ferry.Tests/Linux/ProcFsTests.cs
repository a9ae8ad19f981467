using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>The parts of the guest's /proc that have no native oracle: /proc/cpuinfo lists exactly the
/// features of the CPU level the guest is given, by Linux's names and in its order.</summary>
public sealed class ProcFsTests
{
    [Theory]
    [InlineData("x86-64", "fpu tsc cx8 cmov clflush mmx fxsr sse sse2 syscall nx lm lahf_lm")]
    [InlineData("v2", "fpu tsc cx8 cmov clflush mmx fxsr sse sse2 syscall nx lm pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm")]
    public void CpuinfoFlagsAreExactlyTheLevel(string level, string flags)
    {
        var r = ProcessRunner.Ferry("/usr/bin/grep", ["-m3", "-E", "^(flags|model name|vendor_id)", "/proc/cpuinfo"], ferryOptions: ["--cpu", level]);
        Assert.Equal($"status 0\n--- stderr ---\n\n--- stdout ---\nvendor_id\t: GenuineIntel\nmodel name\t: Ferry emulated x86-64 CPU\nflags\t\t: {flags}\n", r.ToString());
    }

    [Fact]
    public void CpuinfoHasOneEntryPerProcessor()
    {
        var r = ProcessRunner.Ferry("/usr/bin/grep", ["-c", "^processor", "/proc/cpuinfo"]);
        Assert.Equal((0, $"{Environment.ProcessorCount}\n"), (r.Status, r.Stdout));
    }

    [Fact]
    public void ExeIsBoundAtExecNotToTheWorkingDirectory()
    {
        // Started by a relative name, the program changes directory, and exe still names it (resolved).
        const string script = "import os\nos.chdir('/tmp')\nprint(os.readlink('/proc/self/exe'), open('/proc/self/exe', 'rb').read(4))";
        var native = ProcessRunner.Native("/usr/bin/python3", ["-c", script]);
        var ferry = ProcessRunner.Ferry("python3", ["-c", script], cwd: "/usr/bin");
        Assert.Equal(native.ToString(), ferry.ToString());
    }

    [Fact]
    public void GeneratedFilesCannotBeWritten()
    {
        // As on Linux, a write to /proc/self/cmdline fails (root may open it for writing, nobody may write).
        var r = ProcessRunner.Ferry("/usr/bin/python3", ["-c",
            "import os\ntry:\n  fd = os.open('/proc/self/cmdline', os.O_WRONLY); os.write(fd, b'x'); print('wrote')\nexcept OSError as e: print('refused')"]);
        Assert.Equal((0, "refused\n"), (r.Status, r.Stdout));
    }
}
