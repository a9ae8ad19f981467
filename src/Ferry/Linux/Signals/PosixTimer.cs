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
    // Held across an expiry, queueing included, so that the guest, looking (ExpireDue), waits for an
    // expiry the host timer thread has begun instead of reading the pending sets before it is queued.
    // Taken before the signal locks; _lock nests inside both.
    private readonly Lock _expireLock = new();
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
        _timer = new Timer(_ => Expire(), null, Timeout.Infinite, Timeout.Infinite);
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
        // An expiry due by now has queued its signal already on a kernel, which then goes stale.
        Expire();
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
        Expire();
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
        get
        {
            Expire();
            lock (_lock) return _lastOverrun;
        }
    }

    private void Schedule(long now)
    {
        if (_disposed) return;
        if (_expiry == 0) { _timer.Change(Timeout.Infinite, Timeout.Infinite); return; }
        long ms = Math.Max(0, (_expiry - now + 999_999) / 1_000_000);
        _timer.Change(Math.Min(ms, int.MaxValue - 1), Timeout.Infinite);
    }

    /// <summary>Accounts the expiries due by now and queues the timer's signal when one is due. The host
    /// timer calls it, and so does the guest wherever it looks at what a timer did (its pending signals,
    /// timer_gettime): the kernel queues the signal from the timer interrupt, so what the guest sees must
    /// follow from the clock, not from when the host timer thread got a core.</summary>
    public void Expire()
    {
        lock (_expireLock)
        {
            SignalInfo info;
            lock (_lock)
            {
                if (_disposed || _expiry == 0) return;
                if (!ExpireLocked(Now(Clock))) return;
                _signalPending = true;
                _pendingSeq = _seq;
                info = new SignalInfo(Signo, SiTimer, Pid: Id, Value: Value);
            }
            // Whether the signal was discarded is Raise's answer, not a look at the pending set afterwards:
            // the guest may have taken the signal by then, and clearing _signalPending after that would
            // have it dropped as stale.
            bool queued;
            if (Notify == SigevThreadId)
            {
                var t = _proc.FindThread(ThreadId);
                queued = t != null && _proc.RaiseThread(t, info);
            }
            else queued = _proc.Raise(info);
            if (!queued) lock (_lock) _signalPending = false;
        }
    }

    /// <summary>Accounts the expiries due by <paramref name="now"/> and schedules the host timer for the
    /// next; true when a signal has to be queued for them.</summary>
    private bool ExpireLocked(long now)
    {
        if (_expiry == 0 || now < _expiry) { Schedule(now); return false; }
        Advance(now);
        Schedule(now);
        if (Notify == SigevNone || _proc.Exit != null) return false;
        if (!_signalPending) return true;
        // The signal is still pending from the last expiry: this one counts as an overrun (a kernel timer
        // owns one preallocated signal). A stale signal still queued becomes this arming's again, as the
        // kernel re-stamps its one preallocated signal.
        if (_pendingSeq != _seq) _pendingSeq = _seq;
        else if (_overrun < int.MaxValue) _overrun++;
        return false;
    }

    /// <summary>Moves an expired timer on to its next expiry after <paramref name="now"/> (disarms a
    /// one-shot); the expiries after the first that passed count as overruns.</summary>
    private void Advance(long now)
    {
        if (_interval <= 0) { _expiry = 0; return; }
        long missed = (now - _expiry) / _interval;
        _overrun = (int)Math.Min(int.MaxValue, _overrun + missed);
        _expiry += (missed + 1) * _interval;
    }

    /// <summary>The timer's signal was taken by the guest: returns the overruns to report with it, which
    /// timer_getoverrun then reports too; null when the signal is stale (queued before the timer was last
    /// set), which the kernel drops instead of delivering.</summary>
    public int? Delivered()
    {
        lock (_lock)
        {
            // The expiries up to this moment count, as the kernel forwards a periodic timer by the clock
            // when its signal is taken; and a stale signal that a due expiry makes current is delivered.
            if (_signalPending && !_disposed) ExpireLocked(Now(Clock));
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
