namespace Ferry.Linux;

/// <summary>How a guest process ended: an exit status, or the signal that killed it.</summary>
public readonly record struct ProcessExit(int ExitCode, int Signal)
{
    /// <summary>True when a signal terminated the process.</summary>
    public bool Signaled => Signal != 0;

    /// <summary>The status a shell reports: the exit code, or 128 + the signal number.</summary>
    public int ShellStatus => Signaled ? 128 + Signal : ExitCode;

    public static ProcessExit Exited(int code) => new(code & 0xFF, 0);
    public static ProcessExit Killed(int signal) => new(0, signal);
}
