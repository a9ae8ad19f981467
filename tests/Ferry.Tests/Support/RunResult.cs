namespace Ferry.Tests.Support;

/// <summary>What a child process did: its shell-style status (128+n when killed by signal n) and output.</summary>
public sealed record RunResult(int Status, string Stdout, string Stderr)
{
    public override string ToString() => $"status {Status}\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}";
}
