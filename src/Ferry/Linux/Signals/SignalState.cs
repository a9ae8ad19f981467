namespace Ferry.Linux.Signals;

/// <summary>The guest's signal dispositions and mask. The emulator owns them: the host process keeps
/// its own handlers (the .NET runtime needs several).</summary>
public sealed class SignalState
{
    public const int Count = 64;
    private readonly SignalAction[] _actions = new SignalAction[Count + 1];

    /// <summary>The blocked-signal mask of the (main) thread; bit n-1 is signal n.</summary>
    public ulong Blocked { get; set; }

    /// <summary>sigaltstack: base, flags, size.</summary>
    public (ulong Sp, int Flags, ulong Size) AltStack { get; set; } = (0, 2 /* SS_DISABLE */, 0);

    public SignalAction this[int sig]
    {
        get => _actions[sig];
        set => _actions[sig] = value;
    }

    /// <summary>Signals whose default action is to do nothing.</summary>
    public static bool DefaultIgnores(int sig) => sig is GuestSignal.SIGCHLD or GuestSignal.SIGCONT or 23 /* SIGURG */ or GuestSignal.SIGWINCH;

    /// <summary>Signals whose default action stops the process.</summary>
    public static bool DefaultStops(int sig) => sig is GuestSignal.SIGSTOP or GuestSignal.SIGTSTP or 21 or 22;
}
