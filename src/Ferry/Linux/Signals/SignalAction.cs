namespace Ferry.Linux.Signals;

/// <summary>The x86-64 kernel <c>struct sigaction</c>: handler, flags, restorer, mask.</summary>
public record struct SignalAction(ulong Handler, ulong Flags, ulong Restorer, ulong Mask)
{
    public const ulong Default = 0, Ignore = 1;
}
