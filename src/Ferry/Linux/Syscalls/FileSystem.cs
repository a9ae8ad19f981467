using System.Text;
using Ferry.Host;
using Ferry.Linux.Proc;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Paths and directories: open, stat, getdents64, mkdir, unlink, rename, links, access, cwd, modes.</summary>
internal static unsafe class FileSystem
{
    private const int AtSymlinkNofollow = 0x100, AtRemovedir = 0x200, AtEmptyPath = 0x1000;

    private static long OpenAt(LinuxProcess proc, int dirfd, ulong pathAddr, int flags, uint mode)
    {
        var raw = Guest.RawPath(proc, pathAddr, out long err);
        if (raw == null) return err;
        int dir = Guest.DirFd(proc, dirfd);
        if (dir == -1) return -Errno.EBADF;
        int h;
        string? special = raw.Length > 0 && raw[0] == (byte)'/' ? Encoding.UTF8.GetString(raw) : RelativeToProc(proc, dir, raw);
        if (special != null && (flags & 3) != 0 && ProcFs.CommTarget(proc, special) is { } named)
        {
            // A thread renamed through its comm file (the kernel allows this within the thread group).
            if ((flags & OpenFlags.Directory) != 0) return -Errno.ENOTDIR;
            h = CommFile.Create(named, OpenFlags.ToHost(flags));
            if (h < 0) return h;
        }
        else if (special != null && ProcFs.Content(proc, special) is { } content)
        {
            // /proc's generated files are mode 0444; root may open them for writing, and then writes fail.
            if (((flags & 3) != 0 || (flags & 0x40 /* O_CREAT */) != 0) && LibC.Geteuid() != 0) return -Errno.EACCES;
            if ((flags & OpenFlags.Directory) != 0) return -Errno.ENOTDIR;
            h = SyntheticFile.Open(System.IO.Path.GetFileName(special), content, OpenFlags.ToHost(flags));
            if (h < 0) return h;
        }
        else
        {
            fixed (byte* p = Guest.Z(ProcFs.ToHost(proc, raw, (flags & OpenFlags.NoFollow) == 0))) h = LibC.OpenAt(dir, p, OpenFlags.ToHost(flags), mode);
            if (h < 0) return -LibC.Errno;
            if (special != null && ProcFs.Listing(special) is { } kind) ListedDirectory.Register(h, kind);
        }
        int g = proc.Fds.Add(h);
        if (g < 0) LibC.Close(h);
        return g;
    }

    // openat(fd of /proc/self, "maps") and open("maps") in /proc/self name the same files as
    // /proc/self/maps: the absolute guest path of a relative name whose directory is under /proc.
    private static string? RelativeToProc(LinuxProcess proc, int hostDir, byte[] raw)
    {
        if (raw.Length == 0) return null;
        string name = Encoding.UTF8.GetString(raw);
        if (!ProcFs.IsGeneratedName(System.IO.Path.GetFileName(name.TrimEnd('/')))) return null;
        var buf = new byte[4096];
        nint n;
        fixed (byte* b = buf)
        {
            if (hostDir == Guest.AtFdCwd) n = LibC.Getcwd(b, (nuint)buf.Length) == null ? -1 : Array.IndexOf(buf, (byte)0);
            else fixed (byte* link = Encoding.ASCII.GetBytes($"/proc/self/fd/{hostDir}\0")) n = LibC.ReadlinkAt(Guest.AtFdCwd, link, b, (nuint)buf.Length);
        }
        if (n <= 0) return null;
        string dir = Encoding.UTF8.GetString(buf, 0, (int)n);
        return dir.StartsWith("/proc/", StringComparison.Ordinal) ? dir + "/" + name : null;
    }

    [Syscall(2, "open", "sxo")]
    private static long Open(LinuxProcess proc, in SyscallArgs a) => OpenAt(proc, Guest.AtFdCwd, a.A0, a.Int(1), (uint)a.A2);

    [Syscall(257, "openat", "fsxo")]
    private static long Openat(LinuxProcess proc, in SyscallArgs a) => OpenAt(proc, a.Int(0), a.A1, a.Int(2), (uint)a.A3);

