using System.Diagnostics;
using System.Text.RegularExpressions;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>`python3 -m http.server` and HTTP clients on loopback, with one side native and the other
/// under Ferry: a native server answers curl and python's urllib run under Ferry as it answers them run
/// natively, and a server under Ferry answers native curl and wget as the native server does, then ends
/// on SIGINT as the native one does. (Both sides under Ferry are a DebianProgramTests case.)</summary>
public sealed partial class LoopbackHttpTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-http-").FullName;

    public LoopbackHttpTests()
    {
        File.WriteAllText(Path.Combine(_dir, "page.txt"), "served over loopback\n");
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllBytes(Path.Combine(_dir, "sub", "blob.bin"), Enumerable.Range(0, 3000).Select(i => (byte)(i * 31)).ToArray());
    }

    [GeneratedRegex(@"port (\d+)")]
    private static partial Regex PortLine();

    private sealed class Server : IDisposable
    {
        public Process Process { get; }
        public int Port { get; }

        public Server(bool underFerry, string dir)
        {
            var args = new List<string> { "/usr/bin/python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir };
            var psi = new ProcessStartInfo(underFerry ? "dotnet" : args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (underFerry) psi.ArgumentList.Add(ProcessRunner.FerryDll);
            foreach (var a in underFerry ? args : args.Skip(1)) psi.ArgumentList.Add(a);
            psi.Environment.Clear();
            foreach (var (k, v) in ProcessRunner.Environment) psi.Environment[k] = v;
            Process = Process.Start(psi)!;
            var first = Process.StandardOutput.ReadLineAsync();
            Assert.True(first.Wait(TimeSpan.FromSeconds(240)), "the server did not start");
            var m = PortLine().Match(first.Result ?? "");
            Assert.True(m.Success, $"no port in the server's first line: {first.Result}");
            Port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>SIGINT, as Ctrl-C would send; returns the exit status, what the server printed on the way
        /// out, and how many requests it logged.</summary>
        public (int Status, string Out, int Requests) Interrupt()
        {
            var err = Process.StandardError.ReadToEndAsync();
            var rest = Process.StandardOutput.ReadToEndAsync();
            using (var kill = Process.Start("kill", ["-INT", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(Process.WaitForExit(240_000), "the server did not end on SIGINT");
            return (Process.ExitCode, rest.Result.Trim(), err.Result.Split('\n').Count(l => l.Contains("\"GET ", StringComparison.Ordinal)));
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill();
            Process.Dispose();
        }
    }

    private static string Urllib(int port) => $"""
        import urllib.request, urllib.error, hashlib
        r = urllib.request.urlopen("http://127.0.0.1:{port}/page.txt")
        print(r.status, r.headers["Content-Type"], r.read())
        print(hashlib.sha256(urllib.request.urlopen("http://127.0.0.1:{port}/sub/blob.bin").read()).hexdigest())
        try: urllib.request.urlopen("http://127.0.0.1:{port}/nothing")
        except urllib.error.HTTPError as e: print(e.code)
        """;

    private static string[] Curl(int port) => ["-s", "-S", "-o", "-", "-w", "%{http_code} %{size_download}\n", $"http://127.0.0.1:{port}/page.txt", $"http://127.0.0.1:{port}/sub/blob.bin", $"http://127.0.0.1:{port}/nothing"];

    [Fact]
    public void FerryClientsOfANativeServer()
    {
        using var server = new Server(underFerry: false, _dir);
        var curlNative = ProcessRunner.Native("/usr/bin/curl", Curl(server.Port));
        var curlFerry = ProcessRunner.Ferry("/usr/bin/curl", Curl(server.Port));
        Assert.Equal(curlNative.ToString(), curlFerry.ToString());
        var pyNative = ProcessRunner.Native("/usr/bin/python3", ["-c", Urllib(server.Port)]);
        var pyFerry = ProcessRunner.Ferry("/usr/bin/python3", ["-c", Urllib(server.Port)]);
        Assert.Equal(pyNative.ToString(), pyFerry.ToString());
        Assert.Contains("200 text/plain b'served over loopback\\n'", pyFerry.Stdout);
    }

    [Fact]
    public void NativeClientsOfAServerUnderFerry()
    {
        string curlNative, wgetNative;
        (int, string, int) endNative;
        using (var native = new Server(underFerry: false, _dir))
        {
            curlNative = ProcessRunner.Native("/usr/bin/curl", Curl(native.Port)).ToString();
            wgetNative = ProcessRunner.Native("/usr/bin/wget", ["-q", "-O", "-", $"http://127.0.0.1:{native.Port}/sub/blob.bin"]).ToString();
            endNative = native.Interrupt();
        }
        using var ferry = new Server(underFerry: true, _dir);
        Assert.Equal(curlNative, ProcessRunner.Native("/usr/bin/curl", Curl(ferry.Port)).ToString());
        Assert.Equal(wgetNative, ProcessRunner.Native("/usr/bin/wget", ["-q", "-O", "-", $"http://127.0.0.1:{ferry.Port}/sub/blob.bin"]).ToString());
        Assert.Equal(endNative, ferry.Interrupt());
        Assert.Equal((0, "Keyboard interrupt received, exiting.", 4), endNative);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
