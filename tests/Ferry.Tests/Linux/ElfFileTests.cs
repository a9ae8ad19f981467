using Ferry.Linux.Elf;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>ELF header parsing and validation, on the shipped sample and on damaged copies of it.</summary>
public sealed class ElfFileTests
{
    private static byte[] Sample => File.ReadAllBytes(Path.Combine(Repo.Root, "samples", "hello"));

    private static ElfFile Parse(byte[] b) => new(b.Length, (off, len) => b.AsSpan((int)off, len).ToArray());

    [Fact]
    public void ParsesTheSample()
    {
        var e = Parse(Sample);
        Assert.Equal(ElfFile.TypeExec, e.Type);
        Assert.Null(e.Interpreter);
        Assert.False(e.ExecutableStack);
        Assert.Contains(e.ProgramHeaders, h => h.Type == ProgramHeader.Load && (h.Flags & ProgramHeader.FlagExec) != 0);
        Assert.InRange(e.Entry, 0x400000UL, 0x500000UL);
    }

    [Theory]
    [InlineData(0, 0x00, "not an ELF file")]
    [InlineData(4, 0x01, "not a 64-bit")]
    [InlineData(5, 0x02, "not a little-endian")]
    [InlineData(6, 0x02, "unsupported ELF version")]
    [InlineData(16, 0x04, "core dump")]
    [InlineData(18, 0x03, "not an x86-64 program (ELF machine 3, i386)")]
    [InlineData(54, 0x40, "bad program header size")]
    [InlineData(56, 0x00, "no program headers")]
    public void RejectsDamagedHeaders(int offset, byte value, string message)
    {
        var b = Sample;
        b[offset] = value;
        if (offset == 56) b[57] = 0;
        var ex = Assert.Throws<ElfException>(() => Parse(b));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void RejectsSegmentLargerInFileThanInMemory()
    {
        var b = Sample;
        var e = Parse(b);
        int ph = (int)e.PhOffset;
        // Find the first PT_LOAD and make p_filesz exceed p_memsz.
        for (int n = 0; n < e.PhCount; n++, ph += 56)
        {
            if (BitConverter.ToUInt32(b, ph) != ProgramHeader.Load) continue;
            BitConverter.GetBytes(BitConverter.ToUInt64(b, ph + 40) + 1).CopyTo(b, ph + 32);
            break;
        }
        Assert.Contains("file size exceeds", Assert.Throws<ElfException>(() => Parse(b)).Message);
    }

    [Fact]
    public void EveryTruncationIsAnElfExceptionNeverACrash()
    {
        var b = Sample;
        // Section headers trail the segments and the loader never needs them, as for the kernel.
        ulong needed = Parse(b).ProgramHeaders.Where(h => h.Type == ProgramHeader.Load).Max(h => h.Offset + h.FileSize);
        for (int len = 0; len < b.Length; len += len < 256 ? 1 : 97)
        {
            var cut = b[..len];
            var ex = Record.Exception(() => Parse(cut));
            if ((ulong)len < needed) Assert.True(ex is ElfException, $"length {len}: {ex?.GetType().Name ?? "no error"}");
            else Assert.Null(ex);
        }
    }

    [Fact]
    public void RandomCorruptionIsAnElfExceptionOrAValidFile()
    {
        var r = new Random(7);
        var b0 = Sample;
        for (int n = 0; n < 2000; n++)
        {
            var b = (byte[])b0.Clone();
            for (int k = 0; k < 4; k++) b[r.Next(0, 64 + 56 * 4)] = (byte)r.Next(256);
            var ex = Record.Exception(() => Parse(b));
            Assert.True(ex is null or ElfException, $"case {n}: {ex}");
        }
    }
}
