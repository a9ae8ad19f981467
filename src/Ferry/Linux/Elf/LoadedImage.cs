namespace Ferry.Linux.Elf;

/// <summary>Where an ELF file landed in guest memory.</summary>
public sealed record LoadedImage(ulong Bias, ulong Entry, ulong PhdrAddress, int PhCount, ulong End, ElfFile File);
