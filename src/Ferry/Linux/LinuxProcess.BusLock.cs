using Ferry.Linux.Threads;
using Ferry.Memory;

namespace Ferry.Linux;

// The bus lock of a locked access no host atomic instruction covers (GuestMemory.Atomic.cs): the other guest
// threads stop at a safe point as they do for fork, so none is inside an instruction while the caller, in the
// middle of one, does its read-modify-write. Unlike fork's stop it gives up when the caller's own thread is asked
// to end (exit_group, or execve on another thread, which waits for this thread to finish and never parks).
public sealed partial class LinuxProcess : IBusLock
{
    bool IBusLock.Enter()
    {
        if (!ReferenceEquals(t_process, this) || t_current is not { } self) return false;
        // Under --verify-jit one guest thread at a time runs guest code (VerifyGate): nobody to stop.
        if (Engine.Jit is { Options.Verify: true }) return false;
        lock (_threadsLock)
            if (_threads.Count == 1 && _threads[0] == self) return false; // nobody to stop: the plain lock will do
        lock (_world)
        {
            // A fork or another bus lock goes first; meanwhile this thread counts as parked (it is not inside any
            // access yet).
            while (_stopRequested && _stopper != self)
            {
                if (Ends(self)) return false;
                self.Parked = true;
                Monitor.PulseAll(_world);
                Monitor.Wait(_world, 2);
                self.Parked = false;
            }
            _stopper = self;
            _stopRequested = true;
        }
        while (true)
        {
            if (Ends(self))
            {
                ResumeOthers();
                return false;
            }
            GuestThread[] others;
            lock (_threadsLock) others = [.. _threads.Where(x => x != self)];
            bool all = true;
            foreach (var x in others)
                if (!x.Parked && !x.Finished) { all = false; Kick(x); }
            if (all)
            {
                // The parked threads' last guest accesses happened before they published Parked.
                Interlocked.MemoryBarrier();
                return true;
            }
            lock (_world)
            {
                if (!AllParked(self)) Monitor.Wait(_world, 2);
            }
        }
    }

    void IBusLock.Exit()
    {
        Interlocked.MemoryBarrier();
        ResumeOthers();
    }

    // Under _world: a thread that parks pulses _world while holding it, so checking here loses no wake-up.
    private bool AllParked(GuestThread self)
    {
        lock (_threadsLock)
            foreach (var x in _threads)
                if (x != self && !x.Parked && !x.Finished) return false;
        return true;
    }
}
