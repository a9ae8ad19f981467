using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Reading and writing the operands of a decoded instruction: general registers with their
/// partial-register rules, memory through the checked guest memory, and immediates.</summary>
public static class Operands
{
    // Indexed by Register (Iced stores registers in a byte): the GPR number, the width, and where a high-byte
    // register (AH..BH) sits. Built from the enum's fixed layout (AL..R15L, AX..R15W, EAX..R15D, RAX..R15),
    // not from Enum.GetValues, whose generic instantiation over Iced's enum was JIT-compiled at every start.
    private static readonly sbyte[] GprIndex = new sbyte[256];
    private static readonly byte[] GprSize = new byte[256];
    private static readonly byte[] GprShift = new byte[256];
    private static readonly ulong[] GprMask = new ulong[256];

    static Operands()
    {
        for (int r = 0; r < GprIndex.Length; r++) GprIndex[r] = -1; // Array.Fill<sbyte> would be JIT-compiled at start
        for (int n = 0; n < 16; n++)
        {
            Set(Register.AX + n, n, 2);
            Set(Register.EAX + n, n, 4);
            Set(Register.RAX + n, n, 8);
        }
        // Iced's byte registers: AL..BL, then AH..BH (bits 8–15 of registers 0–3), then SPL..DIL and R8L..R15L.
        for (int n = 0; n < 4; n++) Set(Register.AL + n, n, 1);
        for (int n = 0; n < 4; n++) { Set(Register.AH + n, n, 1); GprShift[(int)(Register.AH + n)] = 8; }
        for (int n = 4; n < 8; n++) Set(Register.SPL + (n - 4), n, 1);
        for (int n = 8; n < 16; n++) Set(Register.R8L + (n - 8), n, 1);

        static void Set(Register r, int index, int size)
        {
            GprIndex[(int)r] = (sbyte)index;
            GprSize[(int)r] = (byte)size;
            GprShift[(int)r] = 0;
            GprMask[(int)r] = Flags.Mask(size);
        }
    }

    /// <summary>General register <paramref name="index"/> (0–15) of <paramref name="s"/>, without the span the
    /// inline-array indexer builds (ReadyToRun code calls MemoryMarshal.CreateSpan out of line for it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref ulong Gpr(ref CpuState s, int index) => ref Unsafe.Add(ref Unsafe.As<GprFile, ulong>(ref s.Gpr), index);

    /// <summary>The general register number (0–15) of <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(Register r) => GprIndex[(int)r];

    /// <summary>Reads a general register of any width, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GetReg(ref CpuState s, Register r)
    {
        int ix = GprIndex[(int)r];
        if (ix < 0) NotGeneral(r);
        return (Gpr(ref s, ix) >> GprShift[(int)r]) & GprMask[(int)r];
    }

    // Out of line so that the inlined accessors stay small; no decoded form passes anything else.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void NotGeneral(Register r) => throw new ArgumentOutOfRangeException(nameof(r), r, "not a general register");

    /// <summary>Writes a general register: 8/16-bit writes merge, 32-bit writes zero the upper half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetReg(ref CpuState s, Register r, ulong v)
    {
        int ix = GprIndex[(int)r];
        if (ix < 0) NotGeneral(r);
        ref ulong g = ref Gpr(ref s, ix);
        if (GprSize[(int)r] == 4) { g = (uint)v; return; }
        int shift = GprShift[(int)r];
        ulong mask = GprMask[(int)r];
        g = (g & ~(mask << shift)) | ((v & mask) << shift);
    }

    /// <summary>The kind of operand <paramref name="op"/>: with a constant <paramref name="op"/> this inlines to
    /// one field read, where Iced's GetOpKind is an out-of-line switch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpKind Kind(in Instruction i, int op) => op switch
    {
        0 => i.Op0Kind,
        1 => i.Op1Kind,
        2 => i.Op2Kind,
        _ => i.GetOpKind(op),
    };

    /// <summary>The register of operand <paramref name="op"/> (as <see cref="Kind"/>, for GetOpRegister).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Register Reg(in Instruction i, int op) => op switch
    {
        0 => i.Op0Register,
        1 => i.Op1Register,
        2 => i.Op2Register,
        _ => i.GetOpRegister(op),
    };

    /// <summary>The immediate of operand <paramref name="op"/>, sign-extended where the form extends it
    /// (as Iced's GetImmediate, without its out-of-line operand switch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Immediate(in Instruction i, int op) => Kind(i, op) switch
    {
        OpKind.Immediate8 => i.Immediate8,
        OpKind.Immediate8to32 => (ulong)i.Immediate8to32,
        OpKind.Immediate8to64 => (ulong)i.Immediate8to64,
        OpKind.Immediate32 => i.Immediate32,
        OpKind.Immediate32to64 => (ulong)i.Immediate32to64,
        OpKind.Immediate16 => i.Immediate16,
        OpKind.Immediate8to16 => (ulong)i.Immediate8to16,
        OpKind.Immediate64 => i.Immediate64,
        _ => i.GetImmediate(op),
    };

