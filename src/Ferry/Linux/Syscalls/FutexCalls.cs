using System.Diagnostics;
using Ferry.Cpu;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>futex(2): WAIT, WAKE, the BITSET forms, REQUEUE, CMP_REQUEUE, WAKE_OP and the PI locks.
/// Private futexes live in Ferry's own table; shared ones (process-shared mutexes, sem_open semaphores) may be
/// waited on by other processes, so they go to the host kernel, which sees the same addresses (identity mapping).</summary>
internal static class FutexCalls
{
    private const int Wait = 0, Wake = 1, RequeueOp = 3, CmpRequeue = 4, WakeOp = 5, LockPi = 6, UnlockPi = 7, TrylockPi = 8,
        WaitBitset = 9, WakeBitset = 10, WaitRequeuePi = 11, CmpRequeuePi = 12, LockPi2 = 13;
    private const int PrivateFlag = 128, ClockRealtime = 256;

    [Syscall(202, "futex", "pxdpxd")]
    private static long Futex(LinuxProcess proc, in SyscallArgs a)
    {
        int op = a.Int(1) & ~(PrivateFlag | ClockRealtime);
        bool realtime = (a.Int(1) & ClockRealtime) != 0;
        ulong addr = a.A0;
        uint val = (uint)a.A2;
        if (realtime && op is not (WaitBitset or WaitRequeuePi or LockPi2))
        {
            // Linux takes FUTEX_CLOCK_REALTIME only on the waits whose timeout is absolute, and reads a timeout
            // (EFAULT, EINVAL) before it refuses the flag.
            if (op is Wait or LockPi)
            {
                RelativeDeadline(proc, a.A3, out long e0);
                if (e0 < 0) return e0;
            }
            return -Errno.ENOSYS;
        }
        if ((a.Int(1) & PrivateFlag) == 0 && op is Wait or WaitBitset or Wake or WakeBitset or RequeueOp or CmpRequeue or WakeOp)
            return Shared(proc, a, op);
        if ((a.Int(1) & PrivateFlag) == 0 && op is LockPi or LockPi2 or TrylockPi or UnlockPi)
            return SharedPi(proc, a, op, realtime);
        switch (op)
        {
            case LockPi:
            case LockPi2:
            case TrylockPi:
            {
                // LOCK_PI's timeout is absolute on CLOCK_REALTIME; LOCK_PI2's on the clock the flag names.
                long? deadline = null;
                if (op != TrylockPi)
                {
                    deadline = AbsoluteDeadline(proc, a.A3, op == LockPi || realtime, out long e3);
                    if (e3 < 0) return e3;
                }
                return proc.FutexLockPi(proc.CurrentThread, addr, deadline, op == TrylockPi);
            }
            case UnlockPi:
                return proc.Futexes.UnlockPi(proc.Memory, addr, proc.CurrentThread.Tid);
            case WaitRequeuePi:
            case CmpRequeuePi:
                // glibc's condition variables stopped using requeue-PI in 2.25; a kernel built without
                // PI support answers the same.
                return -Errno.ENOSYS;
            case Wait:
            {
                long? deadline = RelativeDeadline(proc, a.A3, out long e1);
                if (e1 < 0) return e1;
                return proc.FutexWait(proc.CurrentThread, addr, val, uint.MaxValue, deadline);
            }
            case WaitBitset:
            {
                uint bits = (uint)a.A5;
                if (bits == 0) return -Errno.EINVAL;
                long? deadline = AbsoluteDeadline(proc, a.A3, realtime, out long e2);
                if (e2 < 0) return e2;
                return proc.FutexWait(proc.CurrentThread, addr, val, bits, deadline);
            }
            case Wake:
                if ((addr & 3) != 0) return -Errno.EINVAL;
                return proc.Futexes.Wake(addr, WakeCount(val));
            case WakeBitset:
                if ((uint)a.A5 == 0) return -Errno.EINVAL;
                if ((addr & 3) != 0) return -Errno.EINVAL;
                return proc.Futexes.Wake(addr, WakeCount(val), (uint)a.A5);
            case RequeueOp:
            case CmpRequeue:
            {
                // The counts are ints to Linux (the second one the timeout argument's low half): negative ones are refused.
                int wake = (int)val, requeue = (int)(uint)a.A3;
                if (wake < 0 || requeue < 0) return -Errno.EINVAL;
                if ((addr & 3) != 0 || (a.A4 & 3) != 0) return -Errno.EINVAL;
                return proc.Futexes.Requeue(proc.Memory, addr, a.A4, wake, requeue, op == CmpRequeue ? (uint)a.A5 : null);
            }
            case WakeOp:
                if ((addr & 3) != 0 || (a.A4 & 3) != 0) return -Errno.EINVAL;
                return WakeOperation(proc, addr, a.A4, WakeCount(val), WakeCount((uint)a.A3), (uint)a.A5);
            default:
                return -Errno.ENOSYS;
        }
    }

