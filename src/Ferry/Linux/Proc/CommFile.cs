using Ferry.Host;
using Ferry.Linux.Threads;

namespace Ferry.Linux.Proc;

/// <summary>/proc/self/comm and /proc/self/task/TID/comm opened for writing: the guest renames a thread
/// that way (glibc's pthread_setname_np for another thread). The host descriptor is a scratch memfd; writes
/// to it are answered here by setting the thread's name, as the kernel's comm_write does (at most 15 bytes,
/// kept as written, newline included).</summary>
internal static unsafe class CommFile
{
    private static readonly Dictionary<int, GuestThread> Open = new();
    private static readonly Lock Gate = new();
    private static int _count;

    /// <summary>A host descriptor for writing the name of <paramref name="thread"/>, or minus errno.</summary>
    public static int Create(GuestThread thread, int hostFlags)
    {
        int fd;
        fixed (byte* n = "comm\0"u8) fd = LibC.MemfdCreate(n, (hostFlags & OpenFlags.CloExec) != 0 ? 1u : 0u);
        if (fd < 0) return -LibC.Errno;
        lock (Gate)
        {
            Open[fd] = thread;
            _count = Open.Count;
        }
        return fd;
    }

    /// <summary>The thread whose name writes to <paramref name="hostFd"/> set, or null.</summary>
    public static GuestThread? Find(int hostFd)
    {
        if (Volatile.Read(ref _count) == 0) return null;
        lock (Gate) return Open.GetValueOrDefault(hostFd);
    }

    /// <summary>Forgets a host descriptor that is being closed.</summary>
    public static void Closed(int hostFd)
    {
        if (Volatile.Read(ref _count) == 0) return;
        lock (Gate)
        {
            Open.Remove(hostFd);
            _count = Open.Count;
        }
    }

    /// <summary>write(2): the thread takes the first 15 bytes as its name; the whole count is reported written.</summary>
    public static long Write(LinuxProcess proc, GuestThread thread, ulong buf, ulong count)
    {
        var name = new byte[Math.Min(count, 15)];
        try { proc.Memory.ReadBytes(buf, name); }
        catch (Memory.MemoryFault) { return -Errno.EFAULT; }
        thread.Name = name;
        return (long)count;
    }
}
