using System.Diagnostics;

namespace Ferry.Tests.Support;

/// <summary>Runs programs natively and under the ferry command, the same way, for comparison.</summary>
public static class ProcessRunner
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
        IEnumerable<string>? ferryOptions = null, IReadOnlyDictionary<string, string>? extraEnvironment = null) =>
        Run("dotnet", new[] { FerryDll }.Concat(ferryOptions ?? []).Append(program).Concat(args), stdin, cwd, timeoutSeconds, extraEnvironment);

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
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in {timeoutSeconds} s");
        }
        return new RunResult(p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }
}
