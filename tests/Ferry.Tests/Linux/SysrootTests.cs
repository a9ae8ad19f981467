using System.Diagnostics;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>--sysroot and FERRY_SYSROOT with qemu -L semantics, on a real sysroot built here: a dynamic
/// program whose ELF interpreter, libc and own library exist only under /opt/ferry-sysroot-test inside
/// the sysroot (the interpreter and libc behind absolute symlinks that resolve only inside it) (the host has no /opt/ferry-sysroot-test, so natively it cannot even start), and a data
/// file that exists only in the sysroot's /etc.</summary>
public sealed class SysrootTests : IDisposable
{
    private const string Prefix = "/opt/ferry-sysroot-test";
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-sysroot-").FullName;
    private readonly string _program = Prefix + "/bin/sysroot_main";

    public SysrootTests()
    {
        Assert.False(Directory.Exists(Prefix), $"{Prefix} must not exist on the host for this test");
        string lib = Path.Combine(_root, "opt/ferry-sysroot-test/lib"), bin = Path.Combine(_root, "opt/ferry-sysroot-test/bin");
        Directory.CreateDirectory(lib);
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc/ferry-sysroot-marker"), "only in the sysroot\n");
        // The host's own x86-64 loader and libc, copied under names the host does not have, and reached
        // through absolute symlinks that are only right inside the sysroot (as in a debootstrapped tree).
        string real = Path.Combine(_root, "opt/ferry-sysroot-test/real");
        Directory.CreateDirectory(real);
        File.Copy(Resolve("/lib64/ld-linux-x86-64.so.2"), Path.Combine(real, "ld.so"));
        File.Copy(Resolve("/lib/x86_64-linux-gnu/libc.so.6"), Path.Combine(real, "libc.so.6"));
        File.CreateSymbolicLink(Path.Combine(_root, "opt/ferry-sysroot-test/ld.so"), Prefix + "/real/ld.so");
        File.CreateSymbolicLink(Path.Combine(lib, "libc.so.6"), Prefix + "/real/libc.so.6");
        string src = Path.Combine(Repo.GuestSources, "sysroot");
        Gcc("-shared", "-fPIC", "-O2", "-o", Path.Combine(lib, "libferrysysroot.so"), Path.Combine(src, "sysroot_lib.c"));
        Gcc("-O2", "-pie", "-o", Path.Combine(bin, "sysroot_main"), Path.Combine(src, "sysroot_main.c"), "-L" + lib, "-lferrysysroot",
            $"-Wl,-rpath,{Prefix}/lib", $"-Wl,--dynamic-linker={Prefix}/ld.so");
    }

    private static string Resolve(string path) => new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path;

    private static void Gcc(params string[] args)
    {
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "gcc timed out");
        Assert.True(p.ExitCode == 0, $"gcc {string.Join(' ', args)}:\n{err}");
    }

    private const string Expected = """
        hello from a library found only in the sysroot
        marker: only in the sysroot
        stat marker: 0, size 20
        host /etc/passwd visible: 1
        mapped /opt/ferry-sysroot-test/real/ld.so
        mapped /opt/ferry-sysroot-test/real/libc.so.6
        mapped /opt/ferry-sysroot-test/lib/libferrysysroot.so
        mapped /opt/ferry-sysroot-test/bin/sysroot_main
        exe: /opt/ferry-sysroot-test/bin/sysroot_main
        execfn: /opt/ferry-sysroot-test/bin/sysroot_main
        exec'd exe: /opt/ferry-sysroot-test/bin/sysroot_main
        execfn: /opt/ferry-sysroot-test/bin/sysroot_main

        """;

    [Fact]
    public void OptionFindsInterpreterLibrariesProgramAndFiles()
    {
        var r = ProcessRunner.Ferry(_program, [], ferryOptions: ["--sysroot", _root]);
        Assert.Equal($"status 0\n--- stderr ---\n\n--- stdout ---\n{Expected}", r.ToString());
    }

    [Fact]
    public void EnvironmentVariableIsTheDefault()
    {
        var r = ProcessRunner.Ferry(_program, [], extraEnvironment: new Dictionary<string, string> { ["FERRY_SYSROOT"] = _root });
        Assert.Equal($"status 0\n--- stderr ---\n\n--- stdout ---\n{Expected}", r.ToString());
    }

    [Fact]
    public void WithoutSysrootTheInterpreterIsMissing()
    {
        var r = ProcessRunner.Ferry(Path.Combine(_root, "opt/ferry-sysroot-test/bin/sysroot_main"), []);
        Assert.Equal(126, r.Status);
        Assert.Contains($"ELF interpreter {Prefix}/ld.so not found", r.Stderr);
    }

    [Fact]
    public void SysrootThatIsNotADirectoryIs126()
    {
        var r = ProcessRunner.Ferry("/usr/bin/true", [], ferryOptions: ["--sysroot", Path.Combine(_root, "nope")]);
        Assert.Equal(126, r.Status);
        Assert.Contains("sysroot is not a directory", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    public void Dispose() => Directory.Delete(_root, true);
}
