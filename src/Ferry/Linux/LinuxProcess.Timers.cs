using Ferry.Linux.Signals;
using Ferry.Linux.Threads;

namespace Ferry.Linux;

// POSIX timers (timer_create): the process's table, and raising their signals.
public sealed partial class LinuxProcess
{
    private readonly Dictionary<int, PosixTimer> _timers = new();
    private readonly Lock _timersLock = new();

    /// <summary>The most timers a process may hold here (the kernel's limit is RLIMIT_SIGPENDING).</summary>
    private const int MaxTimers = 4096;

    /// <summary>Adds a timer under the lowest free id; -1 when there are too many.</summary>
    internal int AddTimer(Func<int, PosixTimer> make)
    {
        lock (_timersLock)
        {
            for (int id = 0; id < MaxTimers; id++)
                if (!_timers.ContainsKey(id)) { _timers[id] = make(id); return id; }
        }
        return -1;
    }

    internal PosixTimer? FindTimer(int id)
    {
        lock (_timersLock) return _timers.GetValueOrDefault(id);
    }

    internal bool DeleteTimer(int id)
    {
        PosixTimer? t;
        lock (_timersLock) if (!_timers.Remove(id, out t)) return false;
        t.Dispose();
        return true;
    }

    /// <summary>execve and fork: the new image, or the child, starts with no timers (timer_create(2)).</summary>
    internal void DeleteAllTimers()
    {
        PosixTimer[] all;
        lock (_timersLock)
        {
            all = _timers.Values.ToArray();
            _timers.Clear();
        }
        foreach (var t in all) t.Dispose();
    }

    /// <summary>Raises a timer's signal for the process; true when it is now pending (not discarded).</summary>
    internal bool RaiseQueued(SignalInfo info)
    {
        Raise(info);
        return (_pending.Set & (1UL << (info.Signo - 1))) != 0;
    }

    /// <summary>As <see cref="RaiseQueued"/>, for one thread (SIGEV_THREAD_ID).</summary>
    internal bool RaiseThreadQueued(GuestThread t, SignalInfo info)
    {
        RaiseThread(t, info);
        return (t.Pending.Set & (1UL << (info.Signo - 1))) != 0;
    }
}
