using Ferry.Linux.Threads;

namespace Ferry.Linux;

// What the /proc view needs to know about the guest's threads.
public sealed partial class LinuxProcess
{
    /// <summary>The guest threads that have not ended, main thread first.</summary>
    internal GuestThread[] LiveThreads()
    {
        lock (_threadsLock) return _threads.Where(x => !x.Finished).OrderBy(x => x == _main ? 0 : 1).ThenBy(x => x.Tid).ToArray();
    }

    /// <summary>The main thread (its tid is the pid): the one /proc/self/comm and status name.</summary>
    internal GuestThread Leader => _main;

    /// <summary>The signals pending for the whole process (not those sent to one thread).</summary>
    internal ulong SharedPending => _pending.Set;
}
