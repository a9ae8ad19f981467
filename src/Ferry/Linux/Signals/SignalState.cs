namespace Ferry.Linux.Signals;

/// <summary>The guest's signal dispositions, shared by all threads of a process. The emulator owns them:
/// the host process keeps its own handlers (the .NET runtime needs several).</summary>
public sealed class SignalState
{
    public const int Count = 64;
    private readonly SignalAction[] _actions = new SignalAction[Count + 1];
    private readonly Lock _lock = new();

    public SignalAction this[int sig]
    {
        get { lock (_lock) return _actions[sig]; }
        set { lock (_lock) _actions[sig] = value; }
    }

    /// <summary>execve: handlers go back to the default action; ignored signals stay ignored.</summary>
    public void ResetHandlers()
    {
        lock (_lock)
            for (int n = 1; n <= Count; n++)
                _actions[n] = _actions[n].Handler == SignalAction.Ignore ? new SignalAction(SignalAction.Ignore, 0, 0, 0) : default;
    }

    /// <summary>True when <paramref name="sig"/> arriving now would have no effect (ignored, or ignored by default).</summary>
    public bool Discards(int sig)
    {
        var h = this[sig].Handler;
        return h == SignalAction.Ignore || h == SignalAction.Default && DefaultIgnores(sig);
    }

    /// <summary>Signals whose default action is to do nothing.</summary>
    public static bool DefaultIgnores(int sig) => sig is GuestSignal.SIGCHLD or GuestSignal.SIGCONT or 23 /* SIGURG */ or GuestSignal.SIGWINCH;

    /// <summary>Signals whose default action stops the process.</summary>
    public static bool DefaultStops(int sig) => sig is GuestSignal.SIGSTOP or GuestSignal.SIGTSTP or 21 or 22;
}