    // Host futex numbers differ between x86-64 and arm64; the operations and their arguments do not.
    private static readonly long HostFutex = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64 ? 202 : 98;

    /// <summary>A shared futex operation, done by the host kernel on the same addresses: another process's
    /// waiters and wakers meet it there. A blocking wait is a blocking host call, interrupted by Ferry's
    /// wake-up signal like a read.</summary>
    private static long Shared(LinuxProcess proc, in SyscallArgs a, int op)
    {
        if (!Guest.Check(proc, a.A0, 4, PageFlags.Read)) return -Errno.EFAULT;
        bool waits = op is Wait or WaitBitset;
        if (waits && a.A3 != 0 && !Guest.Check(proc, a.A3, 16, PageFlags.Read)) return -Errno.EFAULT;
        if (op is RequeueOp or CmpRequeue or WakeOp && !Guest.Check(proc, a.A4, 4, PageFlags.Read)) return -Errno.EFAULT;
        if (waits && proc.HasWork(proc.CurrentThread)) return -Errno.EINTR;
        int woken = 0;
        if (op is Wake or WakeBitset)
        {
            // A waiter that used the private form on the same word is still woken, as on Linux.
            uint bits = op == WakeBitset ? (uint)a.A5 : uint.MaxValue;
            if (bits == 0) return -Errno.EINVAL;
            woken = proc.Futexes.Wake(a.A0, WakeCount((uint)a.A2), bits);
            if (woken >= WakeCount((uint)a.A2)) return woken;
        }
        long r = Host.LibC.Syscall6(HostFutex, (long)a.A0, a.Int(1), (long)(a.A2 - (ulong)woken), (long)a.A3, (long)a.A4, (long)a.A5);
        return r < 0 ? -Host.LibC.Errno : r + woken;
    }

