using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux.Signals;
using Ferry.Linux.Threads;
using Ferry.Memory;

namespace Ferry.Linux;

// clone: a new guest thread on a new host thread, or a new process by forking the host process.
public sealed unsafe partial class LinuxProcess
{
    public const ulong CloneVm = 0x100, CloneVfork = 0x4000, CloneThread = 0x10000, CloneSettls = 0x80000,
        CloneParentSettid = 0x100000, CloneChildCleartid = 0x200000, CloneChildSettid = 0x1000000;

    // The interpreter needs little host stack; guest stacks are guest memory. After a fork glibc offers the
    // stacks of the threads left behind to new threads of the same size or a little smaller, and the runtime
    // still walks those stacks: every fork generation asks for larger stacks than the last, so none is reused.
    private static int s_forkGeneration;
    internal static int HostThreadStack => (16 << 20) + s_forkGeneration * (256 << 10);

    private void WriteTid(ulong addr, int tid)
    {
        if (addr != 0 && Memory.CanAccess(addr, 4, PageFlags.Write)) Memory.Write32(addr, (uint)tid);
    }

    /// <summary>CLONE_THREAD: a thread that starts where the parent is, with RAX 0, on
    /// <paramref name="stack"/>. Returns its thread id once both tid words are written.</summary>
    internal long SpawnThread(GuestThread parent, ulong flags, ulong stack, ulong ptid, ulong ctid, ulong tls)
    {
        _traceIds = Strace != null;
        var cpu = new Processor(Memory) { Cpuid = parent.Cpu.Cpuid };
        cpu.State = parent.Cpu.State;
        cpu.State.Gpr[CpuState.Rax] = 0;
        if (stack != 0) cpu.State.Gpr[CpuState.Rsp] = stack;
        if ((flags & CloneSettls) != 0) cpu.State.FsBase = tls;
        var t = new GuestThread(cpu, 0) { Blocked = parent.Blocked, Name = parent.Name };
        if ((flags & CloneChildCleartid) != 0) t.ClearChildTid = ctid;
        using var ready = new ManualResetEventSlim();
        Memory.NoteConcurrency();
        var host = new Thread(() =>
        {
            MemoryModel.GuestThreadOrdering.OnThreadStart();
            int tid = LibC.Gettid();
            t.HostTid = t.Tid = tid;
            if ((flags & CloneParentSettid) != 0) WriteTid(ptid, tid);
            if ((flags & CloneChildSettid) != 0) WriteTid(ctid, tid);
            lock (_threadsLock) _threads.Add(t);
            ready.Set();
            try { RunThread(t); }
            catch (Exception e) { Fail(t, e); }
            // In a child this thread forked it is the only host thread, and the process's end is its to make
            // (else the host process left with 0 whatever the guest's status).
            if (IsForkedChild && ReferenceEquals(t, _main)) EndForkedChild();
        }, HostThreadStack) { IsBackground = true, Name = "guest thread" };
        try { host.Start(); }
        catch (OutOfMemoryException) { return -Errno.EAGAIN; }
        ready.Wait();
        return t.Tid;
    }

    /// <summary>fork, vfork and clone without CLONE_VM (or posix_spawn's CLONE_VM|CLONE_VFORK, which a copy
    /// serves as well): the host process forks once every other thread is parked; in the child only the
    /// calling thread goes on.</summary>
    internal long Fork(GuestThread t, ulong flags, ulong stack, ulong ptid, ulong ctid)
    {
        _traceIds = Strace != null;
        StopOthers(t);
        // The JIT's compile thread must not be inside RyuJIT when the host forks (the child would lack the
        // owner of its locks): it finishes its current block and waits.
        Jit.CompileWorker.Park();
        int pid;
        Strace?.Flush();
        // A child would write what is buffered again. At the guest's descriptor limit the first use of Console.Out
        // fails to duplicate stdout (EMFILE): nothing was written through it then, so nothing is lost.
        try
        {
            Console.Out.Flush();
            Console.Error.Flush();
        }
        catch (IOException) { }
        var gate = HostSignals.Gate;
        var kickLock = _kickLock;
        lock (gate)
        {
            QuietKicker();
            try
            {
                pid = HostSignals.Fork(2000, () => AfterForkInChild(t, flags, ctid));
                if (pid != 0) Jit.CompileWorker.Resume();
            }
            finally { Monitor.Exit(kickLock); }
        }
        if (pid < 0)
        {
            ResumeOthers();
            return pid;
        }
        if (pid == 0)
        {
            if (stack != 0) t.Cpu.State.Gpr[CpuState.Rsp] = stack;
            return 0;
        }
        ResumeOthers();
        if ((flags & CloneParentSettid) != 0) WriteTid(ptid, pid);
        return pid;
    }

    private void AfterForkInChild(GuestThread t, ulong flags, ulong ctid)
    {
        IsForkedChild = true;
        s_forkGeneration++;
        // The other host threads did not come along; nothing they held is held here (they were parked), but
        // monitors they waited on would still count them: every lock they could wait on is new.
        _world = new object();
        _kickLock = new object();
        _threadsLock = new object();
        _stopRequested = false;
        _stopper = null;
        _kicker = null;
        lock (_threadsLock)
        {
            _threads.Clear();
            _threads.Add(t);
            _main = t;
        }
        t.Tid = LibC.Getpid();
        t.HostTid = LibC.Gettid();
        Futexes = new FutexTable();
        _pending = new SignalQueue();
        t.Pending.Discard(ulong.MaxValue);
        HostSignals.AfterFork();
        SignalFd.AfterFork();
        Jit.CompileWorker.AfterForkInChild();
        DeleteAllTimers();
        PendingChanged();
        if ((flags & CloneChildSettid) != 0) WriteTid(ctid, t.Tid);
        if ((flags & CloneChildCleartid) != 0) t.ClearChildTid = ctid;
    }
}
