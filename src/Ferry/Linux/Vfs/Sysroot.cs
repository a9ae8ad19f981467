using System.Text;
using Ferry.Host;

namespace Ferry.Linux.Vfs;

/// <summary>A directory that holds the guest's x86-64 userland (libraries, the ELF interpreter, data
/// files) on a host that has none, with qemu's -L semantics: an absolute path the guest names is looked
/// up under the sysroot first and, when nothing is there, on the host as it is. Relative paths, paths
/// under /proc, /sys and /dev, and paths of files that do not exist yet (O_CREAT) stay host paths.</summary>
public sealed unsafe class Sysroot
{
    /// <summary>No translation: the guest sees the host's tree (the default on an x86-64 host).</summary>
    public static Sysroot None { get; } = new(null);

    private readonly byte[]? _prefix;
    // The prefix with one char per byte: Resolve works on Latin-1 strings so that file names that are
    // not UTF-8 survive the round trip byte for byte.
    private readonly string? _bytePrefix;

    /// <summary>The sysroot directory without a trailing slash, or null for none.</summary>
    public string? Directory { get; }

    /// <summary>A sysroot at <paramref name="directory"/>; null, empty or "/" means none.</summary>
    public Sysroot(string? directory)
    {
        if (string.IsNullOrEmpty(directory)) return;
        string full = System.IO.Path.GetFullPath(directory).TrimEnd('/');
        if (full.Length == 0) return;
        Directory = full;
        _prefix = Encoding.UTF8.GetBytes(full);
        _bytePrefix = Encoding.Latin1.GetString(_prefix);
    }

    /// <summary>True when paths are translated.</summary>
    public bool Active => _prefix != null;

    private static readonly string[] HostOnly = { "/proc", "/sys", "/dev" };

    private static bool Under(ReadOnlySpan<byte> path, string dir)
    {
        var d = Encoding.ASCII.GetBytes(dir);
        return path.StartsWith(d) && (path.Length == d.Length || path[d.Length] == (byte)'/');
    }

    /// <summary>The host path for a guest path (no trailing NUL). Symlinks met on the way are resolved
    /// as in a chroot: an absolute target starts again at the sysroot, so the links of a Debian tree
    /// (/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/...) stay inside it.</summary>
    /// <param name="guestPath">The guest's path.</param>
    /// <param name="followLast">False when the call acts on a final symlink itself (lstat, readlink, unlink).</param>
    public byte[] ToHost(byte[] guestPath, bool followLast = true)
    {
        if (_prefix == null || guestPath.Length == 0 || guestPath[0] != (byte)'/') return guestPath;
        foreach (var d in HostOnly) if (Under(guestPath, d)) return guestPath;
        var resolved = Resolve(Encoding.Latin1.GetString(guestPath), followLast);
        return resolved == null ? guestPath : Encoding.Latin1.GetBytes(resolved);
    }

    private const int MaxLinks = 40;

    // Walks the guest path component by component under the sysroot; null when some component does not
    // exist there (the host's file is meant).
    private string? Resolve(string guestPath, bool followLast)
    {
        var pending = new Stack<string>(guestPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var done = new List<string>();
        int links = 0;
        var buf = new byte[4096];
        byte* statx = stackalloc byte[256];
        while (pending.Count > 0)
        {
            string c = pending.Pop();
            if (c == ".") continue;
            if (c == "..") { if (done.Count > 0) done.RemoveAt(done.Count - 1); continue; }
            string host = _bytePrefix + "/" + string.Join('/', done.Append(c));
            int r;
            fixed (byte* p = Encoding.Latin1.GetBytes(host + "\0")) r = LibC.Statx(-100 /* AT_FDCWD */, p, 0x100 /* AT_SYMLINK_NOFOLLOW */, 1 /* STATX_TYPE */, statx);
            if (r != 0) return null;
            bool isLink = (*(ushort*)(statx + 28) & 0xF000) == 0xA000;
            if (!isLink || (pending.Count == 0 && !followLast)) { done.Add(c); continue; }
            if (++links > MaxLinks) return null;
            nint n;
            fixed (byte* p = Encoding.Latin1.GetBytes(host + "\0")) fixed (byte* b = buf) n = LibC.ReadlinkAt(-100, p, b, (nuint)buf.Length);
            if (n <= 0) return null;
            string target = Encoding.Latin1.GetString(buf, 0, (int)n);
            if (target.StartsWith('/')) done.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return done.Count == 0 ? _bytePrefix : _bytePrefix + "/" + string.Join('/', done);
    }

    /// <summary>The host path for a guest path.</summary>
    public string ToHost(string guestPath) => Encoding.UTF8.GetString(ToHost(Encoding.UTF8.GetBytes(guestPath)));

    /// <summary>The path the guest knows for a host path: the sysroot prefix is taken off.</summary>
    public string ToGuest(string hostPath)
    {
        if (Directory == null || !hostPath.StartsWith(Directory, StringComparison.Ordinal)) return hostPath;
        if (hostPath.Length == Directory.Length) return "/";
        return hostPath[Directory.Length] == '/' ? hostPath[Directory.Length..] : hostPath;
    }
}
