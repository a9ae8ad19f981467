using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>Descriptors ferry is started with, beyond 0, 1 and 2, are the guest's under the same numbers, as for a
/// program started by exec (a shell's <c>3&lt;file</c>, a pipe a parent passes on, make's jobserver). Before, the guest
/// had only 0, 1 and 2: <c>cat &lt;&amp;3</c> failed with "Bad file descriptor".</summary>
public sealed class InheritedDescriptorTests
{
    // The outer shell opens 3 and 5 and then runs the inner one natively or under ferry, by exec.
    private const string Outer = """
        exec 3</etc/hostname 5>&1 6</dev/null
        exec 6<&-
        if [ "$1" = native ]; then exec /bin/sh -c "$2"; else exec "$3" "$4" /bin/sh -c "$2"; fi
        """;

    private const string Inner = """
        cat <&3
        echo through 5 >&5
        ls /proc/self/fd | tr '\n' ' '; echo
        [ -e /proc/self/fd/6 ] || echo 6 closed
        """;

    [Fact]
    public void TheGuestGetsThemUnderTheSameNumbers()
    {
        string dotnet = Environment.ProcessPath ?? "dotnet";
        var native = ProcessRunner.Native("/bin/sh", ["-c", Outer, "sh", "native", Inner]);
        var ferry = ProcessRunner.Native("/bin/sh", ["-c", Outer, "sh", "ferry", Inner, dotnet, ProcessRunner.FerryDll]);
        Assert.True(native.Status == 0, native.ToString());
        Assert.Contains("through 5\n", native.Stdout);
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
