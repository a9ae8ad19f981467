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
    }

    /// <summary>True when paths are translated.</summary>
    public bool Active => _prefix != null;

    private static readonly string[] HostOnly = { "/proc", "/sys", "/dev" };

    private static bool Under(ReadOnlySpan<byte> path, string dir)
    {
        var d = Encoding.ASCII.GetBytes(dir);
        return path.StartsWith(d) && (path.Length == d.Length || path[d.Length] == (byte)'/');
    }

    /// <summary>The host path for a guest path (no trailing NUL).</summary>
    public byte[] ToHost(byte[] guestPath)
    {
        if (_prefix == null || guestPath.Length == 0 || guestPath[0] != (byte)'/') return guestPath;
        foreach (var d in HostOnly) if (Under(guestPath, d)) return guestPath;
        var candidate = new byte[_prefix.Length + guestPath.Length + 1];
        _prefix.CopyTo(candidate, 0);
        guestPath.CopyTo(candidate, _prefix.Length);
        byte* statx = stackalloc byte[256];
        int r;
        // lstat: a dangling symlink inside the sysroot still belongs to the sysroot.
        fixed (byte* p = candidate) r = LibC.Statx(-100 /* AT_FDCWD */, p, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0, statx);
        return r == 0 ? candidate[..^1] : guestPath;
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
