using Ferry.Cpu;
using Ferry.Linux.Signals;

namespace Ferry.Linux.Threads;

/// <summary>One guest thread: its processor, identity, signal mask, pending signals and alternate stack,
/// and the state other threads look at to interrupt it. Each runs on a host thread of its own.</summary>
public sealed class GuestThread
{
    public GuestThread(Processor cpu, int tid)
    {
        Cpu = cpu;
        Tid = tid;
    }

    public Processor Cpu { get; }

    /// <summary>The thread id the guest sees (the main thread's is the process id).</summary>
    public int Tid { get; internal set; }

    /// <summary>The host thread running this guest thread, for the wake-up signal.</summary>
    public int HostTid { get; internal set; }

    /// <summary>set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread ends.</summary>
    public ulong ClearChildTid { get; set; }

    /// <summary>The robust futex list head registered with set_robust_list.</summary>
    public ulong RobustList { get; set; }

    /// <summary>The host's own (glibc's) robust list head of the host thread, while the guest's list is
    /// registered with the host kernel in its place; null when it is not.</summary>
    internal ulong? HostRobustList { get; set; }

    /// <summary>The comm name (PR_SET_NAME), at most 15 bytes.</summary>
    public byte[] Name { get; set; } = Array.Empty<byte>();

    private ulong _blocked;

    /// <summary>The blocked-signal mask; bit n-1 is signal n. Written by the thread itself, read by senders.</summary>
    public ulong Blocked
    {
        get => Volatile.Read(ref _blocked);
        set => Volatile.Write(ref _blocked, value);
    }

    /// <summary>The mask that ppoll, pselect6 or epoll_pwait replaced with a temporary one for its wait (Linux's
    /// saved_sigmask), while the temporary one is in force; null otherwise. A handler's frame records it as the
    /// mask to return to, and it comes back at the call's return when no handler runs.</summary>
    internal ulong? SavedMask;

    /// <summary>sigaltstack: base, flags, size.</summary>
    public (ulong Sp, int Flags, ulong Size) AltStack { get; set; } = (0, 2 /* SS_DISABLE */, 0);

    /// <summary>Signals sent to this thread only (tgkill, faults, SIGPIPE).</summary>
    public SignalQueue Pending { get; } = new();

    /// <summary>1 while the thread is inside a system call (then a host signal may be needed to interrupt it).</summary>
    internal int InSyscall;

    /// <summary>The system call (its number plus one) that Ferry is restarting after the host call came back with EINTR,
    /// until it runs again; 0 otherwise. The guest is still inside that call meanwhile.</summary>
    internal ulong RestartingCall;

    /// <summary>Set by the signal reader's look at the host queues when its host thread holds a signal sent to it alone.</summary>
    internal bool HoldsHostSignal;

    /// <summary>Set while the thread waits at a safe point for a fork or exec by another thread.</summary>
    internal volatile bool Parked;

    /// <summary>Set once the thread has ended.</summary>
    internal volatile bool Finished;

    /// <summary>Asked to end (exec by another thread, or the end of the process).</summary>
    internal volatile bool ExitRequested;

    /// <summary>Monitor the thread sleeps on in pause, sigsuspend and sigtimedwait; pulsed on every interruption.</summary>
    internal readonly object WaitLock = new();

    /// <summary>The futex waiter the thread is blocked on, if any (pulsed on interruption).</summary>
    internal volatile object? Waiter;
}
