using System.Buffers.Binary;

namespace Ferry.Linux.Syscalls;

/// <summary>Builds the x86-64 <c>struct stat</c> (144 bytes) from a host <c>struct statx</c>, whose
/// layout is the same on every architecture; host <c>struct stat</c> layouts differ (ARM64).</summary>
internal static class StatLayout
{
    public const int StatSize = 144, StatxSize = 256;

    private static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfff) << 8) | ((ulong)(major & ~0xfffu) << 32) | (minor & 0xff) | ((ulong)(minor & ~0xffu) << 12);

    public static void FromStatx(ReadOnlySpan<byte> x, Span<byte> st)
    {
        st[..StatSize].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(st, MakeDev(BinaryPrimitives.ReadUInt32LittleEndian(x[136..]), BinaryPrimitives.ReadUInt32LittleEndian(x[140..])));
        BinaryPrimitives.WriteUInt64LittleEndian(st[8..], BinaryPrimitives.ReadUInt64LittleEndian(x[32..]));   // ino
        BinaryPrimitives.WriteUInt64LittleEndian(st[16..], BinaryPrimitives.ReadUInt32LittleEndian(x[16..]));  // nlink
        BinaryPrimitives.WriteUInt32LittleEndian(st[24..], BinaryPrimitives.ReadUInt16LittleEndian(x[28..]));  // mode
        BinaryPrimitives.WriteUInt32LittleEndian(st[28..], BinaryPrimitives.ReadUInt32LittleEndian(x[20..]));  // uid
        BinaryPrimitives.WriteUInt32LittleEndian(st[32..], BinaryPrimitives.ReadUInt32LittleEndian(x[24..]));  // gid
        BinaryPrimitives.WriteUInt64LittleEndian(st[40..], MakeDev(BinaryPrimitives.ReadUInt32LittleEndian(x[128..]), BinaryPrimitives.ReadUInt32LittleEndian(x[132..])));
        BinaryPrimitives.WriteUInt64LittleEndian(st[48..], BinaryPrimitives.ReadUInt64LittleEndian(x[40..]));  // size
        BinaryPrimitives.WriteUInt64LittleEndian(st[56..], BinaryPrimitives.ReadUInt32LittleEndian(x[4..]));   // blksize
        BinaryPrimitives.WriteUInt64LittleEndian(st[64..], BinaryPrimitives.ReadUInt64LittleEndian(x[48..]));  // blocks
        CopyTime(x[64..], st[72..]);  // atime
        CopyTime(x[112..], st[88..]); // mtime
        CopyTime(x[96..], st[104..]); // ctime
    }

    private static void CopyTime(ReadOnlySpan<byte> ts, Span<byte> dst)
    {
        BinaryPrimitives.WriteInt64LittleEndian(dst, BinaryPrimitives.ReadInt64LittleEndian(ts));
        BinaryPrimitives.WriteInt64LittleEndian(dst[8..], BinaryPrimitives.ReadUInt32LittleEndian(ts[8..]));
    }
}
