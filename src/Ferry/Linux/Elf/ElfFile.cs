using System.Buffers.Binary;
using System.Text;

namespace Ferry.Linux.Elf;

/// <summary>The headers of an ELF64 x86-64 executable, validated the way the kernel's loader checks them.</summary>
public sealed class ElfFile
{
    public const ushort TypeExec = 2, TypeDyn = 3, MachineX86_64 = 62;
    private const int HeaderSize = 64, PhentSize = 56;

    public ushort Type { get; }
    public ulong Entry { get; }
    public ulong PhOffset { get; }
    public ushort PhCount { get; }
    public IReadOnlyList<ProgramHeader> ProgramHeaders => Headers;
    // An array, and loops rather than LINQ over it, in the start-up path: generic code over Ferry's own
    // structs (List<ProgramHeader>, Enumerable.Where...) has no ReadyToRun code and is JIT-compiled at
    // every start (about 10 ms of this constructor's).
    internal ProgramHeader[] Headers { get; }
    /// <summary>The PT_INTERP path, if the program asks for an ELF interpreter.</summary>
    public string? Interpreter { get; }
    /// <summary>Whether PT_GNU_STACK asks for an executable stack (absent means executable, as Linux on x86-64).</summary>
    public bool ExecutableStack { get; }
    public long FileLength { get; }

    /// <summary>Parses and validates the headers. <paramref name="read"/> reads bytes at a file offset.</summary>
    public ElfFile(long fileLength, Func<long, int, byte[]> read)
    {
        FileLength = fileLength;
        if (fileLength < 4) throw new ElfException("not an ELF file (too short)");
        var h = read(0, (int)Math.Min(HeaderSize, fileLength));
        if (h[0] != 0x7F || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') throw new ElfException("not an ELF file");
        if (h.Length < HeaderSize) throw new ElfException("truncated ELF header");
        if (h[4] != 2) throw new ElfException("not a 64-bit ELF file (only x86-64 programs can run)");
        if (h[5] != 1) throw new ElfException("not a little-endian ELF file");
        if (h[6] != 1) throw new ElfException($"unsupported ELF version {h[6]}");
        Type = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(16));
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(18));
        if (machine != MachineX86_64) throw new ElfException($"not an x86-64 program (ELF machine {machine}{MachineName(machine)})");
        if (Type != TypeExec && Type != TypeDyn)
            throw new ElfException(Type == 1 ? "an object file, not a program" : Type == 4 ? "a core dump, not a program" : $"unsupported ELF type {Type}");
        Entry = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(24));
        PhOffset = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(32));
        ushort phent = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(54));
        PhCount = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(56));
        if (PhCount == 0) throw new ElfException("no program headers");
        if (phent != PhentSize) throw new ElfException($"bad program header size {phent}");
        if (PhCount > 65536 / PhentSize) throw new ElfException("too many program headers");
        if (PhOffset > (ulong)fileLength || PhOffset + (ulong)(PhCount * PhentSize) > (ulong)fileLength)
            throw new ElfException("truncated program headers");
        var ph = read((long)PhOffset, PhCount * PhentSize);
        var list = new ProgramHeader[PhCount];
        bool execStack = true, loadsOutOfOrder = false;
        int loadCount = 0;
        ulong lastLoad = 0;
        for (int n = 0; n < PhCount; n++)
        {
            var s = ph.AsSpan(n * PhentSize);
            var p = new ProgramHeader(
                BinaryPrimitives.ReadUInt32LittleEndian(s), BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), BinaryPrimitives.ReadUInt64LittleEndian(s[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), BinaryPrimitives.ReadUInt64LittleEndian(s[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[48..]));
            list[n] = p;
            if (p.Type == ProgramHeader.GnuStack) execStack = (p.Flags & ProgramHeader.FlagExec) != 0;
            if (p.Type == ProgramHeader.Load)
            {
                Validate(p, fileLength);
                loadsOutOfOrder |= loadCount > 0 && p.VirtualAddress < lastLoad;
                lastLoad = p.VirtualAddress;
                loadCount++;
            }
            if (p.Type == ProgramHeader.Interp)
            {
                if (p.FileSize < 2 || p.FileSize > 4096 || p.Offset + p.FileSize > (ulong)fileLength)
                    throw new ElfException("bad PT_INTERP");
                var bytes = read((long)p.Offset, (int)p.FileSize);
                if (bytes[^1] != 0) throw new ElfException("bad PT_INTERP (not NUL-terminated)");
                Interpreter = Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
            }
        }
        Headers = list;
        ExecutableStack = execStack;
        if (loadCount == 0) throw new ElfException("no loadable segments");
        if (loadsOutOfOrder) throw new ElfException("loadable segments out of order");
    }

    private static void Validate(ProgramHeader p, long fileLength)
    {
        if (p.FileSize > p.MemorySize) throw new ElfException("segment file size exceeds its memory size");
        if (p.Offset > (ulong)fileLength || p.Offset + p.FileSize > (ulong)fileLength || p.Offset + p.FileSize < p.Offset)
            throw new ElfException("truncated file: a segment lies past its end");
        if ((p.VirtualAddress & 0xFFF) != (p.Offset & 0xFFF)) throw new ElfException("segment address and offset disagree modulo the page size");
        if (p.VirtualAddress + p.MemorySize < p.VirtualAddress || p.VirtualAddress + p.MemorySize > 1UL << 47)
            throw new ElfException("segment outside the user address space");
    }

    private static string MachineName(ushort m) => m switch
    {
        3 => ", i386",
        40 => ", ARM",
        183 => ", AArch64",
        243 => ", RISC-V",
        _ => "",
    };

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    public static ElfFile Open(string path)
    {
        // A bare handle and positional reads: a FileStream's buffering strategy is more start-up work.
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new ElfFile(RandomAccess.GetLength(handle), (off, len) =>
        {
            var buf = new byte[len];
            for (int got = 0; got < len;)
            {
                int r = RandomAccess.Read(handle, buf.AsSpan(got), off + got);
                if (r == 0) throw new EndOfStreamException();
                got += r;
            }
            return buf;
        });
    }
}
