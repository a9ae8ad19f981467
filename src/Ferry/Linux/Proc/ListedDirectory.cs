using System.Text;

namespace Ferry.Linux.Proc;

/// <summary>Open /proc/self/fd and /proc/self/task directories. The host descriptor is a real open of
/// the host's directory (so fstat, fchdir and close behave), but its entries are the guest's descriptor
/// numbers and threads, not the runtime's: getdents64 on it is answered here.</summary>
internal static class ListedDirectory
{
    /// <summary>What a directory lists.</summary>
    public enum Kind { Fds, Tasks }

    private sealed class Cursor(Kind kind)
    {
        public Kind Kind { get; } = kind;
        public long Position;
        public int[] Fds = Array.Empty<int>();
    }

    private static readonly Dictionary<int, Cursor> Open = new();
    private static readonly Lock Gate = new();

    public static void Register(int hostFd, Kind kind)
    {
        lock (Gate) Open[hostFd] = new Cursor(kind);
    }

    /// <summary>Forgets a host descriptor that is being closed.</summary>
    public static void Closed(int hostFd)
    {
        lock (Gate) Open.Remove(hostFd);
    }

    public static bool Is(int hostFd)
    {
        lock (Gate) return Open.ContainsKey(hostFd);
    }

    /// <summary>lseek on the directory: positions are entry indexes, as d_off reports them.</summary>
    public static long Seek(int hostFd, long offset, int whence)
    {
        lock (Gate)
        {
            if (!Open.TryGetValue(hostFd, out var c)) return -Errno.EBADF;
            long target = whence switch { 0 => offset, 1 => c.Position + offset, _ => -1 };
            if (target < 0) return -Errno.EINVAL;
            c.Position = target;
            return target;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with linux_dirent64 records from the cursor on; returns the
    /// bytes used, or minus errno.</summary>
    public static long Read(LinuxProcess proc, int hostFd, Span<byte> buffer)
    {
        Cursor c;
        lock (Gate) if (!Open.TryGetValue(hostFd, out c!)) return -Errno.EBADF;
        // The kernel walks the live table from the cursor; a listing started at 0 sees the table as it is now.
        if (c.Position == 0) c.Fds = c.Kind == Kind.Fds ? proc.Fds.GuestFds() : proc.LiveThreads().Select(x => x.Tid).ToArray();
        byte entryType = c.Kind == Kind.Fds ? (byte)10 /* DT_LNK */ : (byte)4 /* DT_DIR */;
        int used = 0;
        while (true)
        {
            long pos = c.Position;
            string name;
            byte type;
            ulong ino;
            if (pos == 0) { name = "."; type = 4; ino = 1; }
            else if (pos == 1) { name = ".."; type = 4; ino = 2; }
            else if (pos - 2 < c.Fds.Length) { name = c.Fds[pos - 2].ToString(System.Globalization.CultureInfo.InvariantCulture); type = entryType; ino = 1000 + (ulong)c.Fds[pos - 2]; }
            else break;
            var nameBytes = Encoding.ASCII.GetBytes(name);
            int reclen = (19 + nameBytes.Length + 1 + 7) & ~7;
            if (used + reclen > buffer.Length)
            {
                if (used == 0) return -Errno.EINVAL;
                break;
            }
            var rec = buffer.Slice(used, reclen);
            rec.Clear();
            BitConverter.TryWriteBytes(rec, ino);
            BitConverter.TryWriteBytes(rec[8..], pos + 1);
            BitConverter.TryWriteBytes(rec[16..], (ushort)reclen);
            rec[18] = type;
            nameBytes.CopyTo(rec[19..]);
            used += reclen;
            c.Position = pos + 1;
        }
        return used;
    }
}
