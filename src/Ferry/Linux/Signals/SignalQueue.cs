namespace Ferry.Linux.Signals;

/// <summary>Signals pending for a thread or for the whole process, with their siginfo: real-time signals
/// (32 and up) queue every instance, standard ones at most one. Senders and the receiving thread use it
/// concurrently.</summary>
public sealed class SignalQueue
{
    private readonly Lock _lock = new();
    private readonly Queue<SignalInfo>?[] _infos = new Queue<SignalInfo>?[SignalState.Count + 1];
    private ulong _set;

    /// <summary>The set of pending signals; bit n-1 is signal n.</summary>
    public ulong Set => Volatile.Read(ref _set);

    private static ulong Bit(int sig) => 1UL << (sig - 1);

    /// <summary>Adds <paramref name="info"/>; false when a standard signal of that number was already pending.</summary>
    public bool Add(SignalInfo info)
    {
        int sig = info.Signo;
        lock (_lock)
        {
            if (sig < 32 && (_set & Bit(sig)) != 0) return false;
            (_infos[sig] ??= new Queue<SignalInfo>()).Enqueue(info);
            Volatile.Write(ref _set, _set | Bit(sig));
            return true;
        }
    }

    /// <summary>Removes one instance of the lowest-numbered pending signal in <paramref name="allowed"/>.</summary>
    public SignalInfo? Take(ulong allowed)
    {
        lock (_lock)
        {
            ulong ready = _set & allowed;
            if (ready == 0) return null;
            int sig = System.Numerics.BitOperations.TrailingZeroCount(ready) + 1;
            var q = _infos[sig]!;
            var info = q.Dequeue();
            if (q.Count == 0) Volatile.Write(ref _set, _set & ~Bit(sig));
            return info;
        }
    }

    /// <summary>Drops every pending instance of the signals in <paramref name="set"/> (they became ignored).</summary>
    public void Discard(ulong set)
    {
        lock (_lock)
        {
            for (int sig = 1; sig <= SignalState.Count; sig++)
                if ((set & _set & Bit(sig)) != 0) _infos[sig]!.Clear();
            Volatile.Write(ref _set, _set & ~set);
        }
    }
}
