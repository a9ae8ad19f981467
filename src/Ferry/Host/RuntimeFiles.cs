namespace Ferry.Host;

/// <summary>The files the .NET runtime makes for debuggers and diagnostic tools when it starts (two debugger pipes and
/// a diagnostic socket in the temporary directory, named after the process id and its start time). The runtime removes
/// them only when it shuts down, and Ferry never lets it: it leaves with _exit, dies by the guest's signal, or becomes
/// another program by execve. Without this every run left three files behind. A program that embeds Ferry and ends
/// its process without shutting the runtime down can call it too.</summary>
public static class RuntimeFiles
{
    /// <summary>Removes this process's files, if it has any (a forked child has none: its pid is new).</summary>
    public static void Remove()
    {
        try
        {
            // Not Environment.ProcessId: the runtime caches it, and in a forked child it is the parent's.
            int pid = LibC.Getpid();
            string stat = File.ReadAllText("/proc/self/stat");
            // Field 22, the start time in clock ticks, is the name's second number (fields counted after the name).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 20) return;
            string key = $"{pid}-{fields[19]}";
            string dir = Path.GetTempPath();
            LibC.UnlinkPath($"{dir}clr-debug-pipe-{key}-in");
            LibC.UnlinkPath($"{dir}clr-debug-pipe-{key}-out");
            LibC.UnlinkPath($"{dir}dotnet-diagnostic-{key}-socket");
        }
        catch (IOException) { }
    }
}
