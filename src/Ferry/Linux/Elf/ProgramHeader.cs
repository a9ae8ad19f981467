namespace Ferry.Linux.Elf;

/// <summary>One ELF64 program header.</summary>
public readonly record struct ProgramHeader(uint Type, uint Flags, ulong Offset, ulong VirtualAddress,
    ulong FileSize, ulong MemorySize, ulong Align)
{
    public const uint Load = 1, Dynamic = 2, Interp = 3, Phdr = 6, Tls = 7, GnuStack = 0x6474e551;
    public const uint FlagExec = 1, FlagWrite = 2, FlagRead = 4;
}