    [Syscall(85, "creat", "so")]
    private static long Creat(LinuxProcess proc, in SyscallArgs a) => OpenAt(proc, Guest.AtFdCwd, a.A0, 0x241 /* O_CREAT|O_WRONLY|O_TRUNC */, (uint)a.A1);

    private static long StatAt(LinuxProcess proc, int dirfd, ulong pathAddr, ulong statAddr, int flags)
    {
        byte[] path;
        if ((flags & AtEmptyPath) != 0 && pathAddr != 0 && proc.Memory.ReadCString(pathAddr, 1) is { Length: 0 }) path = Array.Empty<byte>();
        else
        {
            var p = Guest.RawPath(proc, pathAddr, out long err);
            if (p == null) return err;
            path = ProcFs.ToHost(proc, p, (flags & AtSymlinkNofollow) == 0);
        }
        int dir = Guest.DirFd(proc, dirfd);
        if (dir == -1) return -Errno.EBADF;
        if (!Guest.Check(proc, statAddr, StatLayout.StatSize, PageFlags.Write)) return -Errno.EFAULT;
        byte* x = stackalloc byte[StatLayout.StatxSize];
        int r;
        fixed (byte* p = Guest.Z(path)) r = LibC.Statx(dir, p, flags & (AtSymlinkNofollow | AtEmptyPath | 0x800), 0x7ff, x);
        if (r != 0) return -LibC.Errno;
        StatLayout.FromStatx(new ReadOnlySpan<byte>(x, StatLayout.StatxSize), new Span<byte>((void*)statAddr, StatLayout.StatSize));
        return 0;
    }

    [Syscall(4, "stat", "sp")]
    private static long Stat(LinuxProcess proc, in SyscallArgs a) => StatAt(proc, Guest.AtFdCwd, a.A0, a.A1, 0);

    [Syscall(6, "lstat", "sp")]
    private static long Lstat(LinuxProcess proc, in SyscallArgs a) => StatAt(proc, Guest.AtFdCwd, a.A0, a.A1, AtSymlinkNofollow);

    [Syscall(262, "newfstatat", "fspx")]
    private static long Newfstatat(LinuxProcess proc, in SyscallArgs a) => StatAt(proc, a.Int(0), a.A1, a.A2, a.Int(3));

