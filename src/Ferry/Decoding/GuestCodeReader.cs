using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Decoding;

/// <summary>Feeds Iced guest bytes from executable pages only; a non-executable page reads as the end of input.</summary>
internal sealed class GuestCodeReader : CodeReader
{
    private readonly GuestMemory _memory;
    private ulong _ip;

    public GuestCodeReader(GuestMemory memory, ulong ip) { _memory = memory; _ip = ip; }

    /// <summary>The address of the next byte to read.</summary>
    public ulong Position => _ip;

    public override int ReadByte()
    {
        if (!_memory.CanExecute(_ip)) return -1;
        return _memory.FetchByte(_ip++);
    }
}
