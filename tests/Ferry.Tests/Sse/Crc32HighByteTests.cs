using Ferry.Tests.Oracle;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Sse;

/// <summary>CRC32 from the legacy high-byte registers (AH, BH, CH, DH), which the form generator never
/// picks because they cannot be encoded next to a REX prefix, and a chain of CRC32s of every width.</summary>
public sealed class Crc32HighByteTests : IClassFixture<Crc32HighByteTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public DifferentialHarness H { get; } = new();
        public void Dispose() => H.Dispose();
    }

    private readonly DifferentialHarness _h;
    public Crc32HighByteTests(Fixture f) => _h = f.H;

    public static TheoryData<string> Cases => new() { "eax,ah", "ecx,bh", "edx,ch", "ebx,dh", "esi,ah", "chain" };

    private static byte[] Code(string name) => DifferentialHarness.Assemble(a =>
    {
        switch (name)
        {
            case "eax,ah": a.crc32(eax, ah); break;
            case "ecx,bh": a.crc32(ecx, bh); break;
            case "edx,ch": a.crc32(edx, ch); break;
            case "ebx,dh": a.crc32(ebx, dh); break;
            case "esi,ah": a.crc32(esi, ah); break;
            default:
                a.crc32(eax, __byte_ptr[r15 + 3]);
                a.crc32(eax, __word_ptr[r15 + 0x11]);
                a.crc32(eax, __dword_ptr[r15 - 0x21]);
                a.crc32(rax, __qword_ptr[r15 + 0x40]);
                a.crc32(rax, cl);
                a.crc32(rax, rdx);
                break;
        }
    });

    [Theory, MemberData(nameof(Cases))]
    public void MatchesHostCpu(string name)
    {
        var code = Code(name);
        var r = new Random(Array.IndexOf(["eax,ah", "ecx,bh", "edx,ch", "ebx,dh", "esi,ah", "chain"], name) * 7919 + 0xC3C);
        for (int n = 0; n < 300; n++)
        {
            var diff = _h.Compare(code, _h.RandomState(r));
            Assert.True(diff == null, $"crc32 {name}: {diff}");
        }
    }
}
