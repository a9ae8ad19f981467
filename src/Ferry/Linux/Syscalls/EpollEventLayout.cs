using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ferry.Linux.Syscalls;

/// <summary>Converts <c>struct epoll_event</c> between the guest's x86-64 layout (packed: events at 0, data
/// at 4, 12 bytes) and a host's (the same on x86-64; naturally aligned on ARM64 and the others: data at 8,
/// 16 bytes). The host layout is a parameter so that tests check the ARM64 one on any machine.</summary>
internal readonly record struct EpollEventLayout(int Size, int DataOffset)
{
    public const int GuestSize = 12;

    public static readonly EpollEventLayout X64 = new(12, 4), Aligned = new(16, 8);

    /// <summary>The layout of the host this process runs on.</summary>
    public static readonly EpollEventLayout Host = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? X64 : Aligned;

    public void ToHost(uint events, ulong data, Span<byte> host)
    {
        host[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(host, events);
        BinaryPrimitives.WriteUInt64LittleEndian(host[DataOffset..], data);
    }

    public (uint Events, ulong Data) FromHost(ReadOnlySpan<byte> host) =>
        (BinaryPrimitives.ReadUInt32LittleEndian(host), BinaryPrimitives.ReadUInt64LittleEndian(host[DataOffset..]));
}
