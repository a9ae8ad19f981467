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
    private readonly object _kickLock = new();
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

    private void EnsureKicker()
    {
        if (_kicker != null) return;
        lock (_kickLock)
        {
            if (_kicker != null) return;
            var t = new Thread(KickLoop, 256 * 1024) { IsBackground = true, Name = "ferry kicker" };
            _kicker = t;
            t.Start();
        }
    }

    private void KickLoop()
    {
        var me = Thread.CurrentThread;
        while (!_disposed)
        {
            Thread.Sleep(5);
            lock (_kickLock)
            {
                if (_kicker != me) return;
                GuestThread[] threads;
                lock (_threadsLock) threads = _threads.ToArray();
                foreach (var x in threads)
                    if (Volatile.Read(ref x.InSyscall) != 0 && x.HostTid != 0 && HasWork(x)) HostSignals.WakeThread(x.HostTid);
            }
        }
    }
}
