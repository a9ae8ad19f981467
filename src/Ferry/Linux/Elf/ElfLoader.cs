using System.Text;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Elf;

/// <summary>Maps the PT_LOAD segments of an ELF file into guest memory, as the kernel's binfmt_elf does.</summary>
public static unsafe class ElfLoader
{
    /// <summary>Where the kernel puts a PIE main program when randomisation is off (ELF_ET_DYN_BASE).</summary>
    public const ulong DynBase = 0x5555_5555_4000;

    private static int Prot(uint flags) =>
        ((flags & ProgramHeader.FlagRead) != 0 ? GuestMemory.ProtRead : 0) |
        ((flags & ProgramHeader.FlagWrite) != 0 ? GuestMemory.ProtWrite : 0) |
        ((flags & ProgramHeader.FlagExec) != 0 ? GuestMemory.ProtExec : 0);

    private static ulong PageDown(ulong v) => v & ~PageMap.PageMask;
    private static ulong PageUp(ulong v) => (v + PageMap.PageMask) & ~PageMap.PageMask;

    /// <summary>Loads <paramref name="elf"/> read from <paramref name="hostPath"/>. A position-independent
    /// file goes at <paramref name="preferredBase"/> if free, else wherever the host has room.</summary>
    public static LoadedImage Load(GuestMemory mem, string hostPath, ElfFile elf, ulong preferredBase)
    {
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(hostPath + "\0"))
            fd = LibC.OpenAt(-100, p, 0x80000 /* O_CLOEXEC */, 0);
        if (fd < 0) throw new ElfException($"cannot open: {Errno.Describe(LibC.Errno)}");
        try
        {
            // Loops over the header array, not LINQ: see ElfFile.Headers.
            var headers = elf.Headers;
            ulong lo = ulong.MaxValue, hi = 0, top = 0;
            foreach (var h in headers)
            {
                if (h.Type != ProgramHeader.Load) continue;
                if (lo == ulong.MaxValue) lo = PageDown(h.VirtualAddress);
                hi = Math.Max(hi, PageUp(h.VirtualAddress + h.MemorySize));
                top = Math.Max(top, h.VirtualAddress + h.MemorySize);
            }
            ulong bias = 0;
            if (elf.Type == ElfFile.TypeDyn)
            {
                // Reserve the whole span first so the segments land at fixed distances from each other.
                long at = mem.Map(preferredBase, hi - lo, 0, GuestMemory.MapPrivate | GuestMemory.MapAnonymous | GuestMemory.MapNoReserve, -1, 0);
                if (at < 0) throw new ElfException($"cannot reserve {hi - lo} bytes for the program: {Errno.Describe((int)-at)}");
                bias = (ulong)at - lo;
            }
            foreach (var h in headers)
                if (h.Type == ProgramHeader.Load) MapSegment(mem, fd, h, bias);
            ulong phdr = 0;
            int ptPhdr = -1;
            for (int n = 0; n < headers.Length && ptPhdr < 0; n++)
                if (headers[n].Type == ProgramHeader.Phdr) ptPhdr = n;
            if (ptPhdr >= 0) phdr = headers[ptPhdr].VirtualAddress + bias;
            else
            {
                foreach (var h in headers)
                    if (h.Type == ProgramHeader.Load && elf.PhOffset >= h.Offset && elf.PhOffset < h.Offset + h.FileSize)
                    { phdr = h.VirtualAddress + (elf.PhOffset - h.Offset) + bias; break; }
            }
            ulong end = top + bias;
            return new LoadedImage(bias, elf.Entry + bias, phdr, elf.PhCount, end, elf);
        }
        finally { LibC.Close(fd); }
    }

    private static void MapSegment(GuestMemory mem, int fd, ProgramHeader h, ulong bias)
    {
        int prot = Prot(h.Flags);
        ulong start = PageDown(h.VirtualAddress + bias);
        ulong fileEnd = h.VirtualAddress + bias + h.FileSize;
        ulong memEnd = PageUp(h.VirtualAddress + bias + h.MemorySize);
        if (h.FileSize > 0)
        {
            ulong len = PageUp(fileEnd) - start;
            long r = mem.Map(start, len, prot, GuestMemory.MapPrivate | GuestMemory.MapFixed, fd, (long)PageDown(h.Offset));
            if (r < 0) throw new ElfException($"cannot map segment at 0x{start:x}: {Errno.Describe((int)-r)}");
            // The tail of the last file page belongs to .bss and must read as zeros. The host mapping of a
            // private segment is always writable, so the loader can clear it whatever the guest protection.
            ulong tail = PageUp(fileEnd) - fileEnd;
            if (tail > 0 && h.MemorySize > h.FileSize) new Span<byte>((void*)fileEnd, (int)tail).Clear();
        }
        ulong anonStart = h.FileSize > 0 ? PageUp(fileEnd) : start;
        if (memEnd > anonStart)
        {
            long r = mem.Map(anonStart, memEnd - anonStart, prot, GuestMemory.MapPrivate | GuestMemory.MapFixed | GuestMemory.MapAnonymous, -1, 0);
            if (r < 0) throw new ElfException($"cannot map segment at 0x{anonStart:x}: {Errno.Describe((int)-r)}");
        }
    }
}
