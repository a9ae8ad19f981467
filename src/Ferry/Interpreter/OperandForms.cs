using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Handlers specialized per operand form (register/register, register/memory, register/immediate;
/// 8-, 32- or 64-bit) for the integer instructions that dominate real programs: MOV, MOVZX/MOVSX(D), LEA,
/// ADD/SUB/CMP/AND/OR/XOR/TEST, SHL/SHR/SAR (in <see cref="Shifts"/>), PUSH/POP and Jcc. <see cref="Select"/> picks one at decode time, so an
/// execution neither asks Iced for operand kinds and sizes nor goes through the generic operand helpers.
/// The semantics (flag rules, partial-register rules, address computation) are the shared ones of
/// <see cref="Flags"/> and <see cref="Operands"/>; a form this class does not cover keeps its family's
/// general handler, which stays the reference.</summary>
internal static unsafe class OperandForms
{
    /// <summary>The specialized handler of <paramref name="i"/>, or 0 when its family's general one applies.</summary>
    public static nint Select(in Instruction i)
    {
        // LOCK, REP and segment overrides other than FS/GS are the general handlers' business (atomic
        // read-modify-write, #UD for a misplaced LOCK).
        if (i.HasLockPrefix || i.HasRepPrefix || i.HasRepnePrefix) return 0;
        switch (i.Mnemonic)
        {
            case Mnemonic.Mov: return Binary<MovOp>(i);
            case Mnemonic.Add: return Binary<AddOp>(i);
            case Mnemonic.Sub: return Binary<SubOp>(i);
            case Mnemonic.Cmp: return Binary<CmpOp>(i);
            case Mnemonic.And: return Binary<AndOp>(i);
            case Mnemonic.Or: return Binary<OrOp>(i);
            case Mnemonic.Xor: return Binary<XorOp>(i);
            case Mnemonic.Test: return Binary<TestOp>(i);
            case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar: return Shifts.RegisterForm(i);
            case Mnemonic.Movzx: return Extend(i, signed: false);
            case Mnemonic.Movsx: case Mnemonic.Movsxd: return Extend(i, signed: true);
            case Mnemonic.Lea:
                if (i.Op1Kind != OpKind.Memory) return 0;
                if (i.Op0Register.IsGPR64()) return (nint)(delegate*<Processor, in Instruction, void>)&Lea64;
                if (i.Op0Register.IsGPR32()) return (nint)(delegate*<Processor, in Instruction, void>)&Lea32;
                return 0;
            case Mnemonic.Push:
                return i.Op0Kind == OpKind.Register && i.Op0Register.IsGPR64() ? (nint)(delegate*<Processor, in Instruction, void>)&PushR64 : 0;
            case Mnemonic.Pop:
                return i.Op0Kind == OpKind.Register && i.Op0Register.IsGPR64() ? (nint)(delegate*<Processor, in Instruction, void>)&PopR64 : 0;
            default:
                if (i.FlowControl == FlowControl.ConditionalBranch && i.Mnemonic is >= Mnemonic.Ja and <= Mnemonic.Js
                    && i.ConditionCode != ConditionCode.None && i.Op0Kind is OpKind.NearBranch64)
                    return JccOf(i.ConditionCode);
                return 0;
        }
    }

    // 8, 4 or 1 for a 64-bit, 32-bit or low-byte general register, else 0 (AH..BH and 16-bit registers are
    // left to the general handlers).
    private static int GprSize(Register r) =>
        r.IsGPR64() ? 8 : r.IsGPR32() ? 4 : r.IsGPR8() && r is not (>= Register.AH and <= Register.BH) ? 1 : 0;

    private static nint Pick<TOp>(int size, nint q, nint d, nint b) => size switch { 8 => q, 4 => d, _ => b };

    private static bool IsImmediate(OpKind k) =>
        k is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64 or OpKind.Immediate8to16
            or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;

    private static nint Binary<TOp>(in Instruction i) where TOp : struct, IBinaryOp
    {
        if (i.OpCount != 2) return 0;
        OpKind k0 = i.Op0Kind, k1 = i.Op1Kind;
        if (k0 == OpKind.Register)
        {
            int size = GprSize(i.Op0Register);
            if (size == 0) return 0;
            if (k1 == OpKind.Register)
            {
                if (GprSize(i.Op1Register) != size) return 0;
                return Pick<TOp>(size, (nint)(delegate*<Processor, in Instruction, void>)&RR<TOp, S8>, (nint)(delegate*<Processor, in Instruction, void>)&RR<TOp, S4>, (nint)(delegate*<Processor, in Instruction, void>)&RR<TOp, S1>);
            }
            if (k1 == OpKind.Memory)
            {
                if (i.MemorySize.GetSize() != size) return 0;
                return Pick<TOp>(size, (nint)(delegate*<Processor, in Instruction, void>)&RM<TOp, S8>, (nint)(delegate*<Processor, in Instruction, void>)&RM<TOp, S4>, (nint)(delegate*<Processor, in Instruction, void>)&RM<TOp, S1>);
            }
            if (IsImmediate(k1))
                return Pick<TOp>(size, (nint)(delegate*<Processor, in Instruction, void>)&RI<TOp, S8>, (nint)(delegate*<Processor, in Instruction, void>)&RI<TOp, S4>, (nint)(delegate*<Processor, in Instruction, void>)&RI<TOp, S1>);
            return 0;
        }
        if (k0 == OpKind.Memory)
        {
            int size = i.MemorySize.GetSize();
            if (size != 8 && size != 4 && size != 1) return 0;
            if (k1 == OpKind.Register)
            {
                if (GprSize(i.Op1Register) != size) return 0;
                return Pick<TOp>(size, (nint)(delegate*<Processor, in Instruction, void>)&MR<TOp, S8>, (nint)(delegate*<Processor, in Instruction, void>)&MR<TOp, S4>, (nint)(delegate*<Processor, in Instruction, void>)&MR<TOp, S1>);
            }
            if (IsImmediate(k1))
                return Pick<TOp>(size, (nint)(delegate*<Processor, in Instruction, void>)&MI<TOp, S8>, (nint)(delegate*<Processor, in Instruction, void>)&MI<TOp, S4>, (nint)(delegate*<Processor, in Instruction, void>)&MI<TOp, S1>);
        }
        return 0;
    }

    private static nint Extend(in Instruction i, bool signed)
    {
        if (i.Op0Kind != OpKind.Register) return 0;
        int to = GprSize(i.Op0Register);
        if (to == 0) return 0;
        int from;
        if (i.Op1Kind == OpKind.Memory) from = i.MemorySize.GetSize();
        else if (i.Op1Kind == OpKind.Register && i.Op1Register.IsGPR()) from = i.Op1Register.GetSize();
        else return 0;
        // MOVSXD r32 and MOVZX/MOVSX of a same-sized source are rare and odd: the general handlers.
        if (from >= to || from > 4) return 0;
        bool mem = i.Op1Kind == OpKind.Memory;
        return (signed, to, mem) switch
        {
            (false, _, false) => (nint)(delegate*<Processor, in Instruction, void>)&MovzxR,
            (false, _, true) => from == 1 ? (nint)(delegate*<Processor, in Instruction, void>)&MovzxM8 : (nint)(delegate*<Processor, in Instruction, void>)&MovzxM16,
            (true, 8, false) => (nint)(delegate*<Processor, in Instruction, void>)&MovsxR64,
            (true, 8, true) => (nint)(delegate*<Processor, in Instruction, void>)&MovsxM64,
            (true, _, false) => (nint)(delegate*<Processor, in Instruction, void>)&MovsxR32,
            (true, _, true) => (nint)(delegate*<Processor, in Instruction, void>)&MovsxM32,
        };
    }

    // ---- register access by operand size ----

    private interface ISize
    {
        static abstract int Bytes { get; }
        /// <summary>The register number (0–15) of a register of this width (for bytes, a low-byte one).</summary>
        static abstract int Number(Register r);
    }

    private struct S8 : ISize
    {
        public static int Bytes => 8;
        public static int Number(Register r) => (r - Register.RAX) & 15;
    }

    private struct S4 : ISize
    {
        public static int Bytes => 4;
        public static int Number(Register r) => (r - Register.EAX) & 15;
    }

    // Iced's byte registers run AL..BL, AH..BH, SPL..DIL, R8L..R15L; AH..BH never get here.
    private struct S1 : ISize
    {
        public static int Bytes => 1;
        public static int Number(Register r) => (r < Register.AH ? r - Register.AL : r - Register.SPL + 4) & 15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref ulong Reg<TSize>(Processor p, Register r) where TSize : struct, ISize =>
        ref Operands.Gpr(ref p.State, TSize.Number(r));

    // A result (already masked to the size) into its register: a 32-bit write zero-extends, a byte write merges.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TSize>(ref ulong d, ulong r) where TSize : struct, ISize
    {
        if (TSize.Bytes == 1) d = (d & ~0xFFUL) | r;
        else d = r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Load<TSize>(Processor p, ulong a) where TSize : struct, ISize =>
        TSize.Bytes == 8 ? p.Memory.Read64(a) : TSize.Bytes == 4 ? p.Memory.Read32(a) : p.Memory.Read8(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TSize>(Processor p, ulong a, ulong v) where TSize : struct, ISize
    {
        if (TSize.Bytes == 8) p.Memory.Write64(a, v);
        else if (TSize.Bytes == 4) p.Memory.Write32(a, (uint)v);
        else p.Memory.Write8(a, (byte)v);
    }

    // ---- the binary operations: result (masked to the size) and the status flags ----

    private interface IBinaryOp
    {
        /// <summary>False for CMP and TEST, which only set flags.</summary>
        static abstract bool Writes { get; }
        /// <summary>False for MOV, which leaves the flags alone.</summary>
        static abstract bool SetsFlags { get; }
        static abstract ulong Apply(ulong a, ulong b, int size, out ulong flags);
    }

    private struct MovOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => false;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) { flags = 0; return b & Flags.Mask(size); }
    }

    private struct AddOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags)
        {
            ulong r = (a + b) & Flags.Mask(size);
            flags = Flags.Add(a, b, r, 0, size);
            return r;
        }
    }

    private struct SubOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags)
        {
            ulong r = (a - b) & Flags.Mask(size);
            flags = Flags.Sub(a, b, r, 0, size);
            return r;
        }
    }

    private struct CmpOp : IBinaryOp
    {
        public static bool Writes => false;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) => SubOp.Apply(a, b, size, out flags);
    }

    // AND, OR, XOR and TEST clear CF, OF and AF (AF is undefined; the general handler clears it too).
    private struct AndOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) { ulong r = a & b; flags = Flags.Logic(r, size); return r & Flags.Mask(size); }
    }

    private struct OrOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) { ulong r = (a | b) & Flags.Mask(size); flags = Flags.Logic(r, size); return r; }
    }

    private struct XorOp : IBinaryOp
    {
        public static bool Writes => true;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) { ulong r = (a ^ b) & Flags.Mask(size); flags = Flags.Logic(r, size); return r; }
    }

    private struct TestOp : IBinaryOp
    {
        public static bool Writes => false;
        public static bool SetsFlags => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Apply(ulong a, ulong b, int size, out ulong flags) => AndOp.Apply(a, b, size, out flags);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetFlags<TOp>(Processor p, ulong flags) where TOp : struct, IBinaryOp
    {
        if (TOp.SetsFlags) p.State.Rflags = Flags.Merge(p.State.Rflags, flags, Flags.Status);
    }

    // Destination register: a 32-bit result (already masked) zero-extends into the full register.
    private static void RR<TOp, TSize>(Processor p, in Instruction i) where TOp : struct, IBinaryOp where TSize : struct, ISize
    {
        ref ulong d = ref Reg<TSize>(p, i.Op0Register);
        ulong m = Flags.Mask(TSize.Bytes);
        ulong r = TOp.Apply(d & m, Reg<TSize>(p, i.Op1Register) & m, TSize.Bytes, out ulong f);
        if (TOp.Writes) Put<TSize>(ref d, r);
        SetFlags<TOp>(p, f);
    }

    private static void RI<TOp, TSize>(Processor p, in Instruction i) where TOp : struct, IBinaryOp where TSize : struct, ISize
    {
        ref ulong d = ref Reg<TSize>(p, i.Op0Register);
        ulong m = Flags.Mask(TSize.Bytes);
        ulong r = TOp.Apply(d & m, Operands.Immediate(i, 1) & m, TSize.Bytes, out ulong f);
        if (TOp.Writes) Put<TSize>(ref d, r);
        SetFlags<TOp>(p, f);
    }

    private static void RM<TOp, TSize>(Processor p, in Instruction i) where TOp : struct, IBinaryOp where TSize : struct, ISize
    {
        ulong b = Load<TSize>(p, Operands.Address(p, i));
        ref ulong d = ref Reg<TSize>(p, i.Op0Register);
        ulong r = TOp.Apply(d & Flags.Mask(TSize.Bytes), b, TSize.Bytes, out ulong f);
        if (TOp.Writes) Put<TSize>(ref d, r);
        SetFlags<TOp>(p, f);
    }

    private static void MR<TOp, TSize>(Processor p, in Instruction i) where TOp : struct, IBinaryOp where TSize : struct, ISize
    {
        ulong a = Operands.Address(p, i);
        ulong b = Reg<TSize>(p, i.Op1Register) & Flags.Mask(TSize.Bytes);
        // MOV only stores; the others read first, and a read-only page faults on the store, as on hardware.
        ulong old = typeof(TOp) == typeof(MovOp) ? 0 : Load<TSize>(p, a);
        ulong r = TOp.Apply(old, b, TSize.Bytes, out ulong f);
        if (TOp.Writes) Store<TSize>(p, a, r);
        SetFlags<TOp>(p, f);
    }

    private static void MI<TOp, TSize>(Processor p, in Instruction i) where TOp : struct, IBinaryOp where TSize : struct, ISize
    {
        ulong a = Operands.Address(p, i);
        ulong b = Operands.Immediate(i, 1) & Flags.Mask(TSize.Bytes);
        ulong old = typeof(TOp) == typeof(MovOp) ? 0 : Load<TSize>(p, a);
        ulong r = TOp.Apply(old, b, TSize.Bytes, out ulong f);
        if (TOp.Writes) Store<TSize>(p, a, r);
        SetFlags<TOp>(p, f);
    }

    // ---- MOVZX / MOVSX / MOVSXD to a 32- or 64-bit register (a 32-bit write zero-extends) ----

    private static void MovzxR(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = Operands.GetReg(ref p.State, i.Op1Register);

    private static void MovzxM8(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = p.Memory.Read8(Operands.Address(p, i));

    private static void MovzxM16(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = p.Memory.Read16(Operands.Address(p, i));

    private static ulong SignExtend(ulong v, Register from) => Operands.SignExtend(v, from.GetSize());

    private static void MovsxR64(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = SignExtend(Operands.GetReg(ref p.State, i.Op1Register), i.Op1Register);

    private static void MovsxR32(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = (uint)SignExtend(Operands.GetReg(ref p.State, i.Op1Register), i.Op1Register);

    private static ulong LoadSigned(Processor p, in Instruction i)
    {
        ulong a = Operands.Address(p, i);
        return i.MemorySize.GetSize() switch
        {
            1 => (ulong)(long)(sbyte)p.Memory.Read8(a),
            2 => (ulong)(long)(short)p.Memory.Read16(a),
            _ => (ulong)(long)(int)p.Memory.Read32(a),
        };
    }

    private static void MovsxM64(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = LoadSigned(p, i);

    private static void MovsxM32(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, Operands.Index(i.Op0Register)) = (uint)LoadSigned(p, i);

    // ---- LEA, PUSH, POP ----

    private static void Lea64(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, i.Op0Register - Register.RAX) = Operands.EffectiveAddress(p, i);

    private static void Lea32(Processor p, in Instruction i) =>
        Operands.Gpr(ref p.State, i.Op0Register - Register.EAX) = (uint)Operands.EffectiveAddress(p, i);

    private static void PushR64(Processor p, in Instruction i) => Operands.Push(p, Operands.Gpr(ref p.State, i.Op0Register - Register.RAX));

    // The loaded value is written after RSP moves, so POP RSP leaves the loaded value.
    private static void PopR64(Processor p, in Instruction i)
    {
        ulong v = Operands.Pop(p);
        Operands.Gpr(ref p.State, i.Op0Register - Register.RAX) = v;
    }

    // ---- Jcc, one handler per condition ----

    private interface ICondition { static abstract int Code { get; } }

    private static void Jcc<TCond>(Processor p, in Instruction i) where TCond : struct, ICondition
    {
        if (Flags.Condition(p.State.Rflags, TCond.Code)) p.State.Rip = i.NearBranchTarget;
    }

    private struct C0 : ICondition { public static int Code => 0; }
    private struct C1 : ICondition { public static int Code => 1; }
    private struct C2 : ICondition { public static int Code => 2; }
    private struct C3 : ICondition { public static int Code => 3; }
    private struct C4 : ICondition { public static int Code => 4; }
    private struct C5 : ICondition { public static int Code => 5; }
    private struct C6 : ICondition { public static int Code => 6; }
    private struct C7 : ICondition { public static int Code => 7; }
    private struct C8 : ICondition { public static int Code => 8; }
    private struct C9 : ICondition { public static int Code => 9; }
    private struct C10 : ICondition { public static int Code => 10; }
    private struct C11 : ICondition { public static int Code => 11; }
    private struct C12 : ICondition { public static int Code => 12; }
    private struct C13 : ICondition { public static int Code => 13; }
    private struct C14 : ICondition { public static int Code => 14; }
    private struct C15 : ICondition { public static int Code => 15; }

    // Iced's ConditionCode is the x86 condition number plus one (None is 0), as the general Jcc uses it.
    private static nint JccOf(ConditionCode cc) => ((int)cc - 1) switch
    {
        0 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C0>,
        1 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C1>,
        2 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C2>,
        3 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C3>,
        4 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C4>,
        5 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C5>,
        6 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C6>,
        7 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C7>,
        8 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C8>,
        9 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C9>,
        10 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C10>,
        11 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C11>,
        12 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C12>,
        13 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C13>,
        14 => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C14>,
        _ => (nint)(delegate*<Processor, in Instruction, void>)&Jcc<C15>,
    };
}