    /// <summary>A PI lock operation on a shared word (PTHREAD_PROCESS_SHARED with PTHREAD_PRIO_INHERIT): the host
    /// kernel does it, as its owner and waiters may be in other processes; the word holds host thread ids, which
    /// guest ones are. The kernel restarts an interrupted LOCK_PI by itself (ERESTARTNOINTR), so Ferry's wake-up
    /// signal cannot get a thread out of it: the lock waits in slices, and between them a thread with a signal
    /// to take, a stop or an exit leaves and restarts the call afterwards, as the kernel does.</summary>
    private static unsafe long SharedPi(LinuxProcess proc, in SyscallArgs a, int op, bool realtime)
    {
        if (!Guest.Check(proc, a.A0, 4, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        if ((a.A0 & 3) != 0) return -Errno.EINVAL;
        if (op is TrylockPi or UnlockPi)
        {
            long u = Host.LibC.Syscall6(HostFutex, (long)a.A0, op, 0, 0, 0, 0);
            return u < 0 ? -Host.LibC.Errno : u;
        }
        // LOCK_PI's deadline is on CLOCK_REALTIME; LOCK_PI2's on CLOCK_MONOTONIC unless the flag says otherwise.
        int clock = op == LockPi || realtime ? 0 : 1;
        long? deadline = null;
        if (a.A3 != 0)
        {
            if (!Guest.Check(proc, a.A3, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A3), nsec = (long)proc.Memory.Read64(a.A3 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -Errno.EINVAL;
            deadline = sec * 1_000_000_000 + Math.Min(nsec, 999_999_999);
        }
        var t = proc.CurrentThread;
        int hostOp = op | (clock == 0 && op == LockPi2 ? ClockRealtime : 0);
        long* ts = stackalloc long[2];
        while (true)
        {
            Host.LibC.ClockGettime(clock, ts);
            long slice = ts[0] * 1_000_000_000 + ts[1] + SliceNs;
            bool last = deadline is { } d && d <= slice;
            long until = last ? deadline!.Value : slice;
            ts[0] = until / 1_000_000_000;
            ts[1] = until % 1_000_000_000;
            long r = Host.LibC.Syscall6(HostFutex, (long)a.A0, hostOp, 0, (long)ts, 0, 0);
            if (r >= 0) return r;
            int e = Host.LibC.Errno;
            if (e != Errno.ETIMEDOUT || last) return -e;
            if (proc.ForwardHostSignals) Host.HostSignals.Poll();
            if (proc.HasWork(t))
            {
                t.Cpu.State.Rip -= 2;
                return (long)t.Cpu.State.Gpr[CpuState.Rax];
            }
        }
    }

    private const long SliceNs = 50_000_000;

    /// <summary>Wakes up to <paramref name="count"/> waiters on a word Ferry itself releases (CLONE_CHILD_CLEARTID,
    /// a dead owner's robust futex): in its table and, for waiters that used the shared form, on the host.</summary>
    internal static void WakeBoth(LinuxProcess proc, ulong addr, int count)
    {
        int woken = proc.Futexes.Wake(addr, count);
        if (woken < count) Host.LibC.Syscall6(HostFutex, (long)addr, Wake, count - woken, 0, 0, 0);
    }

    /// <summary>How many waiters a wake of <paramref name="val"/> takes: Linux counts the ones it woke before it
    /// compares with the count (an int), so 0 and the "negative" counts above INT_MAX wake one.</summary>
    private static int WakeCount(uint val) => (int)val <= 0 ? 1 : (int)val;

    private static long? RelativeDeadline(LinuxProcess proc, ulong ts, out long error)
    {
        error = 0;
        if (ts == 0) return null;
        if (!Guest.Check(proc, ts, 16, PageFlags.Read)) { error = -Errno.EFAULT; return null; }
        long sec = (long)proc.Memory.Read64(ts), nsec = (long)proc.Memory.Read64(ts + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) { error = -Errno.EINVAL; return null; }
        double ticks = (sec + nsec / 1e9) * Stopwatch.Frequency;
        return Stopwatch.GetTimestamp() + (long)Math.Min(ticks, long.MaxValue / 4);
    }

    private static long? AbsoluteDeadline(LinuxProcess proc, ulong ts, bool realtime, out long error)
    {
        error = 0;
        if (ts == 0) return null;
        if (!Guest.Check(proc, ts, 16, PageFlags.Read)) { error = -Errno.EFAULT; return null; }
        long sec = (long)proc.Memory.Read64(ts), nsec = (long)proc.Memory.Read64(ts + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) { error = -Errno.EINVAL; return null; }
        long target = sec * 1_000_000_000 + nsec;
        long now = realtime ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000 : MonotonicNs();
        double ticks = (target - now) / 1e9 * Stopwatch.Frequency;
        return Stopwatch.GetTimestamp() + (long)Math.Clamp(ticks, -1e15, 1e15);
    }

    private static unsafe long MonotonicNs()
    {
        long* ts = stackalloc long[2];
        Host.LibC.ClockGettime(1, ts);
        return ts[0] * 1_000_000_000 + ts[1];
    }

    // FUTEX_WAKE_OP: *addr2 = op(*addr2, oparg) atomically; wake on addr; if cmp(old, cmparg), wake on addr2 too.
    private static long WakeOperation(LinuxProcess proc, ulong addr, ulong addr2, int wake, int wake2, uint encoded)
    {
        int opType = (int)(encoded >> 28) & 7;
        bool shiftArg = (encoded >> 31) != 0;
        int cmp = (int)(encoded >> 24) & 15;
        int oparg = (int)((encoded >> 12) & 0xFFF) << 20 >> 20;
        int cmparg = (int)(encoded & 0xFFF) << 20 >> 20;
        if (shiftArg) oparg = 1 << (oparg & 31);
        if (!proc.Memory.CanAccess(addr2, 4, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        uint old = proc.Memory.Read32(addr2);
        while (true)
        {
            uint nv = opType switch
            {
                0 => (uint)oparg,
                1 => old + (uint)oparg,
                2 => old | (uint)oparg,
                3 => old & ~(uint)oparg,
                4 => old ^ (uint)oparg,
                _ => old,
            };
            if (opType > 4) return -Errno.ENOSYS;
            uint seen = (uint)proc.Memory.CompareExchange(addr2, 4, old, nv);
            if (seen == old) break;
            old = seen;
        }
        // An unknown comparison fails the call after the operation has changed the word, before anyone is woken.
        if (cmp > 5) return -Errno.ENOSYS;
        int r = proc.Futexes.Wake(addr, wake);
        int o = (int)old;
        bool hit = cmp switch
        {
            0 => o == cmparg, 1 => o != cmparg, 2 => o < cmparg, 3 => o <= cmparg, 4 => o > cmparg, _ => o >= cmparg,
        };
        if (hit) r += proc.Futexes.Wake(addr2, wake2);
        return r;
    }
}
