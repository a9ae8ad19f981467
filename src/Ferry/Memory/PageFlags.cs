namespace Ferry.Memory;

/// <summary>What the guest may do with one 4 KiB page, plus bookkeeping bits.</summary>
[Flags]
public enum PageFlags : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
    /// <summary>The page belongs to the guest (it may be PROT_NONE).</summary>
    Mapped = 8,
    /// <summary>Decoded guest code lives on this page; a store must invalidate it.</summary>
    Code = 16,
    /// <summary>Part of a MAP_SHARED mapping: the host protection must follow the guest's.</summary>
    Shared = 32,
    /// <summary>Part of a file mapping past the end of the file: any access raises SIGBUS.</summary>
    Bus = 64,
}
