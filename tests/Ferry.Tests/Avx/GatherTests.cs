using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Memory;
using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>AVX2 gathers against the host CPU: random VSIB indices (signed dword or qword), scales,
/// displacements and per-element masks; the mask register must end zero and the unselected elements
/// keep the destination's values.</summary>
[Collection("SseNative")]
public sealed class GatherTests
{
    private readonly Differential _d;
    private readonly NativeFixture _f;
    public GatherTests(NativeFixture f) { _f = f; _d = new Differential(f); }

    public static TheoryData<string> Forms => AvxForms.Data(
        Mnemonic.Vpgatherdd, Mnemonic.Vpgatherdq, Mnemonic.Vpgatherqd, Mnemonic.Vpgatherqq,
        Mnemonic.Vgatherdps, Mnemonic.Vgatherdpd, Mnemonic.Vgatherqps, Mnemonic.Vgatherqpd);

    private static (Instruction Ins, CpuState State) Make(Code c, Random r, ulong scratch, ulong stackTop)
    {
        var op = c.ToOpCode();
        bool destY = op.GetOpKind(0) == OpCodeOperandKind.ymm_reg;
        var vk = op.GetOpKind(1);
        bool qIndex = vk is OpCodeOperandKind.mem_vsib64x or OpCodeOperandKind.mem_vsib64y;
        bool indexY = vk is OpCodeOperandKind.mem_vsib32y or OpCodeOperandKind.mem_vsib64y;
        var regs = Enumerable.Range(0, 16).OrderBy(_ => r.Next()).Take(3).ToArray();
        var dest = (destY ? Register.YMM0 : Register.XMM0) + regs[0];
        var index = (indexY ? Register.YMM0 : Register.XMM0) + regs[1];
        var mask = (op.GetOpKind(2) == OpCodeOperandKind.ymm_vvvv ? Register.YMM0 : Register.XMM0) + regs[2];
        int scale = 1 << r.Next(4);
        int disp = new[] { 0, 8, -16, 0x44, -0x7F }[r.Next(5)];
        var baseReg = new[] { Register.RSI, Register.RBX, Register.R13, Register.RBP, Register.R9 }[r.Next(5)];
        var ins = Instruction.Create(c, dest, new MemoryOperand(baseReg, index, scale, disp, 1), mask);

        var s = new CpuState();
        s.Reset();
        for (int g = 0; g < 16; g++) s.Gpr[g] = (ulong)r.NextInt64();
        s.Gpr[CpuState.Rsp] = stackTop;
        for (int x = 0; x < 16; x++) { s.Xmm(x) = SseValues.Vec(r, Lane.Bytes); s.YmmHigh(x) = SseValues.Vec(r, Lane.Bytes); }
        s.Gpr[baseReg - Register.RAX] = scratch + 8192;
        // Indices keep every address inside the scratch area; some repeat, some are negative.
        Span<byte> ix = stackalloc byte[32];
        for (int k = 0; k < (qIndex ? 4 : 8); k++)
        {
            long v = r.Next(4) == 0 ? 0 : r.Next(-1000, 1000);
            if (qIndex) BitConverter.TryWriteBytes(ix[(8 * k)..], v);
            else BitConverter.TryWriteBytes(ix[(4 * k)..], (int)v);
        }
        VexOperandsRef(ref s, regs[1]) = Vector256.Create((ReadOnlySpan<byte>)ix);
        return (ins, s);
    }

    private static ref Vector256<byte> VexOperandsRef(ref CpuState s, int n) => ref Ferry.Interpreter.VexOperands.Ymm(ref s, n);

    [Theory, MemberData(nameof(Forms))]
    public void Gather(string code)
    {
        var c = Enum.Parse<Code>(code);
        var r = new Random((int)c);
        r.NextBytes(_d.ScratchMemory);
        for (int n = 0; n < 150; n++)
        {
            var (ins, s) = Make(c, r, _d.ScratchAddress, _d.StackTop);
            _d.CheckFixed(ins, s);
        }
    }

