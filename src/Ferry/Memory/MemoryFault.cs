namespace Ferry.Memory;

/// <summary>A guest access that the page map refused: becomes SIGSEGV in the guest.</summary>
public sealed class MemoryFault : Exception
{
    /// <summary>The first address that was not accessible.</summary>
    public ulong Address { get; }
    /// <summary>True when the page exists but forbids the access (SEGV_ACCERR), false when unmapped (SEGV_MAPERR).</summary>
    public bool Protection { get; }
    /// <summary>True for a store.</summary>
    public bool IsWrite { get; }
    /// <summary>True for a file-mapping page past the end of its file: SIGBUS (BUS_ADRERR) rather than SIGSEGV.</summary>
    public bool PastEndOfFile { get; }

    public MemoryFault(ulong address, bool protection, bool isWrite, bool pastEndOfFile = false)
        : base($"guest {(isWrite ? "write" : "read")} fault at 0x{address:x}")
    {
        Address = address; Protection = protection; IsWrite = isWrite; PastEndOfFile = pastEndOfFile;
    }
}
