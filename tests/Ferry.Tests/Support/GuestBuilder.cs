using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Ferry.Tests.Support;

/// <summary>Compiles guest C programs with the machine's gcc, once per source, flags and link mode,
/// into a cache keyed by their content.</summary>
public static class GuestBuilder
{
    // The test scripts run with a scratch TMPDIR removed at exit (tests/scratch-tmpdir) and name a cache that
    // outlives the run, so the binaries are not built again on every run.
    private static readonly string Cache = Environment.GetEnvironmentVariable("FERRY_GUEST_CACHE") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetTempPath(), "ferry-guest-bin");
    private static readonly Lock Gate = new();

    /// <summary>Extra flags from a first-line <c>// cflags: ...</c> comment.</summary>
    public static string[] ExtraFlags(string source)
    {
        var first = File.ReadLines(source).FirstOrDefault() ?? "";
        const string tag = "// cflags:";
        return first.StartsWith(tag, StringComparison.Ordinal)
            ? first[tag.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : Array.Empty<string>();
    }

    /// <summary>Builds <paramref name="source"/> with <paramref name="mode"/> ("static", "static-pie" or
    /// "dynamic") and returns the binary's path.</summary>
    public static string Build(string source, string mode)
    {
        var flags = new List<string> { "-O2", "-w", "-g0" };
        flags.Add(mode switch { "static" => "-static", "static-pie" => "-static-pie", _ => "-pie" });
        var extra = ExtraFlags(source);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(source) + "|" + mode + "|" + string.Join(' ', extra))))[..16];
        var output = Path.Combine(Cache, $"{Path.GetFileNameWithoutExtension(source)}-{mode}-{key}");
        lock (Gate)
        {
            if (File.Exists(output)) return output;
            Directory.CreateDirectory(Cache);
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
            // Flags from the source come after the defaults so "-O3" there wins; libraries go last.
            foreach (var f in flags) psi.ArgumentList.Add(f);
            foreach (var f in extra.Where(f => !f.StartsWith("-l", StringComparison.Ordinal))) psi.ArgumentList.Add(f);
            psi.ArgumentList.Add("-o"); psi.ArgumentList.Add(output + ".tmp");
            psi.ArgumentList.Add(source);
            foreach (var f in extra.Where(f => f.StartsWith("-l", StringComparison.Ordinal))) psi.ArgumentList.Add(f);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"gcc failed for {source} ({mode}):\n{err}");
            File.Move(output + ".tmp", output, true);
            return output;
        }
    }
}
