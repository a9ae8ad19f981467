namespace Ferry.Linux.Elf;

/// <summary>The file is not a loadable x86-64 ELF program; the message says why in one line.</summary>
public sealed class ElfException : Exception
{
    public ElfException(string message) : base(message) { }
}
