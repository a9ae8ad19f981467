using Ferry.Host;

namespace Ferry.Linux.Syscalls;

/// <summary>Gives descriptors that a host call just created their guest numbers, closing them again
/// when the guest has no numbers left, as a failed call in the kernel leaves nothing behind.</summary>
internal static unsafe class NewDescriptors
{
    /// <summary>The guest number for <paramref name="host"/> (a host call's result: -1 means it failed with errno).</summary>
    public static long One(LinuxProcess proc, int host)
    {
        if (host < 0) return -LibC.Errno;
        int g = proc.Fds.Add(host);
        if (g < 0) LibC.Close(host);
        return g;
    }

    /// <summary>Numbers a pair (pipe, socketpair) and stores them as two ints at <paramref name="addr"/>,
    /// which the caller has checked is writable.</summary>
    public static long Pair(LinuxProcess proc, int* fds, ulong addr)
    {
        int g0 = proc.Fds.Add(fds[0]);
        int g1 = g0 < 0 ? g0 : proc.Fds.Add(fds[1]);
        if (g1 < 0)
        {
            if (g0 >= 0) proc.Fds.Remove(g0);
            LibC.Close(fds[0]); LibC.Close(fds[1]);
            return -Errno.EMFILE;
        }
        proc.Memory.Write32(addr, (uint)g0);
        proc.Memory.Write32(addr + 4, (uint)g1);
        return 0;
    }
}
