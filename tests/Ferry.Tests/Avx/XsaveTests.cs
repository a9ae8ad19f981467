using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Ferry.Cpu;
using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>XGETBV, XSAVE, XSAVEOPT, XSAVEC and XRSTOR (standard and compacted) for the x87, SSE and AVX
/// components against the host CPU. The requested-feature bitmap stays within x87|SSE|AVX so that the
/// host (whose XCR0 has more components) touches the same state.</summary>
[Collection("SseNative")]
public sealed class XsaveTests
{
    private readonly Differential _d;
    private readonly NativeFixture _f;
    public XsaveTests(NativeFixture f) { _f = f; _d = new Differential(f); }

    private const int Area = 0x1000; // offset of the 64-byte aligned XSAVE area in scratch

    private CpuState RandomState(Random r)
    {
        var s = new CpuState();
        s.Reset();
        for (int g = 0; g < 16; g++) s.Gpr[g] = (ulong)r.NextInt64();
        s.Gpr[CpuState.Rsp] = _d.StackTop;
        s.Gpr[CpuState.Rdi] = _d.ScratchAddress + Area;
        s.Gpr[CpuState.Rax] = ((ulong)r.NextInt64() << 32) | (uint)r.Next(8);
        s.Gpr[CpuState.Rdx] = 0;
        s.Mxcsr = 0x1F80u | ((uint)r.Next(0x10000) & 0xE07Fu);
        for (int x = 0; x < 16; x++) { s.Xmm(x) = SseValues.Vec(r, Lane.F64); s.YmmHigh(x) = SseValues.Vec(r, Lane.Bytes); }
        for (int m = 0; m < 8; m++) s.Fpr[m] = new Float80((ulong)r.NextInt64(), (ushort)r.Next(0x10000));
        s.FpTop = (byte)r.Next(8);
        s.FpEmpty = (byte)r.Next(256);
        // x87 exceptions stay masked (the oracle returns to .NET with this state loaded), so ES and B are clear.
        s.Fsw = (ushort)(r.Next(0x10000) & ~0x3800 & ~0x8080);
        s.Fcw = (ushort)(0x007F | (r.Next(0x10000) & 0x1F00));
        return s;
    }

    public static TheoryData<string> SaveForms => new()
    {
        nameof(Code.Xsave_mem), nameof(Code.Xsave64_mem), nameof(Code.Xsaveopt_mem), nameof(Code.Xsaveopt64_mem),
        nameof(Code.Xsavec_mem), nameof(Code.Xsavec64_mem),
    };

    [Theory, MemberData(nameof(SaveForms))]
    public void SaveMatchesHost(string code)
    {
        var c = Enum.Parse<Code>(code);
        var r = new Random((int)c);
        var ins = Instruction.Create(c, new MemoryOperand(Register.RDI));
        for (int n = 0; n < 150; n++)
        {
            r.NextBytes(_d.ScratchMemory);
            var s = RandomState(r);
            _d.CheckFixed(ins, s, MxcsrMaskBytes);
        }
    }

    // MXCSR_MASK: the emulated CPU reports its own supported bits (0xFFFF), the AMD host also MM (bit 17).
    private static readonly (int, int) MxcsrMaskBytes = (Area + 28, 4);

    public static TheoryData<string> RestoreForms => new() { nameof(Code.Xrstor_mem), nameof(Code.Xrstor64_mem) };

    /// <summary>XRSTOR from valid standard and compacted images with random XSTATE_BV: present components
    /// are loaded, absent ones initialised, MXCSR as the layout dictates.</summary>
    [Theory, MemberData(nameof(RestoreForms))]
    public void RestoreMatchesHost(string code)
    {
        var c = Enum.Parse<Code>(code);
        var r = new Random((int)c);
        var ins = Instruction.Create(c, new MemoryOperand(Register.RDI));
        for (int n = 0; n < 200; n++)
        {
            r.NextBytes(_d.ScratchMemory);
            var s = RandomState(r);
            var area = _d.ScratchMemory.Slice(Area, 1024);
            BinaryPrimitives.WriteUInt32LittleEndian(area[24..], 0x1F80u | ((uint)r.Next(0x10000) & 0xE07Fu));
            BinaryPrimitives.WriteUInt16LittleEndian(area[6..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(area[6..]) & 0x7FF));
            BinaryPrimitives.WriteUInt16LittleEndian(area, (ushort)(0x007F | (r.Next(0x10000) & 0x1F00)));
            BinaryPrimitives.WriteUInt16LittleEndian(area[2..], (ushort)(r.Next(0x10000) & ~0x8080));
            area.Slice(512, 64).Clear();
            ulong bv = (ulong)r.Next(8);
            BinaryPrimitives.WriteUInt64LittleEndian(area[512..], bv);
            if (r.Next(2) == 0) BinaryPrimitives.WriteUInt64LittleEndian(area[520..], (1UL << 63) | bv | (uint)r.Next(8));
            _d.CheckFixed(ins, s, MxcsrMaskBytes);
        }
    }

    /// <summary>Components in their initial configuration (XINUSE = 0): XSAVE writes them but clears their
    /// XSTATE_BV bits; XSAVEC leaves their region untouched. (The host's XINUSE after the oracle loads a
    /// register file is its own business, so this is checked against the SDM, not the host.)</summary>
    [Fact]
    public void InitialComponentsAreNotInUse()
    {
        var s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rax] = 7;
        s.Gpr[CpuState.Rdi] = _d.ScratchAddress + Area;
        s.YmmHigh(5) = Vector128.Create((byte)9);
        var area = _d.ScratchMemory.Slice(Area, 1024);