    /// <summary>The linear address of the memory operand: the effective address plus the FS/GS base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Processor p, in Instruction i)
    {
        ulong a = EffectiveAddress(p, i);
        var seg = i.SegmentPrefix;
        if (seg == Register.FS) a += p.State.FsBase;
        else if (seg == Register.GS) a += p.State.GsBase;
        return a;
    }

    /// <summary>The effective address of the memory operand, without segment base (what LEA computes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong EffectiveAddress(Processor p, in Instruction i)
    {
        ulong a;
        var b = i.MemoryBase;
        if (b == Register.RIP || b == Register.EIP) a = i.MemoryDisplacement64;
        else
        {
            a = i.MemoryDisplacement64;
            if (b != Register.None) a += Gpr(ref p.State, GprIndex[(int)b]);
            var x = i.MemoryIndex;
            if (x != Register.None) a += Gpr(ref p.State, GprIndex[(int)x]) << ScaleShift(i);
            if (b.IsGPR32() || x.IsGPR32()) a &= 0xFFFF_FFFF; // 0x67 address-size prefix
        }
        return a;
    }

    // MemoryIndexScale is 1, 2, 4 or 8; its log2 without a multiply.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScaleShift(in Instruction i) => System.Numerics.BitOperations.TrailingZeroCount(i.MemoryIndexScale);

    /// <summary>The width in bytes of operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Size(in Instruction i, int op)
    {
        var k = Kind(i, op);
        if (k == OpKind.Register) return Reg(i, op) is var r && GprSize[(int)r] is var g && g != 0 ? g : r.GetSize();
        if (k == OpKind.Memory) return i.MemorySize.GetSize();
        return k switch
        {
            OpKind.Immediate8 => 1,
            OpKind.Immediate16 or OpKind.Immediate8to16 => 2,
            OpKind.Immediate32 or OpKind.Immediate8to32 => 4,
            _ => 8,
        };
    }

    /// <summary>Reads operand <paramref name="op"/> (register, memory or immediate) of <paramref name="size"/> bytes, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Processor p, in Instruction i, int op, int size)
    {
        switch (Kind(i, op))
        {
            case OpKind.Register: return GetReg(ref p.State, Reg(i, op));
            case OpKind.Memory: return p.Memory.Read(Address(p, i), size);
            default: return Immediate(i, op) & Flags.Mask(size);
        }
    }

    /// <summary>Writes operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Processor p, in Instruction i, int op, int size, ulong v)
    {
        if (Kind(i, op) == OpKind.Register) SetReg(ref p.State, Reg(i, op), v);
        else p.Memory.Write(Address(p, i), size, v);
    }

    /// <summary>Sign-extends the low <paramref name="size"/> bytes of <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignExtend(ulong v, int size) => size switch
    {
        1 => (ulong)(long)(sbyte)v,
        2 => (ulong)(long)(short)v,
        4 => (ulong)(long)(int)v,
        _ => v,
    };

    /// <summary>The XMM register number (0–15) of an XMM or YMM register operand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VecIndex(Register r) => r >= Register.YMM0 && r <= Register.YMM31 ? r - Register.YMM0 : r - Register.XMM0;

    /// <summary>Reads a 128-bit operand: an XMM register or 16 bytes of memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ReadXmm(Processor p, in Instruction i, int op)
    {
        if (Kind(i, op) == OpKind.Register) return p.State.Xmm(VecIndex(Reg(i, op)));
        return p.Memory.Read128(Address(p, i));
    }

    /// <summary>Writes a 128-bit operand: an XMM register (upper YMM half preserved, as legacy SSE does) or memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteXmm(Processor p, in Instruction i, int op, Vector128<byte> v)
    {
        if (Kind(i, op) == OpKind.Register) p.State.Xmm(VecIndex(Reg(i, op))) = v;
        else p.Memory.Write128(Address(p, i), v);
    }

    /// <summary>Pushes a value of <paramref name="size"/> bytes: the store happens before RSP changes, so a fault leaves RSP intact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Push(Processor p, ulong v, int size = 8)
    {
        ref ulong rsp = ref Gpr(ref p.State, CpuState.Rsp);
        ulong sp = rsp - (ulong)size;
        p.Memory.Write(sp, size, v);
        rsp = sp;
    }

    /// <summary>Pops a value of <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pop(Processor p, int size = 8)
    {
        ref ulong rsp = ref Gpr(ref p.State, CpuState.Rsp);
        ulong sp = rsp;
        ulong v = p.Memory.Read(sp, size);
        rsp = sp + (ulong)size;
        return v;
    }
}
