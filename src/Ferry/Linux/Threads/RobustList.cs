using System.Runtime.InteropServices;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Threads;

/// <summary>The kernel's exit_robust_list: when a thread ends (or execs) holding robust mutexes, every futex
/// word on its set_robust_list list that it still owns gets FUTEX_OWNER_DIED, and one waiter is woken, so the
/// next locker sees EOWNERDEAD instead of waiting for ever.</summary>
internal static class RobustList
{
    // struct robust_list_head { struct robust_list *next; long futex_offset; struct robust_list *list_op_pending; }.
    // Bit 0 of each pointer marks a PI futex. The kernel stops after ROBUST_LIST_LIMIT entries (a cyclic list).
    private const int Limit = 2048;

    /// <summary>Walks <paramref name="t"/>'s list; a list the guest has broken (unmapped, unaligned) is left
    /// where it breaks, as the kernel does.</summary>
    public static void Release(LinuxProcess proc, GuestThread t)
    {
        ulong head = t.RobustList;
        t.RobustList = 0;
        RestoreHost(t);
        var mem = proc.Memory;
        if (head == 0 || !mem.CanAccess(head, 24, PageFlags.Read)) return;
        ulong entry = mem.Read64(head);
        long offset = (long)mem.Read64(head + 8);
        ulong pending = mem.Read64(head + 16);
        for (int n = 0; n < Limit && (entry & ~1UL) != head; n++)
        {
            ulong at = entry & ~1UL;
            if (!mem.CanAccess(at, 8, PageFlags.Read)) return;
            ulong next = mem.Read64(at);
            // The entry being locked or unlocked right now is handled last, with the pending rules.
            if (at != (pending & ~1UL)) Die(proc, t, at + (ulong)offset, (entry & 1) != 0, false);
            entry = next;
        }
        if ((pending & ~1UL) != 0) Die(proc, t, (pending & ~1UL) + (ulong)offset, (pending & 1) != 0, true);
    }

    private static readonly bool X64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
    private static readonly long HostSetRobustList = X64 ? 273 : 99, HostGetRobustList = X64 ? 274 : 100;

    /// <summary>Registers the guest's list with the host kernel for the host thread that runs <paramref name="t"/>
    /// (the calling one): guest addresses are host addresses and guest thread ids host ones, so when the host
    /// process dies without Ferry's walk (SIGKILL, or a signal's default action, which ends it by the same host
    /// signal) the host kernel marks the guest's process-shared robust mutexes, as Linux would.</summary>
    public static unsafe void RegisterWithHost(GuestThread t)
    {
        if (t.HostTid != LibC.Gettid() || t.HostTid != t.Tid) return; // the kernel matches owners by host tid
        if (t.HostRobustList == null)
        {
            ulong head, len;
            t.HostRobustList = LibC.Syscall5(HostGetRobustList, 0, (long)&head, (long)&len, 0, 0) == 0 ? head : 0;
        }
        LibC.Syscall5(HostSetRobustList, (long)t.RobustList, 24, 0, 0, 0);
    }

    // Once Ferry has walked the list itself, the host's own list goes back, so the kernel does not walk the
    // guest's again when the host thread ends.
    private static void RestoreHost(GuestThread t)
    {
        if (t.HostRobustList is not { } old || t.HostTid != LibC.Gettid()) return;
        t.HostRobustList = null;
        LibC.Syscall5(HostSetRobustList, (long)old, 24, 0, 0, 0);
    }

    // handle_futex_death: only a word the dying thread owns is marked; a pending non-PI word with no owner
    // gets a wake, since the thread may have died between the unlock and the wake-up.
    private static void Die(LinuxProcess proc, GuestThread t, ulong word, bool pi, bool pendingOp)
    {
        var mem = proc.Memory;
        if ((word & 3) != 0 || !mem.CanAccess(word, 4, PageFlags.Read | PageFlags.Write)) return;
        while (true)
        {
            uint val = mem.Read32(word);
            uint owner = val & FutexTable.TidMask;
            if (pendingOp && !pi && owner == 0)
            {
                proc.WakeFutex(word, 1);
                return;
            }
            if (owner != (uint)t.Tid) return;
            uint died = (val & FutexTable.Waiters) | FutexTable.OwnerDied;
            if ((uint)mem.CompareExchange(word, 4, val, died) != val) continue;
            if (pi) proc.Futexes.HandOffDeadPi(mem, word);
            else if ((val & FutexTable.Waiters) != 0) proc.WakeFutex(word, 1);
            return;
        }
    }
}
