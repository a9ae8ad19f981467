using Ferry.Host;

namespace Ferry.Linux.Proc;

/// <summary>A generated /proc file handed to the guest as a sealed, read-only memfd: read, pread, lseek,
/// fstat and mmap then behave as on a file, and writes fail as they do on /proc's read-only files.</summary>
internal static unsafe class SyntheticFile
{
    private const uint MfdCloexec = 1, MfdAllowSealing = 2;
    private const int FAddSeals = 1033, SealAll = 1 | 2 | 4 | 8; // F_SEAL_SEAL | SHRINK | GROW | WRITE

    /// <summary>A host descriptor open read-only on <paramref name="content"/>, or minus errno.</summary>
    public static int Open(string name, byte[] content, int hostFlags)
    {
        int fd;
        fixed (byte* n = System.Text.Encoding.ASCII.GetBytes(name + "\0")) fd = LibC.MemfdCreate(n, MfdCloexec | MfdAllowSealing);
        if (fd < 0) return -LibC.Errno;
        try
        {
            fixed (byte* b = content)
            {
                for (int off = 0; off < content.Length;)
                {
                    nint w = LibC.Write(fd, b + off, (nuint)(content.Length - off));
                    if (w < 0 && LibC.Errno == Errno.EINTR) continue;
                    if (w <= 0) return -Errno.EIO;
                    off += (int)w;
                }
            }
            if (LibC.Fcntl(fd, FAddSeals, SealAll) != 0) return -LibC.Errno;
            // A second open of the memfd is read-only and starts at offset 0, with the guest's flags.
            int ro;
            fixed (byte* p = System.Text.Encoding.ASCII.GetBytes($"/proc/self/fd/{fd}\0"))
                ro = LibC.OpenAt(-100, p, hostFlags & (OpenFlags.CloExec | 0x800 /* O_NONBLOCK */), 0);
            return ro < 0 ? -LibC.Errno : ro;
        }
        finally { LibC.Close(fd); }
    }
}
