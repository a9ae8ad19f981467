namespace Ferry.Linux.Signals;

/// <summary>The x86-64 kernel <c>struct sigaction</c>: handler, flags, restorer, mask.</summary>
public record struct SignalAction(ulong Handler, ulong Flags, ulong Restorer, ulong Mask)
{
    public const ulong Default = 0, Ignore = 1;
    public const ulong SaSiginfo = 4, SaOnStack = 0x08000000, SaRestart = 0x10000000, SaNoDefer = 0x40000000,
        SaResetHand = 0x80000000, SaRestorer = 0x04000000;
}
