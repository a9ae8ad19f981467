using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>The host's /bin/sh (an x86-64 ELF here: dash, dynamically linked) run under Ferry must behave as
/// natively: pipelines fork and exec, subshells exit with their status, $? reports it.</summary>
public sealed class ShellTests
{
    [Theory]
    [InlineData("echo a | tr a b; (exit 3); echo $?")]
    [InlineData("for i in 1 2 3; do echo $i; done | sort -r | head -n 2; false || echo or; kill -TERM $$")]
    [InlineData("x=$(echo inner; exit 5); echo \"$x $?\"; sh -c 'exit 7'; echo $?; exec /bin/echo replaced")]
    public void ShellMatchesNative(string script)
    {
        var header = new byte[20];
        using (var f = File.OpenRead("/bin/sh")) f.ReadExactly(header);
        Assert.True(header[0] == 0x7F && header[1] == 'E' && header[18] == 62, "/bin/sh must be an x86-64 ELF for this test");
        var native = ProcessRunner.Native("/bin/sh", ["-c", script]);
        var ferry = ProcessRunner.Ferry("/bin/sh", ["-c", script]);
        Assert.Equal(native.ToString(), ferry.ToString());
    }

    private const string Traps = """
        trap 'echo exit trap $?' EXIT
        trap 'echo got USR1' USR1
        trap 'echo got TERM' TERM
        trap 'echo got INT' INT
        kill -USR1 $$; kill -TERM $$; kill -INT $$
        echo after
        trap 'echo usr2 handled; exit 12' USR2
        kill -USR2 $$
        echo not reached
        """;

    // Background jobs are started with no TERM trap, so a kill that lands before the child execs acts the
    // same as one after. A background job's "Terminated" or "Killed" line is printed only when the wait
    // builtin itself reaps the job; busybox sh sometimes reaps it earlier and prints nothing (natively 7 runs
    // of 108 under load), so those waits' stderr goes nowhere, and foreground jobs, whose line the shell
    // always prints, show the messages.
    private const string Jobs = """
        sleep 5 & p=$!
        kill -TERM $p; wait $p 2>/dev/null; echo "wait status $?"
        (exit 7) & q=$!; wait $q; echo "wait q $?"
        ( sleep 0.05; exit 9 ) & r=$!
        sh -c 'exit 3' & s=$!
        wait $r; echo "r $?"; wait $s; echo "s $?"
        true & false &
        wait; echo "all waited $?"
        sleep 5 & k=$!; kill -KILL $k; wait $k 2>/dev/null; echo "killed $?"
        sleep 5 & kill -TERM $!; wait
        sh -c 'kill -TERM $$'; echo "foreground terminated $?"
        sh -c 'kill -KILL $$'; echo "foreground killed $?"
        trap 'echo bg trap' USR1
        ( kill -USR1 $$ ) ; echo "after bg kill"
        """;

    private const string Substitutions = """
        x=$(echo a; (echo b; echo c) | tr b B; echo d)
        echo "$x" | while read l; do echo "line $l"; done
        v=$( (exit 4) ); echo "subst $?"
        ( trap 'echo sub exit' EXIT; echo in sub; exit 5 ); echo "sub $?"
        echo one two three | { read a b c; echo "$c $b $a"; }
        i=0; while [ $i -lt 5 ]; do i=$((i+1)); echo $i; done | sort -r | head -n 3
        echo $(echo $(echo nested) $(printf '%s' x | wc -c))
        f() { echo "f $1"; return $(( $1 + 1 )); }; f 4; echo "ret $?"
        { echo to stderr >&2; echo to stdout; } 2>&1 | cat -n
        seq 1 2000 | grep 7 | wc -l
        """;

    public static IEnumerable<object[]> ShellScripts() =>
        from sh in new[] { "/usr/bin/dash", "/usr/bin/busybox" }
        from script in new[] { nameof(Traps), nameof(Jobs), nameof(Substitutions) }
        select new object[] { sh, script };

    /// <summary>dash and busybox sh (static) run scripts with traps (EXIT, INT, TERM, USR1/USR2 from kill $$),
    /// background jobs ($!, wait, wait PID, kill -TERM giving 143, kill -KILL giving 137), subshells, pipelines
    /// and command substitution: output and status as natively.</summary>
    [Theory]
    [MemberData(nameof(ShellScripts))]
    public void ScriptMatchesNative(string shell, string name)
    {
        string script = name switch { nameof(Traps) => Traps, nameof(Jobs) => Jobs, _ => Substitutions };
        Assert.True(File.Exists(shell), $"{shell} is not installed (.ci/run installs it)");
        string[] args = shell.EndsWith("busybox", StringComparison.Ordinal) ? ["sh", "-c", script] : ["-c", script];
        var native = ProcessRunner.Native(shell, args);
        var ferry = ProcessRunner.Ferry(shell, args);
        Assert.Equal(native.ToString(), ferry.ToString());
    }

    /// <summary>Many short-lived forked children that exec at once (a pipeline, a plain command, a subshell with a
    /// pipe) must all exit 0, with no hang. Children hung when forked while the parent's finalizer held the
    /// runtime's code heap lock, and died of SIGSEGV or SIGABRT when their runtime walked the stack of a thread the
    /// fork left behind after glibc had given that stack to a new thread of the child (fork_threads_child_gc.c), or
    /// hung on a lock of the tiered compiler's thread (tiered compilation is off since).</summary>
    [Fact]
    public void ManyForksAndExecsAllSucceed()
    {
        const string script = """
            n=0
            for i in $(seq 100); do
              echo x | tr x y >/dev/null || echo "tr $i: $?"
              expr 1 + 1 >/dev/null || echo "expr $i: $?"
              (true | wc -c >/dev/null) || echo "sub $i: $?"
              n=$((n+1))
            done
            echo "rounds $n"
            """;
        var native = ProcessRunner.Native("/usr/bin/dash", ["-c", script]);
        // The limit only catches a hang: the run costs some 37 s of CPU (600 forks, 300 of them exec in place) and
        // took 135 s at load 30 on this 2-core machine, alone; two runs of the suite at once hit 240 s.
        var ferry = ProcessRunner.Ferry("/usr/bin/dash", ["-c", script], timeoutSeconds: 900);
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
