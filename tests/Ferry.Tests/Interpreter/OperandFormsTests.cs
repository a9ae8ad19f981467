using Ferry.Cpu;
using Ferry.Interpreter;
using Ferry.Memory;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Interpreter;

/// <summary>The handlers specialized per operand form must do exactly what their family's general handler
/// does: same registers, flags, RIP and memory, on random states (the differential tester checks both against
/// the host CPU; this pins the specialized ones to the reference directly, form by form).</summary>
public sealed unsafe class OperandFormsTests : IDisposable
{
    private readonly GuestMemory _memory = new();
    private readonly ulong _page;

    public OperandFormsTests()
    {
        long a = _memory.Map(0, 4096, GuestMemory.ProtRead | GuestMemory.ProtWrite, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.True(a > 0);
        _page = (ulong)a;
    }

    public void Dispose() => _memory.Dispose();

    // RIP-relative operands decode with IP = the page, so [rip+0x100] lies inside it.
    public static TheoryData<string> Forms() =>
    [
        "4889d8", "89d8", "488b0500010000", "8b0500010000", "48890500010000", "890500010000",
        "48c7c0ffffff80", "48b8efcdab8967452301", "b878563412", "48c70500010000ffffff80", "c70500010000ffffff7f",
        "4801d8", "01d8", "48030500010000", "48010500010000", "4883c0ff", "83c07f", "48050000ff7f",
        "48810500010000ffffff80", "4d01c8", "4829d8", "29d8", "482b0500010000", "4883e805",
        "4839d8", "39d8", "483b0500010000", "48390500010000", "4883f805", "833d0001000080",
        "4821d8", "4809d8", "4831d8", "31c0", "4531c0", "4883e0f0", "48330500010000", "48090500010000",
        "4885d8", "85c0", "48a9ffff0080", "48f7c300ff00ff", "48850500010000",
        "0fb6c3", "0fb6c7", "480fb6c3", "0fb7c3", "0fb60500010000", "0fb70500010000", "440fb6c7",
        "480fbec3", "0fbec3", "4863c3", "480fbf0500010000", "48630500010000", "0fbe0500010000", "0fbfc7",
        "488d045b", "8d045b", "67488d045b", "488d0500010000", "4c8d4c9810",
        "88d8", "8a0500010000", "880500010000", "b07f", "c60500010000ff", "3c05", "803d0001000000", "84c0",
        "4084f6", "4488c8", "00d8", "2c01", "30c0", "080500010000", "f6050001000080", "4180f820", "40887c2410",
        "53", "54", "5b", "5c", "4150", "4159",
        "48c1e005", "c1e81f", "48d3f8", "48d1e0", "d3e0", "49c1f83f", "c1e000", "d3e8",
        "7410", "7510", "7210", "7310", "7610", "7710", "7810", "7910", "7a10", "7b10", "7c10", "7d10", "7e10", "7f10",
        "7010", "7110", "0f8c00010000",
    ];

    [Theory]
    [MemberData(nameof(Forms))]
    public void SpecializedFormMatchesTheGeneralHandler(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes));
        decoder.IP = _page;
        decoder.Decode(out var i);
        Assert.Equal(bytes.Length, i.Length);
        nint fast = HandlerTable.ForInstruction(i), general = HandlerTable.ForDecoded(i.Code);
        Assert.NotEqual(general, fast);
        Assert.NotEqual(HandlerTable.Undefined, general);

        var rng = new Random(hex.GetHashCode(StringComparison.Ordinal) ^ 6);
        var init = new byte[4096];
        for (int n = 0; n < 200; n++)
        {
            rng.NextBytes(init);
            var s = new CpuState();
            s.Reset();
            for (int r = 0; r < 16; r++) s.Gpr[r] = Edge(rng);
            // Stack and base registers point into the page, so PUSH/POP and [rbx+...] stay on it.
            s.Gpr[CpuState.Rsp] = _page + 0x800 + (ulong)rng.Next(0, 64) * 8;
            s.Gpr[CpuState.Rbx] = (ulong)rng.Next(0, 256);
            s.Rflags = Flags.Reserved1 | Flags.IF | ((ulong)rng.NextInt64() & Flags.Status);
            var (gs, gm) = RunOne(general, i, s, init);
            var (fs, fm) = RunOne(fast, i, s, init);
            for (int r = 0; r < 16; r++) Assert.True(gs.Gpr[r] == fs.Gpr[r], $"{i}: register {r}: general 0x{gs.Gpr[r]:x}, specialized 0x{fs.Gpr[r]:x}");
            Assert.True(gs.Rflags == fs.Rflags, $"{i}: flags general 0x{gs.Rflags:x}, specialized 0x{fs.Rflags:x}");
            Assert.True(gs.Rip == fs.Rip, $"{i}: rip");
            Assert.True(gm.AsSpan().SequenceEqual(fm), $"{i}: memory differs");
        }
    }

    private static ulong Edge(Random rng) => rng.Next(8) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => 0x8000_0000_0000_0000,
        3 => 0x7FFF_FFFF,
        4 => 0x8000_0000,
        5 => (ulong)rng.Next(0, 70),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63),
    };

    private (CpuState, byte[]) RunOne(nint handler, in Instruction i, CpuState s, byte[] init)
    {
        _memory.WriteBytes(_page, init);
        var p = new Processor(_memory) { State = s };
        p.State.Rip = i.NextIP;
        ((delegate*<Processor, in Instruction, void>)handler)(p, in i);
        var m = new byte[4096];
        _memory.ReadBytes(_page, m);
        return (p.State, m);
    }
}
