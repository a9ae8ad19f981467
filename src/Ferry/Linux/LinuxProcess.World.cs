using Ferry.Host;
using Ferry.Linux.Threads;

namespace Ferry.Linux;

// Stopping the other threads: fork needs them all at a safe point, parked in a native wait, and exec
// and the end of the process need them gone. A wake-up signal sent just before a thread enters a
// blocking host call is lost, so a kicker thread sends it again while the thread has work waiting.
public sealed partial class LinuxProcess
{
    private object _world = new();
    private volatile bool _stopRequested;
    private volatile GuestThread? _stopper;
    private volatile Thread? _kicker;
    private object _kickLock = new();
    private volatile bool _disposed;

    private void Park(GuestThread t)
    {
        lock (_world)
        {
            t.Parked = true;
            Monitor.PulseAll(_world);
            while (_stopRequested && _stopper != t && !t.ExitRequested) Monitor.Wait(_world);
            t.Parked = false;
        }
    }

    /// <summary>Returns once every other thread is parked at a safe point.</summary>
    private void StopOthers(GuestThread self)
    {
        lock (_world)
        {
            // Another thread got there first (two forks at once): let it finish.
            while (_stopRequested && _stopper != self)
            {
                self.Parked = true;
                Monitor.PulseAll(_world);
                Monitor.Wait(_world);
                self.Parked = false;
            }
            _stopper = self;
            _stopRequested = true;
        }
        while (true)
        {
            GuestThread[] others;
            lock (_threadsLock) others = _threads.Where(x => x != self).ToArray();
            bool all = true;
            foreach (var x in others)
                if (!x.Parked && !x.Finished) { all = false; Kick(x); }
            if (all) return;
            lock (_world) Monitor.Wait(_world, 2);
        }
    }

    private void ResumeOthers()
    {
        lock (_world)
        {
            _stopRequested = false;
            _stopper = null;
            Monitor.PulseAll(_world);
        }
    }

    /// <summary>Ends every thread but <paramref name="self"/> and waits for them (exec), or, with no
    /// <paramref name="self"/>, at the end of the process, for a while.</summary>
    private void EndOtherThreads(GuestThread? self)
    {
        GuestThread[] others;
        lock (_threadsLock) others = _threads.Where(x => x != self).ToArray();
        foreach (var x in others) x.ExitRequested = true;
        long deadline = Environment.TickCount64 + 2000;
        while (others.Any(x => !x.Finished))
        {
            if (self == null && Environment.TickCount64 > deadline) return;
            foreach (var x in others) if (!x.Finished) Kick(x);
            lock (_world)
            {
                Monitor.PulseAll(_world);
                Monitor.Wait(_world, 2);
            }
        }
    }

    private bool _kickerIdle;

    private void EnsureKicker()
    {
        if (_kicker == null)
        {
            lock (_kickLock)
            {
                if (_kicker == null)
                {
                    var t = new Thread(KickLoop, HostThreadStack + (128 << 10)) { IsBackground = true, Name = "ferry kicker" };
                    _kicker = t;
                    t.Start();
                }
            }
        }
        lock (_kickLock) Monitor.Pulse(_kickLock);
    }

    // While some thread in a system call still has work waiting, the wake-up signal goes again every few
    // milliseconds; otherwise the kicker sleeps until the next kick, so nothing wakes it during a fork.
    private void KickLoop()
    {
        var me = Thread.CurrentThread;
        lock (_kickLock)
        {
            while (!_disposed && _kicker == me)
            {
                GuestThread[] threads;
                lock (_threadsLock) threads = _threads.ToArray();
                bool pending = false;
                foreach (var x in threads)
                    if (Volatile.Read(ref x.InSyscall) != 0 && x.HostTid != 0 && HasWork(x))
                    {
                        pending = true;
                        HostSignals.WakeThread(x.HostTid);
                    }
                if (pending) Monitor.Wait(_kickLock, 5);
                else
                {
                    _kickerIdle = true;
                    Monitor.Wait(_kickLock);
                    _kickerIdle = false;
                }
            }
        }
    }

    /// <summary>Takes the kicker's lock once the kicker sleeps without a timeout (the caller must
    /// Monitor.Exit it).</summary>
    private void QuietKicker()
    {
        while (true)
        {
            Monitor.Enter(_kickLock);
            if (_kicker == null || _kickerIdle) return;
            Monitor.Pulse(_kickLock);
            Monitor.Exit(_kickLock);
            Thread.Sleep(1);
        }
    }
}