    [Syscall(5, "fstat", "fp")]
    private static long Fstat(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        if (h < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, StatLayout.StatSize, PageFlags.Write)) return -Errno.EFAULT;
        byte* x = stackalloc byte[StatLayout.StatxSize];
        byte empty = 0;
        if (LibC.Statx(h, &empty, AtEmptyPath, 0x7ff, x) != 0) return -LibC.Errno;
        StatLayout.FromStatx(new ReadOnlySpan<byte>(x, StatLayout.StatxSize), new Span<byte>((void*)a.A1, StatLayout.StatSize));
        return 0;
    }

    [Syscall(332, "statx", "fsxxp")]
    private static long Statx(LinuxProcess proc, in SyscallArgs a)
    {
        int flags = a.Int(2);
        byte[] path;
        if ((flags & AtEmptyPath) != 0 && a.A1 != 0 && proc.Memory.ReadCString(a.A1, 1) is { Length: 0 }) path = Array.Empty<byte>();
        else
        {
            var p = Guest.RawPath(proc, a.A1, out long err);
            if (p == null) return err;
            path = ProcFs.ToHost(proc, p, (flags & AtSymlinkNofollow) == 0);
        }
        int dir = Guest.DirFd(proc, a.Int(0));
        if (dir == -1) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A4, StatLayout.StatxSize, PageFlags.Write)) return -Errno.EFAULT;
        fixed (byte* p = Guest.Z(path)) return LibC.Result(LibC.Statx(dir, p, flags, (uint)a.A3, (void*)a.A4));
    }

    [Syscall(217, "getdents64", "fpd")]
    private static long Getdents64(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        if (h < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, a.A2, PageFlags.Write)) return -Errno.EFAULT;
        if (ListedDirectory.Is(h)) return ListedDirectory.Read(proc, h, new Span<byte>((void*)a.A1, (int)Math.Min(a.A2, int.MaxValue)));
        return LibC.Result(LibC.Getdents64(h, (void*)a.A1, (nuint)a.A2));
    }

    private static long PathCall(LinuxProcess proc, ulong pathAddr, Func<nint, int> call, bool follow = false)
    {
        var path = Guest.Path(proc, pathAddr, out long err, follow);
        if (path == null) return err;
        fixed (byte* p = Guest.Z(path)) return LibC.Result(call((nint)p));
    }

    private static long DirPathCall(LinuxProcess proc, int dirfd, ulong pathAddr, Func<int, nint, int> call, bool follow = false)
    {
        int dir = Guest.DirFd(proc, dirfd);
        if (dir == -1) return -Errno.EBADF;
        return PathCall(proc, pathAddr, p => call(dir, p), follow);
    }

    [Syscall(83, "mkdir", "so")]
    private static long Mkdir(LinuxProcess proc, in SyscallArgs a) { uint m = (uint)a.A1; return PathCall(proc, a.A0, p => LibC.MkdirAt(Guest.AtFdCwd, (byte*)p, m)); }

    [Syscall(258, "mkdirat", "fso")]
    private static long Mkdirat(LinuxProcess proc, in SyscallArgs a) { uint m = (uint)a.A2; return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.MkdirAt(d, (byte*)p, m)); }

    [Syscall(84, "rmdir", "s")]
    private static long Rmdir(LinuxProcess proc, in SyscallArgs a) => PathCall(proc, a.A0, p => LibC.UnlinkAt(Guest.AtFdCwd, (byte*)p, AtRemovedir));

    [Syscall(87, "unlink", "s")]
    private static long Unlink(LinuxProcess proc, in SyscallArgs a) => PathCall(proc, a.A0, p => LibC.UnlinkAt(Guest.AtFdCwd, (byte*)p, 0));

    [Syscall(263, "unlinkat", "fsx")]
    private static long Unlinkat(LinuxProcess proc, in SyscallArgs a) { int f = a.Int(2); return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.UnlinkAt(d, (byte*)p, f)); }

    private static long Rename(LinuxProcess proc, int olddir, ulong oldAddr, int newdir, ulong newAddr, uint flags)
    {
        var from = Guest.Path(proc, oldAddr, out long e1);
        if (from == null) return e1;
        var to = Guest.Path(proc, newAddr, out long e2);
        if (to == null) return e2;
        int od = Guest.DirFd(proc, olddir), nd = Guest.DirFd(proc, newdir);
        if (od == -1 || nd == -1) return -Errno.EBADF;
        fixed (byte* f = Guest.Z(from)) fixed (byte* t = Guest.Z(to))
            return LibC.Result(LibC.RenameAt2(od, f, nd, t, flags));
    }

    [Syscall(82, "rename", "ss")]
    private static long RenameCall(LinuxProcess proc, in SyscallArgs a) => Rename(proc, Guest.AtFdCwd, a.A0, Guest.AtFdCwd, a.A1, 0);

    [Syscall(264, "renameat", "fsfs")]
    private static long Renameat(LinuxProcess proc, in SyscallArgs a) => Rename(proc, a.Int(0), a.A1, a.Int(2), a.A3, 0);

    [Syscall(316, "renameat2", "fsfsx")]
    private static long Renameat2(LinuxProcess proc, in SyscallArgs a) => Rename(proc, a.Int(0), a.A1, a.Int(2), a.A3, (uint)a.A4);

    private static long Link(LinuxProcess proc, int olddir, ulong oldAddr, int newdir, ulong newAddr, int flags)
    {
        var from = Guest.Path(proc, oldAddr, out long e1);
        if (from == null) return e1;
        var to = Guest.Path(proc, newAddr, out long e2);
        if (to == null) return e2;
        int od = Guest.DirFd(proc, olddir), nd = Guest.DirFd(proc, newdir);
        if (od == -1 || nd == -1) return -Errno.EBADF;
        fixed (byte* f = Guest.Z(from)) fixed (byte* t = Guest.Z(to))
            return LibC.Result(LibC.LinkAt(od, f, nd, t, flags));
    }

    [Syscall(86, "link", "ss")]
    private static long LinkCall(LinuxProcess proc, in SyscallArgs a) => Link(proc, Guest.AtFdCwd, a.A0, Guest.AtFdCwd, a.A1, 0);

    [Syscall(265, "linkat", "fsfsx")]
    private static long Linkat(LinuxProcess proc, in SyscallArgs a) => Link(proc, a.Int(0), a.A1, a.Int(2), a.A3, a.Int(4));

    private static long Symlink(LinuxProcess proc, ulong targetAddr, int newdir, ulong linkAddr)
    {
        // The target is stored as written, not looked up.
        var target = Guest.RawPath(proc, targetAddr, out long e1);
        if (target == null) return e1;
        var link = Guest.Path(proc, linkAddr, out long e2);
        if (link == null) return e2;
        int nd = Guest.DirFd(proc, newdir);
        if (nd == -1) return -Errno.EBADF;
        fixed (byte* t = Guest.Z(target)) fixed (byte* l = Guest.Z(link))
            return LibC.Result(LibC.SymlinkAt(t, nd, l));
    }

    [Syscall(88, "symlink", "ss")]
    private static long SymlinkCall(LinuxProcess proc, in SyscallArgs a) => Symlink(proc, a.A0, Guest.AtFdCwd, a.A1);

    [Syscall(266, "symlinkat", "sfs")]
    private static long Symlinkat(LinuxProcess proc, in SyscallArgs a) => Symlink(proc, a.A0, a.Int(1), a.A2);

    private static long Readlink(LinuxProcess proc, int dirfd, ulong pathAddr, ulong buf, ulong size)
    {
        var raw = Guest.RawPath(proc, pathAddr, out long err);
        if (raw == null) return err;
        if ((long)size <= 0) return -Errno.EINVAL;
        if (!Guest.Check(proc, buf, size, PageFlags.Write)) return -Errno.EFAULT;
        if (ProcFs.ReadLink(proc, Encoding.UTF8.GetString(raw)) is { } target)
        {
            // The guest's executable, not the emulator's.
            var exe = Encoding.UTF8.GetBytes(target);
            int n = (int)Math.Min((ulong)exe.Length, size);
            proc.Memory.WriteBytes(buf, exe.AsSpan(0, n));
            return n;
        }
        int dir = Guest.DirFd(proc, dirfd);
        if (dir == -1) return -Errno.EBADF;
        fixed (byte* p = Guest.Z(ProcFs.ToHost(proc, raw, followLast: false))) return LibC.Result(LibC.ReadlinkAt(dir, p, (byte*)buf, (nuint)size));
    }

    [Syscall(89, "readlink", "spd")]
    private static long ReadlinkCall(LinuxProcess proc, in SyscallArgs a) => Readlink(proc, Guest.AtFdCwd, a.A0, a.A1, a.A2);

    [Syscall(267, "readlinkat", "fspd")]
    private static long Readlinkat(LinuxProcess proc, in SyscallArgs a) => Readlink(proc, a.Int(0), a.A1, a.A2, a.A3);

    [Syscall(21, "access", "so")]
    private static long Access(LinuxProcess proc, in SyscallArgs a) { int m = a.Int(1); return PathCall(proc, a.A0, p => LibC.FaccessAt(Guest.AtFdCwd, (byte*)p, m, 0), follow: true); }

    [Syscall(269, "faccessat", "fso")]
    private static long Faccessat(LinuxProcess proc, in SyscallArgs a) { int m = a.Int(2); return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.FaccessAt(d, (byte*)p, m, 0), follow: true); }

    [Syscall(439, "faccessat2", "fsox")]
    private static long Faccessat2(LinuxProcess proc, in SyscallArgs a) { int m = a.Int(2), f = a.Int(3); return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.FaccessAt(d, (byte*)p, m, f), follow: (f & AtSymlinkNofollow) == 0); }

    [Syscall(80, "chdir", "s")]
    private static long Chdir(LinuxProcess proc, in SyscallArgs a) => PathCall(proc, a.A0, p => LibC.Chdir((byte*)p), follow: true);

    [Syscall(81, "fchdir", "f")]
    private static long Fchdir(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        return h < 0 ? -Errno.EBADF : LibC.Result(LibC.Fchdir(h));
    }

    [Syscall(79, "getcwd", "pd")]
    private static long Getcwd(LinuxProcess proc, in SyscallArgs a)
    {
        var buf = new byte[4096];
        fixed (byte* b = buf)
            if (LibC.Getcwd(b, (nuint)buf.Length) == null) return -LibC.Errno;
        int len = Array.IndexOf(buf, (byte)0) + 1;
        if ((ulong)len > a.A1) return -Errno.ERANGE;
        if (!Guest.Check(proc, a.A0, (ulong)len, PageFlags.Write)) return -Errno.EFAULT;
        proc.Memory.WriteBytes(a.A0, buf.AsSpan(0, len));
        return len;
    }

    [Syscall(90, "chmod", "so")]
    private static long Chmod(LinuxProcess proc, in SyscallArgs a) { uint m = (uint)a.A1; return PathCall(proc, a.A0, p => LibC.FchmodAt(Guest.AtFdCwd, (byte*)p, m, 0), follow: true); }

    [Syscall(268, "fchmodat", "fso")]
    private static long Fchmodat(LinuxProcess proc, in SyscallArgs a) { uint m = (uint)a.A2; return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.FchmodAt(d, (byte*)p, m, 0), follow: true); }

    [Syscall(91, "fchmod", "fo")]
    private static long Fchmod(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        return h < 0 ? -Errno.EBADF : LibC.Result(LibC.Fchmod(h, (uint)a.A1));
    }

    [Syscall(92, "chown", "sdd")]
    private static long Chown(LinuxProcess proc, in SyscallArgs a) { uint u = (uint)a.A1, g = (uint)a.A2; return PathCall(proc, a.A0, p => LibC.FchownAt(Guest.AtFdCwd, (byte*)p, u, g, 0), follow: true); }

    [Syscall(94, "lchown", "sdd")]
    private static long Lchown(LinuxProcess proc, in SyscallArgs a) { uint u = (uint)a.A1, g = (uint)a.A2; return PathCall(proc, a.A0, p => LibC.FchownAt(Guest.AtFdCwd, (byte*)p, u, g, AtSymlinkNofollow)); }

    [Syscall(260, "fchownat", "fsddx")]
    private static long Fchownat(LinuxProcess proc, in SyscallArgs a) { uint u = (uint)a.A2, g = (uint)a.A3; int f = a.Int(4); return DirPathCall(proc, a.Int(0), a.A1, (d, p) => LibC.FchownAt(d, (byte*)p, u, g, f), follow: (f & AtSymlinkNofollow) == 0); }

    [Syscall(93, "fchown", "fdd")]
    private static long Fchown(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        return h < 0 ? -Errno.EBADF : LibC.Result(LibC.Fchown(h, (uint)a.A1, (uint)a.A2));
    }

    [Syscall(95, "umask", "o")]
    private static long Umask(LinuxProcess proc, in SyscallArgs a) => LibC.Umask((uint)a.A0 & 0777);

    [Syscall(76, "truncate", "sd")]
    private static long Truncate(LinuxProcess proc, in SyscallArgs a)
    {
        long len = (long)a.A1;
        long r = PathCall(proc, a.A0, p => LibC.Truncate((byte*)p, len), follow: true);
        if (r == 0 && proc.Memory.HasFileMappings)
        {
            int fd = (int)PathCall(proc, a.A0, p => LibC.OpenAt(Guest.AtFdCwd, (byte*)p, 0x200000 | 0x80000 /* O_PATH|O_CLOEXEC */, 0), follow: true);
            if (fd >= 0) { proc.Memory.FileSizeChanged(fd); LibC.Close(fd); }
        }
        return r;
    }

    [Syscall(280, "utimensat", "fspx")]
    private static long Utimensat(LinuxProcess proc, in SyscallArgs a)
    {
        int dir = Guest.DirFd(proc, a.Int(0));
        if (dir == -1) return -Errno.EBADF;
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 32, PageFlags.Read)) return -Errno.EFAULT;
        int flags = a.Int(3);
        if (a.A1 == 0) return dir == Guest.AtFdCwd ? -Errno.EFAULT : LibC.Result(LibC.Futimens(dir, (void*)a.A2));
        ulong times = a.A2;
        return PathCall(proc, a.A1, p => LibC.UtimensAt(dir, (byte*)p, (void*)times, flags), follow: (flags & AtSymlinkNofollow) == 0);
    }
}