    /// <summary>Two of destination, index and mask in the same register: #UD, nothing changed.</summary>
    [Fact]
    public void RepeatedRegisterIsUndefined()
    {
        var ins = Instruction.Create(Code.VEX_Vpgatherdd_xmm_vm32x_xmm, Register.XMM1, new MemoryOperand(Register.RSI, Register.XMM1, 4, 0, 0), Register.XMM3);
        var s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rsi] = _d.ScratchAddress;
        s.Xmm(3) = Vector128<byte>.AllBitsSet;
        var after = s;
        var e = _f.Runner.Run(ref after, Differential.Encode(ins));
        Assert.Equal(CpuExceptionKind.InvalidOpcode, e?.Kind);
        Assert.Equal(s.Xmm(3), after.Xmm(3));
        Assert.Equal(s.Xmm(1), after.Xmm(1));
    }

    /// <summary>A fault on element 2 leaves elements 0–1 gathered and their mask elements cleared; the
    /// faulting element and those after it keep their mask bits.</summary>
    [Fact]
    public void FaultKeepsPartialProgress()
    {
        var ins = Instruction.Create(Code.VEX_Vpgatherdd_xmm_vm32x_xmm, Register.XMM1, new MemoryOperand(Register.RSI, Register.XMM2, 1, 0, 0), Register.XMM3);
        var s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rsi] = _d.ScratchAddress;
        BitConverter.TryWriteBytes(_d.ScratchMemory, 0x11111111u);
        BitConverter.TryWriteBytes(_d.ScratchMemory[4..], 0x22222222u);
        // Element 2 points far outside any mapping.
        s.Xmm(2) = Vector128.Create(0, 4, int.MinValue, 8).AsByte();
        s.Xmm(3) = Vector128<byte>.AllBitsSet;
        s.Xmm(1) = Vector128.Create(0xAAAAAAAAu).AsByte();
        var after = s;
        var e = _f.Runner.Run(ref after, Differential.Encode(ins));
        Assert.Equal(CpuExceptionKind.PageFault, e?.Kind);
        Assert.Equal(Vector128.Create(0x11111111u, 0x22222222u, 0xAAAAAAAAu, 0xAAAAAAAAu), after.Xmm(1).AsUInt32());
        Assert.Equal(Vector128.Create(0u, 0u, uint.MaxValue, uint.MaxValue), after.Xmm(3).AsUInt32());
    }

    /// <summary>Masked-out elements are never accessed, even at unmapped addresses.</summary>
    [Fact]
    public void MaskedOutElementsAreNotAccessed()
    {
        var ins = Instruction.Create(Code.VEX_Vpgatherqq_ymm_vm64y_ymm, Register.YMM1, new MemoryOperand(Register.RSI, Register.YMM2, 8, 0, 0), Register.YMM3);
        var s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rsi] = _d.ScratchAddress;
        BitConverter.TryWriteBytes(_d.ScratchMemory[8..], 0x1234_5678_9ABC_DEF0UL);
        Ferry.Interpreter.VexOperands.Ymm(ref s, 2) = Vector256.Create(long.MinValue / 16, 1, long.MaxValue / 16, -1L << 40).AsByte();
        Ferry.Interpreter.VexOperands.Ymm(ref s, 3) = Vector256.Create(0L, -1L, 0L, 0x7FFF_FFFF_FFFF_FFFFL).AsByte();
        Ferry.Interpreter.VexOperands.Ymm(ref s, 1) = Vector256.Create(5UL).AsByte();
        var after = s;
        Assert.Null(_f.Runner.Run(ref after, Differential.Encode(ins)));
        Assert.Equal(Vector256.Create(5UL, 0x1234_5678_9ABC_DEF0UL, 5UL, 5UL), Ferry.Interpreter.VexOperands.Ymm(ref after, 1).AsUInt64());
        Assert.Equal(Vector256<byte>.Zero, Ferry.Interpreter.VexOperands.Ymm(ref after, 3));
    }

    /// <summary>With a 32-bit base register (0x67 prefix) the element addresses wrap at 4 GiB.</summary>
    [Fact]
    public void AddressSizePrefixWrapsAddresses()
    {
        const ulong low = 0x6F00_0000;
        var mem = _f.Runner.Memory;
        long m = mem.Map(low, 4096, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous | GuestMemory.MapFixedNoReplace, -1, 0);
        Assert.Equal((long)low, m);
        try
        {
            for (int k = 0; k < 16; k++) mem.Write32(low + 0x40 + 4 * (ulong)k, 0xA0u + (uint)k);
            var ins = Instruction.Create(Code.VEX_Vpgatherdd_xmm_vm32x_xmm, Register.XMM1, new MemoryOperand(Register.ESI, Register.XMM2, 1, 0, 0), Register.XMM3);
            var s = new CpuState();
            s.Reset();
            s.Gpr[CpuState.Rsi] = 0xFFFF_FFFF_0000_0000UL | (low + 0x40);
            s.Xmm(2) = Vector128.Create(0, 4, -4, 12).AsByte();
            s.Xmm(3) = Vector128<byte>.AllBitsSet;
            var after = s;
            Assert.Null(_f.Runner.Run(ref after, Differential.Encode(ins)));
            // Element 2 reads the dword before the table (the page is zero there).
            Assert.Equal(Vector128.Create(0xA0u, 0xA1u, 0u, 0xA3u), after.Xmm(1).AsUInt32());
        }
        finally { mem.Unmap(low, 4096); }
    }
}
