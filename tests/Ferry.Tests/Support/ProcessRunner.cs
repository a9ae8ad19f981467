using System.Diagnostics;

namespace Ferry.Tests.Support;

/// <summary>Runs programs natively and under the ferry command, the same way, for comparison.</summary>
public static partial class ProcessRunner
{
    /// <summary>The built ferry command (the CLI assembly next to the tests).</summary>
    public static string FerryDll => Path.Combine(AppContext.BaseDirectory, "Ferry.Cli.dll");

    /// <summary>A fixed environment so native and emulated runs see the same one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C",
        ["HOME"] = "/tmp",
        ["FERRY_TEST"] = "1",
    };

    public static RunResult Native(string program, IEnumerable<string> args, byte[]? stdin = null, string? cwd = null, int timeoutSeconds = 60) =>
        Run(program, args, stdin, cwd, timeoutSeconds, null);

    /// <summary>Runs <paramref name="program"/> under ferry; <paramref name="extraEnvironment"/> is added to the fixed environment.</summary>
    public static RunResult Ferry(string program, IEnumerable<string> args, byte[]? stdin = null, string? cwd = null, int timeoutSeconds = 300,
        IEnumerable<string>? ferryOptions = null, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        if (Runner.Length == 0)
            return Run("dotnet", new[] { FerryDll }.Concat(ferryOptions ?? []).Append(program).Concat(args), stdin, cwd, timeoutSeconds, extraEnvironment);
        var run = Run(Runner[0], Runner.Skip(1).Concat(ferryOptions ?? []).Append(program).Concat(args), stdin, cwd, timeoutSeconds * RunnerSlowdown, extraEnvironment);
        return run with { Stderr = QemuReport().Replace(run.Stderr, "") };
    }

    /// <summary>FERRY_TEST_RUNNER, when set, is the command (words separated by spaces) that runs ferry in place of
    /// <c>dotnet Ferry.Cli.dll</c>: tests/arm64/run points it at the linux-arm64 build under qemu-aarch64, so the
    /// same comparisons check Ferry on an ARM64 host.</summary>
    public static readonly string[] Runner =
        (System.Environment.GetEnvironmentVariable("FERRY_TEST_RUNNER") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the host ferry runs on offers hardware TSO (<c>ferry info</c> says "hardware TSO: yes"):
    /// always on x86-64; under FERRY_TEST_RUNNER, what that host's kernel answers.</summary>
    public static bool HostOffersTso => LazyHostTso.Value;

    private static readonly Lazy<bool> LazyHostTso = new(() =>
    {
        var info = Runner.Length == 0
            ? Run("dotnet", [FerryDll, "info"], null, null, 60, null)
            : Run(Runner[0], Runner.Skip(1).Append("info"), null, null, 60 * RunnerSlowdown, null);
        if (info.Status != 0) throw new InvalidOperationException($"ferry info failed: {info}");
        return info.Stdout.Contains("hardware TSO: yes", StringComparison.Ordinal);
    });

    // Ferry under qemu's TCG runs some ten times slower; the timeouts only catch hangs.
    private const int RunnerSlowdown = 10;

    // qemu-user reports a guest (here: ferry itself) killed by a signal on its own stderr; the native run has no
    // such line, and the status already says which signal it was.
    [System.Text.RegularExpressions.GeneratedRegex(@"^qemu: uncaught target signal [^\n]*\n", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex QemuReport();

    /// <summary>The CPU time (user and system, children reaped or not) of process <paramref name="root"/> and its
    /// descendants, how many there are and their scheduler states (R, S, D, ...), from /proc.</summary>
    private static (double Seconds, int Count, string States) TreeCpu(int root)
    {
        var procs = new Dictionary<int, (int Parent, char State, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // After the command name in parentheses: state, ppid, ..., utime, stime, cutime, cstime (fields 3-17).
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                procs[pid] = (int.Parse(f[1]), f[0][0], long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        var tree = new HashSet<int> { root };
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, info) in procs) if (tree.Contains(info.Parent) && tree.Add(pid)) grew = true;
        }
        var inTree = procs.Where(x => tree.Contains(x.Key)).Select(x => x.Value).ToList();
        // USER_HZ, the unit of /proc's times, is 100 on every Linux architecture.
        return (inTree.Sum(x => x.Ticks) / 100.0, inTree.Count, string.Concat(inTree.Select(x => x.State).Order()));
    }

    private static RunResult Run(string file, IEnumerable<string> args, byte[]? stdin, string? cwd, int timeoutSeconds, IReadOnlyDictionary<string, string>? extra)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? Path.GetTempPath(),
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin != null) p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException) { }
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            // Whether the processes still ran (a slow run on a loaded machine) or sat still (a hang).
            var (cpu, count, states) = TreeCpu(p.Id);
            Thread.Sleep(2000);
            var (later, _, _) = TreeCpu(p.Id);
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in {timeoutSeconds} s " +
                $"(its {count} processes, states {states}, had used {cpu:F1} s of CPU, {later - cpu:F2} s of it in the last 2 s)");
        }
        return new RunResult(p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }
}
