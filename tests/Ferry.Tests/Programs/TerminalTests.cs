using System.Diagnostics;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>An editor in a terminal: vim under Ferry in a tmux pane (a pty), driven by tmux send-keys. It
/// exercises the terminal ioctls (TCGETS/TCSETS, TIOCGWINSZ), poll on the pty, SIGWINCH when the window
/// is resized, and POSIX timers (vim's input timeouts). Each test runs its own tmux server on a private
/// socket. The waits poll the pane until the expected text shows, with a generous limit; nothing is
/// asserted about how long anything takes.</summary>
public sealed class TerminalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-term-").FullName;

    // In the test's own directory: tmux 3.3 leaves its socket behind after kill-server, and with -L that was one
    // more file in /tmp/tmux-UID for every run.
    private string Socket => Path.Combine(_dir, "tmux");

    private (int Status, string Out) Tmux(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-S");
        psi.ArgumentList.Add(Socket);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // A fixed environment for the server and so for the pane (native vim, too, fails to redraw its
        // command line after a resize in a bare environment).
        psi.Environment.Clear();
        psi.Environment["PATH"] = ProcessRunner.Environment["PATH"] + ":" + Path.GetDirectoryName(Environment.ProcessPath);
        psi.Environment["HOME"] = _dir;
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["TERM"] = "xterm";
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "tmux did not return");
        return (p.ExitCode, o);
    }

    private string Pane() => Tmux("capture-pane", "-p", "-t", "ed").Out;

    private string WaitFor(Func<string, bool> ready, string what)
    {
        var sw = Stopwatch.StartNew();
        string pane = "";
        while (sw.Elapsed < TimeSpan.FromSeconds(240))
        {
            pane = Pane();
            if (ready(pane)) return pane;
            Thread.Sleep(250);
        }
        Assert.Fail($"the pane never showed {what}; it shows:\n{pane}\n{Diagnosis()}");
        return pane;
    }

    // What a stuck editor was doing: the pane's terminal modes (a canonical-mode tty holds back keys without a
    // newline) and, for every process in the pane, each thread's kernel wait and system call. vim once sat in
    // pselect6 on the pty, after redrawing at the new size, and no key sent after that showed (that was
    // the size :echo wiped by the resize redraw, native vim does the same; see the resize below).
    private string Diagnosis()
    {
        var (_, info) = Tmux("display-message", "-p", "-t", "ed", "#{pane_tty} #{pane_pid}");
        var parts = info.Trim().Split(' ');
        if (parts.Length != 2) return $"no pane: {info}";
        var psi = new ProcessStartInfo("stty", ["-a", "-F", parts[0]]) { RedirectStandardOutput = true, RedirectStandardError = true };
        string text;
        using (var p = Process.Start(psi)!)
        {
            text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit(10_000);
        }
        var pids = new List<int> { int.Parse(parts[1]) };
        for (int i = 0; i < pids.Count; i++)
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), out int pid) && !pids.Contains(pid))
                    try
                    {
                        string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                        if (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == pids[i]) pids.Add(pid);
                    }
                    catch (IOException) { }
        foreach (int pid in pids)
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                    text += $"\n{pid}/{Path.GetFileName(task)} {File.ReadAllText(Path.Combine(task, "comm")).Trim()}: " +
                        $"{File.ReadAllText(Path.Combine(task, "wchan"))} {File.ReadAllText(Path.Combine(task, "syscall")).Trim()}";
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        return text;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    // Native vim runs the same steps: it shows that the steps and waits themselves are sound (a wait that native
    // vim can miss is a race in the test, not a fault of Ferry's).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void VimEditsAFileAndFollowsTheWindowSize(bool underFerry)
    {
        Assert.True(File.Exists("/usr/bin/vim") && File.Exists("/usr/bin/tmux"), "vim and tmux are not installed (.ci/run installs them)");
        string file = Path.Combine(_dir, "edited.txt");
        string dotnet = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath! : "dotnet";
        string vim = $"/usr/bin/vim -u NONE -N -n -i NONE {Quote(file)}";
        string command = (underFerry ? $"{Quote(dotnet)} {Quote(ProcessRunner.FerryDll)} {vim}" : vim) + "; echo \"EXITED $?\"; sleep 600";
        var (status, output) = Tmux("new-session", "-d", "-s", "ed", "-x", "80", "-y", "24", command);
        Assert.True(status == 0, $"tmux new-session failed: {output}");

        WaitFor(p => p.Contains("[New]"), "vim's [New] message");
        Tmux("send-keys", "-t", "ed", "i", "hello from vim", "Enter", "second line", "Escape");
        WaitFor(p => p.Contains("second line"), "the typed text");

        // SIGWINCH: vim reads the new size with TIOCGWINSZ and redraws. The size is shown in vim's status line,
        // which vim evaluates again at every redraw, so the pane ends up showing the size vim knows whatever the
        // order of events. An :echo of the size sent right after the resize failed about 1 run in 10 for native
        // vim and vim under Ferry alike: vim ran the :echo (it was in the command history, and &columns &lines
        // were 50 12) and the redraw for the resize, done after it, cleared the message.
        Tmux("send-keys", "-t", "ed", ":set laststatus=2 statusline=status\\ %{&columns}x%{&lines}", "Enter");
        WaitFor(p => p.Contains("status 80x24"), "the size in the status line");
        Tmux("resize-window", "-t", "ed", "-x", "50", "-y", "12");
        var pane = WaitFor(p => p.Contains("status 50x12"), "the new size");
        // Vim lays out all 12 rows: the status line is the one above the command line.
        var rows = pane.EndsWith('\n') ? pane[..^1].Split('\n') : pane.Split('\n');
        Assert.Equal(12, rows.Length);
        Assert.StartsWith("status 50x12", rows[10], StringComparison.Ordinal);

        // No error messages along the way (without POSIX timers vim said E1286 at start-up).
        Tmux("send-keys", "-t", "ed", ":echo 'errors' len(filter(split(execute('messages'), \"\\n\"), 'v:val =~ \"^E\\\\d\"'))", "Enter");
        pane = WaitFor(p => p.Contains("errors "), "the count of error messages");
        Assert.Contains("errors 0", pane);

        Tmux("send-keys", "-t", "ed", ":wq", "Enter");
        pane = WaitFor(p => p.Contains("EXITED"), "vim's exit");
        Assert.Contains("EXITED 0", pane);
        Assert.Equal("hello from vim\nsecond line\n", File.ReadAllText(file));
    }

    public void Dispose()
    {
        Tmux("kill-server");
        Directory.Delete(_dir, true);
    }
}
