using Ferry.Host;

namespace Ferry.Linux.Signals;

/// <summary>A POSIX interval timer (timer_create). The emulator keeps it rather than the host kernel: its
/// signal must reach the guest's own queues (real-time signals and thread targets included, which the
/// runtime's host handlers would not pass on), with the siginfo a kernel timer carries (SI_TIMER, timer
/// id, overrun, sigev_value). Times are read from the host clock the guest named.</summary>
internal sealed unsafe class PosixTimer : IDisposable
{
    public const int SigevSignal = 0, SigevNone = 1, SigevThreadId = 4;
    public const int SiTimer = -2;

    private readonly LinuxProcess _proc;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _expiry, _interval; // ns on the clock; _expiry 0 = disarmed
    private int _overrun, _lastOverrun;
    private bool _disposed, _signalPending;
    // Arming counts up _seq; the queued signal belongs to the arming _pendingSeq names. A signal queued
    // before the timer was re-armed or disarmed stays pending (sigpending shows it) but is dropped when
    // taken, as Linux's timers do since 6.13 (it_signal_seq).
    private long _seq, _pendingSeq;

    public PosixTimer(LinuxProcess proc, int id, int clock, int notify, int signo, int threadId, ulong value)
    {
        _proc = proc;
        Id = id;
        Clock = clock;
        Notify = notify;
        Signo = signo;
        ThreadId = threadId;
        Value = value;
        _timer = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public int Id { get; }
    public int Clock { get; }
    public int Notify { get; }
    public int Signo { get; }
    public int ThreadId { get; }
    public ulong Value { get; }

    /// <summary>The clock's current time in ns, or -1 when the host has no such clock.</summary>
    public static long Now(int clock)
    {
        long* ts = stackalloc long[2];
        return LibC.ClockGettime(clock, ts) != 0 ? -1 : ts[0] * 1_000_000_000 + ts[1];
    }

    /// <summary>Arms (or, with a zero value, disarms) the timer; returns the previous (remaining, interval).</summary>
    public (long Remaining, long Interval) Set(long value, long interval, bool absolute)
    {
        lock (_lock)
        {
            var old = GetLocked();
            long now = Now(Clock);
            _interval = interval;
            _expiry = value == 0 ? 0 : absolute ? Math.Max(value, 1) : now + value;
            _seq++;
            _overrun = 0;
            Schedule(now);
            return old;
        }
    }

    public (long Remaining, long Interval) Get()
    {
        lock (_lock) return GetLocked();
    }

    private (long, long) GetLocked()
    {
        if (_expiry == 0) return (0, _interval);
        // An expired timer that is still armed reports at least 1 ns, as the kernel's does.
        return (Math.Max(1, _expiry - Now(Clock)), _interval);
    }

    /// <summary>Overruns at the last expiry that queued a signal.</summary>
    public int Overrun
    {
        get { lock (_lock) return _lastOverrun; }
    }

    private void Schedule(long now)
    {
        if (_disposed) return;
        if (_expiry == 0) { _timer.Change(Timeout.Infinite, Timeout.Infinite); return; }
        long ms = Math.Max(0, (_expiry - now + 999_999) / 1_000_000);
        _timer.Change(Math.Min(ms, int.MaxValue - 1), Timeout.Infinite);
    }

    private void Fire()
    {
        SignalInfo info;
        lock (_lock)
        {
            if (_disposed || _expiry == 0) return;
            long now = Now(Clock);
            if (now < _expiry) { Schedule(now); return; }
            if (_interval > 0)
            {
                long missed = (now - _expiry) / _interval;
                _overrun = (int)Math.Min(int.MaxValue, _overrun + missed);
                _expiry += (missed + 1) * _interval;
            }
            else _expiry = 0;
            Schedule(now);
            if (Notify == SigevNone || _proc.Exit != null) return;
            // The signal is still pending from the last expiry: this one counts as an overrun (a kernel
            // timer owns one preallocated signal).
            if (_signalPending)
            {
                // A stale signal still queued becomes this arming's again, as the kernel re-stamps its
                // one preallocated signal.
                if (_pendingSeq != _seq) _pendingSeq = _seq;
                else if (_overrun < int.MaxValue) _overrun++;
                return;
            }
            _signalPending = true;
            _pendingSeq = _seq;
            info = new SignalInfo(Signo, SiTimer, Pid: Id, Value: Value);
        }
        bool queued;
        if (Notify == SigevThreadId)
        {
            var t = _proc.FindThread(ThreadId);
            queued = t != null && _proc.RaiseThreadQueued(t, info);
        }
        else queued = _proc.RaiseQueued(info);
        if (!queued) lock (_lock) _signalPending = false;
    }

    /// <summary>The timer's signal was taken by the guest: returns the overruns to report with it, which
    /// timer_getoverrun then reports too; null when the signal is stale (queued before the timer was last
    /// set), which the kernel drops instead of delivering.</summary>
    public int? Delivered()
    {
        lock (_lock)
        {
            if (!_signalPending || _pendingSeq != _seq)
            {
                _signalPending = false;
                return null;
            }
            _signalPending = false;
            _lastOverrun = _overrun;
            _overrun = 0;
            return _lastOverrun;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }
}
