using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Reading and writing the operands of a decoded instruction: general registers with their
/// partial-register rules, memory through the checked guest memory, and immediates.</summary>
public static class Operands
{
    private static readonly sbyte[] GprIndex = new sbyte[Enum.GetValues<Register>().Length];
    private static readonly byte[] GprSize = new byte[GprIndex.Length];
    private static readonly bool[] HighByte = new bool[GprIndex.Length];

    static Operands()
    {
        Array.Fill(GprIndex, (sbyte)-1);
        foreach (var r in Enum.GetValues<Register>())
        {
            if (!r.IsGPR()) continue;
            GprIndex[(int)r] = (sbyte)(r.GetFullRegister() - Register.RAX);
            GprSize[(int)r] = (byte)r.GetSize();
        }
        foreach (var r in new[] { Register.AH, Register.CH, Register.DH, Register.BH })
        {
            HighByte[(int)r] = true;
            GprIndex[(int)r] = (sbyte)(r - Register.AH);
        }
    }

    /// <summary>The general register number (0–15) of <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(Register r) => GprIndex[(int)r];

    /// <summary>Reads a general register of any width, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GetReg(ref CpuState s, Register r)
    {
        int ix = GprIndex[(int)r];
        ulong v = s.Gpr[ix];
        if (HighByte[(int)r]) return (v >> 8) & 0xFF;
        return GprSize[(int)r] switch { 1 => v & 0xFF, 2 => v & 0xFFFF, 4 => v & 0xFFFF_FFFF, _ => v };
    }

    /// <summary>Writes a general register: 8/16-bit writes merge, 32-bit writes zero the upper half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetReg(ref CpuState s, Register r, ulong v)
    {
        int ix = GprIndex[(int)r];
        ref ulong g = ref s.Gpr[ix];
        if (HighByte[(int)r]) { g = (g & ~0xFF00UL) | ((v & 0xFF) << 8); return; }
        switch (GprSize[(int)r])
        {
            case 1: g = (g & ~0xFFUL) | (v & 0xFF); break;
            case 2: g = (g & ~0xFFFFUL) | (v & 0xFFFF); break;
            case 4: g = v & 0xFFFF_FFFF; break;
            default: g = v; break;
        }
    }

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
            if (b != Register.None) a += p.State.Gpr[GprIndex[(int)b]];
            var x = i.MemoryIndex;
            if (x != Register.None) a += p.State.Gpr[GprIndex[(int)x]] * (ulong)i.MemoryIndexScale;
            if (b.IsGPR32() || x.IsGPR32()) a &= 0xFFFF_FFFF; // 0x67 address-size prefix
        }
        return a;
    }

    /// <summary>The width in bytes of operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Size(in Instruction i, int op)
    {
        var k = i.GetOpKind(op);
        if (k == OpKind.Register) return i.GetOpRegister(op).GetSize();
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
        switch (i.GetOpKind(op))
        {
            case OpKind.Register: return GetReg(ref p.State, i.GetOpRegister(op));
            case OpKind.Memory: return p.Memory.Read(Address(p, i), size);
            default: return i.GetImmediate(op) & Flags.Mask(size);
        }
    }

    /// <summary>Writes operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Processor p, in Instruction i, int op, int size, ulong v)
    {
        if (i.GetOpKind(op) == OpKind.Register) SetReg(ref p.State, i.GetOpRegister(op), v);
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
        if (i.GetOpKind(op) == OpKind.Register) return p.State.Xmm(VecIndex(i.GetOpRegister(op)));
        return p.Memory.Read128(Address(p, i));
    }

    /// <summary>Writes a 128-bit operand: an XMM register (upper YMM half preserved, as legacy SSE does) or memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteXmm(Processor p, in Instruction i, int op, Vector128<byte> v)
    {
        if (i.GetOpKind(op) == OpKind.Register) p.State.Xmm(VecIndex(i.GetOpRegister(op))) = v;
        else p.Memory.Write128(Address(p, i), v);
    }

    /// <summary>Pushes a value of <paramref name="size"/> bytes: the store happens before RSP changes, so a fault leaves RSP intact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Push(Processor p, ulong v, int size = 8)
    {
        ulong sp = p.State.Gpr[CpuState.Rsp] - (ulong)size;
        p.Memory.Write(sp, size, v);
        p.State.Gpr[CpuState.Rsp] = sp;
    }

    /// <summary>Pops a value of <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pop(Processor p, int size = 8)
    {
        ulong sp = p.State.Gpr[CpuState.Rsp];
        ulong v = p.Memory.Read(sp, size);
        p.State.Gpr[CpuState.Rsp] = sp + (ulong)size;
        return v;
    }
}