        area.Fill(0xCC);
        var a = s;
        Assert.Null(_f.Runner.Run(ref a, Differential.Encode(Instruction.Create(Code.Xsavec64_mem, new MemoryOperand(Register.RDI)))));
        Assert.Equal(4UL, BinaryPrimitives.ReadUInt64LittleEndian(area[512..]));
        Assert.Equal((1UL << 63) | 7, BinaryPrimitives.ReadUInt64LittleEndian(area[520..]));
        Assert.Equal(0xCC, area[528]);   // the rest of the header untouched
        Assert.Equal(0xCC, area[0]);     // x87 not written
        Assert.Equal(0xCC, area[160]);   // XMM not written
        Assert.Equal(9, area[576 + 5 * 16]);

        area.Fill(0xCC);
        var b = s;
        Assert.Null(_f.Runner.Run(ref b, Differential.Encode(Instruction.Create(Code.Xsave64_mem, new MemoryOperand(Register.RDI)))));
        Assert.Equal(0xCCCCCCCC_CCCCCCC8UL | 4, BinaryPrimitives.ReadUInt64LittleEndian(area[512..]));
        Assert.Equal(0x7F, area[0]);
        Assert.Equal(0, area[160]);
    }

    /// <summary>Ferry's XCR0 and CPUID leaf 0xD describe the layout the host uses for the same components.</summary>
    [Fact]
    public void XcrAndLeafDAgreeWithHost()
    {
        var model = new CpuidModel(CpuFeature.V3);
        Assert.Equal(7UL, model.Xcr0);
        var (eax, ebx, ecx, _) = model.Query(0xD, 0);
        Assert.Equal(7u, eax);
        Assert.Equal(832u, ebx);
        Assert.Equal(832u, ecx);
        var host2 = X86Base.CpuId(0xD, 2);
        Assert.Equal(((uint)host2.Eax, (uint)host2.Ebx), (model.Query(0xD, 2).Eax, model.Query(0xD, 2).Ebx));
        var (sub1, _, _, _) = model.Query(0xD, 1);
        var hostSub1 = (uint)X86Base.CpuId(0xD, 1).Eax;
        Assert.Equal(sub1, sub1 & hostSub1); // Ferry claims only what the host also has
        Assert.Equal(0x7u, sub1 & 0x7u);     // XSAVEOPT, XSAVEC, XGETBV with ECX=1
    }

    /// <summary>XGETBV: ECX=0 gives XCR0 (a subset of the host's), ECX=1 the in-use components,
    /// other ECX values #GP; without XSAVE in CPUID it is #UD.</summary>
    [Fact]
    public void Xgetbv()
    {
        var code = Differential.Encode(Instruction.Create(Code.Xgetbv));
        var s = new CpuState();
        s.Reset();
        var a = s;
        Assert.Null(_f.Runner.Run(ref a, code));
        Assert.Equal(7UL, a.Gpr[CpuState.Rax]);
        Assert.Equal(0UL, a.Gpr[CpuState.Rdx]);
        var native = s;
        native.Gpr[CpuState.Rsp] = _d.StackTop;
        _f.Native.Run(ref native, code);
        Assert.Equal(7UL, native.Gpr[CpuState.Rax] & 7);

        var b = s;
        b.Gpr[CpuState.Rcx] = 1;
        b.YmmHigh(3) = Vector128.Create((byte)1);
        Assert.Null(_f.Runner.Run(ref b, code));
        Assert.Equal(4UL, b.Gpr[CpuState.Rax]);

        var g = s;
        g.Gpr[CpuState.Rcx] = 2;
        Assert.Equal(CpuExceptionKind.GeneralProtection, _f.Runner.Run(ref g, code)?.Kind);
    }

    /// <summary>XSETBV is privileged: #GP in user mode.</summary>
    [Fact]
    public void XsetbvIsPrivileged()
    {
        var s = new CpuState();
        s.Reset();
        Assert.Equal(CpuExceptionKind.GeneralProtection, _f.Runner.Run(ref s, Differential.Encode(Instruction.Create(Code.Xsetbv)))?.Kind);
    }

    /// <summary>A misaligned XSAVE area and reserved header bits are #GP.</summary>
    [Fact]
    public void BadAreaFaults()
    {
        var s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rax] = 7;
        s.Gpr[CpuState.Rdi] = _d.ScratchAddress + Area + 16;
        var x = s;
        Assert.Equal(CpuExceptionKind.GeneralProtection, _f.Runner.Run(ref x, Differential.Encode(Instruction.Create(Code.Xsave64_mem, new MemoryOperand(Register.RDI))))?.Kind);
        _d.ScratchMemory.Slice(Area, 1024).Clear();
        _d.ScratchMemory[Area + 512] = 0x08; // XSTATE_BV names a component outside XCR0
        var y = s;
        y.Gpr[CpuState.Rdi] = _d.ScratchAddress + Area;
        var before = y;
        Assert.Equal(CpuExceptionKind.GeneralProtection, _f.Runner.Run(ref y, Differential.Encode(Instruction.Create(Code.Xrstor64_mem, new MemoryOperand(Register.RDI))))?.Kind);
        Assert.Equal(before.Mxcsr, y.Mxcsr);
    }
}
