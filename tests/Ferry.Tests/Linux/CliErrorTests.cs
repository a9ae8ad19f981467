using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>Bad input to the ferry command gets one clear line and a distinct status, never a stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, byte[] bytes, bool executable = true)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        if (executable) File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return p;
    }

    private static byte[] Sample => File.ReadAllBytes(Path.Combine(Repo.Root, "samples", "hello"));

    private static void AssertCleanError(RunResult r, int status, string fragment)
    {
        Assert.Equal(status, r.Status);
        Assert.Equal("", r.Stdout);
        var lines = r.Stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("ferry: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void MissingFileIs127() =>
        AssertCleanError(ProcessRunner.Ferry(Path.Combine(_dir, "nope"), []), 127, "No such file or directory");

    [Fact]
    public void DirectoryIs126() => AssertCleanError(ProcessRunner.Ferry(_dir, []), 126, "Is a directory");

    [Fact]
    public void TextFileIsNotElf() =>
        AssertCleanError(ProcessRunner.Ferry(Write("script.txt", "hello world\n"u8.ToArray()), []), 126, "not an ELF file");

    [Fact]
    public void EmptyFileIsNotElf() =>
        AssertCleanError(ProcessRunner.Ferry(Write("empty", []), []), 126, "not an ELF file");

    [Fact]
    public void ThirtyTwoBitElfIsRefused()
    {
        var b = Sample;
        b[4] = 1; // ELFCLASS32
        AssertCleanError(ProcessRunner.Ferry(Write("elf32", b), []), 126, "not a 64-bit ELF");
    }

    [Fact]
    public void Arm64ElfIsRefused()
    {
        var b = Sample;
        b[18] = 183; b[19] = 0; // EM_AARCH64
        AssertCleanError(ProcessRunner.Ferry(Write("arm64", b), []), 126, "not an x86-64 program");
    }

    [Fact]
    public void BigEndianElfIsRefused()
    {
        var b = Sample;
        b[5] = 2;
        AssertCleanError(ProcessRunner.Ferry(Write("be", b), []), 126, "not a little-endian");
    }

    [Fact]
    public void TruncatedHeaderIs126() =>
        AssertCleanError(ProcessRunner.Ferry(Write("trunc40", Sample[..40]), []), 126, "truncated ELF header");

    [Fact]
    public void TruncatedProgramHeadersAre126() =>
        AssertCleanError(ProcessRunner.Ferry(Write("trunc100", Sample[..100]), []), 126, "truncated program headers");

    [Fact]
    public void SegmentPastEndOfFileIs126()
    {
        var b = Sample;
        AssertCleanError(ProcessRunner.Ferry(Write("trunc-seg", b[..(b.Length / 2)]), []), 126, "truncated file");
    }

    [Fact]
    public void BadProgramHeaderSizeIs126()
    {
        var b = Sample;
        b[54] = 32; // e_phentsize
        AssertCleanError(ProcessRunner.Ferry(Write("phentsize", b), []), 126, "bad program header size");
    }

    [Fact]
    public void RelocatableObjectIsRefused()
    {
        var b = Sample;
        b[16] = 1; // ET_REL
        AssertCleanError(ProcessRunner.Ferry(Write("obj", b), []), 126, "object file");
    }

    [Fact]
    public void UnreadableFileIs126()
    {
        if (Environment.UserName == "root") return; // root reads anything; nothing to test
        var p = Write("secret", Sample);
        File.SetUnixFileMode(p, UnixFileMode.None);
        AssertCleanError(ProcessRunner.Ferry(p, []), 126, "Permission denied");
    }

    [Fact]
    public void SampleRunsAndPassesArguments()
    {
        var r = ProcessRunner.Ferry(Path.Combine(Repo.Root, "samples", "hello"), ["one", "two three"]);
        Assert.Equal(0, r.Status);
        Assert.Contains("Hello from x86-64!", r.Stdout);
        Assert.Contains("argc = 3", r.Stdout);
        Assert.Contains("  arg: two three\n", r.Stdout);
        Assert.Equal("", r.Stderr);
    }
}
