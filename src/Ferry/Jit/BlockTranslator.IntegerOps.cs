using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using Ferry.Cpu;
using Ferry.Interpreter;
using Iced.Intel;
using Label = System.Reflection.Emit.Label;

namespace Ferry.Jit;

// The integer instructions that compiled code used to hand to the interpreter (FERRY_JIT_FALLBACKS on python3,
// gzip, xz, lua and sqlite3): shifts and rotates by CL with their flags, every MUL and IMUL form with its
// flags, 32- and 64-bit DIV and IDIV, and BSF/BSR/TZCNT/LZCNT/POPCNT. Each computes what the interpreter's
// handler computes, undefined flags included (JitIntegerOpsTests compares both tiers exactly, and each with the
// host CPU); what is rare stays the interpreter's own code: a division that faults or whose dividend is wider
// than 64 bits calls MulDiv's definition through a shared slow path, with the state published, so #DE is
// raised at the instruction with every register as of it.
internal sealed partial class BlockTranslator
{
    private static readonly MethodInfo BigMulSigned =
        typeof(Math).GetMethod(nameof(Math.BigMul), [typeof(long), typeof(long), typeof(long).MakeByRefType()])!;
    private static readonly MethodInfo BigMulUnsigned =
        typeof(Math).GetMethod(nameof(Math.BigMul), [typeof(ulong), typeof(ulong), typeof(ulong).MakeByRefType()])!;
    private static readonly MethodInfo TrailingZeros = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(ulong)])!;
    private static readonly MethodInfo LeadingZeros = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(ulong)])!;
    private static readonly MethodInfo PopCount = typeof(BitOperations).GetMethod(nameof(BitOperations.PopCount), [typeof(ulong)])!;
    private static readonly MethodInfo CpuidGetter = typeof(Processor).GetProperty(nameof(Processor.Cpuid))!.GetMethod!;
    private static readonly MethodInfo HasBmi1Getter = typeof(CpuidModel).GetProperty(nameof(CpuidModel.HasBmi1))!.GetMethod!;
    private static readonly MethodInfo HasLzcntGetter = typeof(CpuidModel).GetProperty(nameof(CpuidModel.HasLzcnt))!.GetMethod!;

    // Indexed as DivideKind gives.
    private static readonly MethodInfo[] DivideHelpers =
    [
        typeof(DivideSlow).GetMethod(nameof(DivideSlow.Div32))!, typeof(DivideSlow).GetMethod(nameof(DivideSlow.Div64))!,
        typeof(DivideSlow).GetMethod(nameof(DivideSlow.Idiv32))!, typeof(DivideSlow).GetMethod(nameof(DivideSlow.Idiv64))!,
    ];

    private static int DivideKind(bool signed, int size) => (signed ? 2 : 0) + (size == 8 ? 1 : 0);

    private readonly SlowPath[] _slowDivides = new SlowPath[4];
    private LocalBuilder? _count, _lowSigned, _lowUnsigned;

    private static bool IsShiftByCl(in Instruction i) =>
        i.Mnemonic is Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror
        && i.OpCount == 2 && i.Op1Kind == OpKind.Register;

    /// <summary>Whether the forms of this file are inline (null for other instructions).</summary>
    private static bool? CanInlineInteger(in Instruction i)
    {
        if (IsShiftByCl(i)) return i.Op1Register == Register.CL && RegOrMem(i, 0);
        switch (i.Mnemonic)
        {
            case Mnemonic.Imul:
                return i.OpCount switch
                {
                    1 => RegOrMem(i, 0),
                    2 => Gpr(i, 0) && RegOrMem(i, 1),
                    _ => Gpr(i, 0) && RegOrMem(i, 1) && Imm(i, 2),
                };
            case Mnemonic.Mul:
                return RegOrMem(i, 0);
            case Mnemonic.Div or Mnemonic.Idiv:
                // 8- and 16-bit division is rare enough to stay with the interpreter.
                return RegOrMem(i, 0) && Operands.Size(i, 0) >= 4;
            case Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt or Mnemonic.Popcnt:
                return Gpr(i, 0) && RegOrMem(i, 1);
            default:
                return null;
        }
    }

    /// <summary>The status flags these forms certainly replace, where Iced's table (which counts the flags it
    /// calls undefined as modified) says more than the interpreter does: DIV and IDIV leave every flag alone, and
    /// BSF and BSR (which TZCNT and LZCNT are on a CPU model without BMI1 or LZCNT) change only ZF. Flags before
    /// them must then stay exact, so both tiers agree on the undefined ones too.</summary>
    private static ulong? KillsInteger(in Instruction i) => i.Mnemonic switch
    {
        Mnemonic.Div or Mnemonic.Idiv => 0,
        Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt => Flags.ZF,
        _ => null,
    };

    /// <summary>One-operand MUL and IMUL, DIV and IDIV read and write RAX and RDX besides their operand.</summary>
    private static bool UsesRaxRdx(in Instruction i) =>
        i.Mnemonic is Mnemonic.Mul or Mnemonic.Div or Mnemonic.Idiv || i.Mnemonic == Mnemonic.Imul && i.OpCount == 1;

    private bool EmitInteger(int n, bool flagsLive)
    {
        ref Instruction i = ref _ins[n];
        if (IsShiftByCl(i)) { EmitShiftByCl(i, Operands.Size(i, 0), flagsLive); return true; }
        switch (i.Mnemonic)
        {
            case Mnemonic.Imul when i.OpCount > 1: EmitImul(i, Operands.Size(i, 0), flagsLive); return true;
            case Mnemonic.Imul or Mnemonic.Mul: EmitWideMul(i, Operands.Size(i, 0), flagsLive); return true;
            case Mnemonic.Div or Mnemonic.Idiv: EmitDivide(i, Operands.Size(i, 0)); return true;
            case Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt or Mnemonic.Popcnt:
                EmitBitScan(i, Operands.Size(i, 0), flagsLive);
                return true;
            default:
                return false;
        }
    }

    /// <summary>SHL/SAL/SHR/SAR/ROL/ROR by CL. A masked count of zero changes no flag and no value, but the
    /// destination is still written back (a 32-bit register loses its upper half, a read-only page faults).</summary>
    private void EmitShiftByCl(in Instruction i, int size, bool flagsLive)
    {
        var il = _il;
        int bits = size * 8;
        var m = i.Mnemonic;
        _count ??= il.DeclareLocal(typeof(int));
        // The flags either stay (count zero) or are replaced: a pending lazy record is resolved on both paths.
        if (flagsLive) EnsureFlags();
        Read(i, 0, size); St(_ta);
        LoadReg(Register.CL); Op(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, size == 8 ? 63 : 31); Op(OpCodes.And); St(_count);
        Ld(_count);
        il.Emit(OpCodes.Brfalse, NextLabel(out var zero));
        switch (m)
        {
            case Mnemonic.Shl or Mnemonic.Sal:
                Ld(_ta); Ld(_count); Op(OpCodes.Shl); Mask(size);
                break;
            case Mnemonic.Shr:
                Ld(_ta); Ld(_count); Op(OpCodes.Shr_Un);
                break;
            case Mnemonic.Sar:
                Ld(_ta); SignExtend(size); Ld(_count); Op(OpCodes.Shr); Mask(size);
                break;
            default:
                // The left rotation by the count modulo the width (ROR by k is ROL by width - k). A multiple of the
                // width leaves the value but, the count being non-zero, still sets CF and OF.
                if (m == Mnemonic.Ror) { il.Emit(OpCodes.Ldc_I4, bits); Ld(_count); Op(OpCodes.Sub); }
                else Ld(_count);
                il.Emit(OpCodes.Ldc_I4, bits - 1); Op(OpCodes.And); St(_count);
                Ld(_ta); Ld(_count); Op(OpCodes.Shl);
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, bits); Ld(_count); Op(OpCodes.Sub); il.Emit(OpCodes.Ldc_I4, bits - 1); Op(OpCodes.And);
                Op(OpCodes.Shr_Un);
                Op(OpCodes.Or); Mask(size);
                break;
        }
        St(_tr);
        Write(i, 0, size, () => Ld(_tr));
        if (flagsLive) EmitShiftFlags(m, size, -1);
        il.Emit(OpCodes.Br, NextLabel(out var done));
        il.MarkLabel(zero);
        if (i.Op0Kind == OpKind.Memory) Write(i, 0, size, () => Ld(_ta));
        else if (size == 4) StoreReg(i.Op0Register, () => Ld(_ta));
        il.MarkLabel(done);
    }

    /// <summary>fl = its bits outside the status flags, and the flags MulDiv sets after a multiplication: SF and PF
    /// of the low half (in <see cref="_tr"/>), ZF and AF clear, CF and OF from <paramref name="overflow"/> (0 or 1).</summary>
    private void EmitMulFlags(int size, LocalBuilder overflow)
    {
        Ld(_fl); I8(~Flags.Status); Op(OpCodes.And);
        OrResultFlags(_tr, size); I8(~Flags.ZF); Op(OpCodes.And);
        Ld(overflow); I8(Flags.CF | Flags.OF); Op(OpCodes.Mul); Op(OpCodes.Or);
        St(_fl);
        FlagsWritten();
    }

    private LocalBuilder LowLocal(bool signed) => signed
        ? _lowSigned ??= _il.DeclareLocal(typeof(long))
        : _lowUnsigned ??= _il.DeclareLocal(typeof(ulong));

    /// <summary>IMUL r, r/m and IMUL r, r/m, imm: the low half in the destination, CF and OF when the signed
    /// product does not fit.</summary>
    private void EmitImul(in Instruction i, int size, bool flagsLive)
    {
        var il = _il;
        int src = i.OpCount == 2 ? 0 : 1;
        Read(i, src, size); SignExtend(size); St(_ta);
        if (i.OpCount == 2) { Read(i, 1, size); SignExtend(size); }
        else { I8(i.GetImmediate(2) & Flags.Mask(size)); SignExtend(size); }
        St(_tb);
        if (!flagsLive)
        {
            Ld(_ta); Ld(_tb); Op(OpCodes.Mul); Mask(size); St(_tr);
        }
        else if (size == 8)
        {
            var low = LowLocal(true);
            Ld(_ta); Ld(_tb); il.Emit(OpCodes.Ldloca, low); il.Emit(OpCodes.Call, BigMulSigned); St(_tc);
            Ld(low); St(_tr);
            // Overflow: the high half is not the low half's sign.
            Ld(_tc); Ld(_tr); il.Emit(OpCodes.Ldc_I4, 63); Op(OpCodes.Shr); Op(OpCodes.Ceq);
            il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); St(_tc);
            EmitMulFlags(size, _tc);
        }
        else
        {
            // Both factors fit in 32 bits signed, so the 64-bit product is exact.
            Ld(_ta); Ld(_tb); Op(OpCodes.Mul); St(_tc);
            Ld(_tc); Mask(size); St(_tr);
            Ld(_tc); Ld(_tr); SignExtend(size); Op(OpCodes.Ceq);
            il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); St(_tc);
            EmitMulFlags(size, _tc);
        }
        StoreReg(i.Op0Register, () => Ld(_tr));
    }

    /// <summary>One-operand MUL and IMUL: AL·r/m8 into AX, or the double-width product into DX:AX, EDX:EAX or
    /// RDX:RAX; CF and OF when the high half is not the low half's extension.</summary>
    private void EmitWideMul(in Instruction i, int size, bool flagsLive)
    {
        var il = _il;
        bool signed = i.Mnemonic == Mnemonic.Imul;
        int bits = size * 8;
        Read(i, 0, size); if (signed) SignExtend(size); St(_tb);
        var acc = size switch { 1 => Register.AL, 2 => Register.AX, 4 => Register.EAX, _ => Register.RAX };
        LoadReg(acc); if (signed) SignExtend(size); St(_ta);
        if (size == 8)
        {
            var low = LowLocal(signed);
            Ld(_ta); Ld(_tb); il.Emit(OpCodes.Ldloca, low); il.Emit(OpCodes.Call, signed ? BigMulSigned : BigMulUnsigned); St(_tc);
            Ld(low); St(_tr);
            if (flagsLive)
            {
                Ld(_tc);
                if (signed) { Ld(_tr); il.Emit(OpCodes.Ldc_I4, 63); Op(OpCodes.Shr); } else I8(0);
                Op(OpCodes.Ceq); il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); St(_ta);
                EmitMulFlags(size, _ta);
            }
            StoreReg(Register.RAX, () => Ld(_tr));
            StoreReg(Register.RDX, () => Ld(_tc));
            return;
        }
        // Factors of at most 32 bits: the 64-bit product is exact, signed or not.
        Ld(_ta); Ld(_tb); Op(OpCodes.Mul); St(_tc);
        Ld(_tc); Mask(size); St(_tr);
        if (flagsLive)
        {
            if (signed) { Ld(_tc); Ld(_tr); SignExtend(size); }
            else { Ld(_tc); il.Emit(OpCodes.Ldc_I4, bits); Op(OpCodes.Shr_Un); I8(0); }
            Op(OpCodes.Ceq); il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); St(_ta);
            EmitMulFlags(size, _ta);
        }
        if (size == 1) { StoreReg(Register.AX, () => Ld(_tc)); return; }
        StoreReg(size == 2 ? Register.AX : Register.EAX, () => Ld(_tr));
        StoreReg(size == 2 ? Register.DX : Register.EDX, () => { Ld(_tc); il.Emit(OpCodes.Ldc_I4, bits); Op(OpCodes.Shr_Un); });
    }

    /// <summary>32- and 64-bit DIV and IDIV. Inline when the dividend fits in the divisor's width and neither
    /// zero nor (signed) -1 divides it, which cannot fault; everything else goes to MulDiv's definition.</summary>
    private void EmitDivide(in Instruction i, int size)
    {
        var il = _il;
        bool signed = i.Mnemonic == Mnemonic.Idiv;
        var rax = _reg[CpuState.Rax];
        var rdx = _reg[CpuState.Rdx];
        Read(i, 0, size); St(_tb);
        var slow = il.DefineLabel();
        var done = il.DefineLabel();
        switch (signed, size)
        {
            case (false, 8):
                Ld(rdx); il.Emit(OpCodes.Brtrue, slow);
                Ld(_tb); il.Emit(OpCodes.Brfalse, slow);
                Ld(rax); Ld(_tb); Op(OpCodes.Div_Un); St(_ta);
                Ld(rax); Ld(_tb); Op(OpCodes.Rem_Un); St(rdx);
                Ld(_ta); St(rax);
                break;
            case (false, _):
                // The quotient fits in 32 bits exactly when EDX is below the divisor (which is then not zero).
                LoadReg(Register.EDX); Ld(_tb); il.Emit(OpCodes.Bge_Un, slow);
                LoadReg(Register.EDX); il.Emit(OpCodes.Ldc_I4, 32); Op(OpCodes.Shl); LoadReg(Register.EAX); Op(OpCodes.Or); St(_ta);
                Ld(_ta); Ld(_tb); Op(OpCodes.Div_Un); St(_tr);
                Ld(_ta); Ld(_tb); Op(OpCodes.Rem_Un); St(_tc);
                StoreReg(Register.EAX, () => Ld(_tr));
                StoreReg(Register.EDX, () => Ld(_tc));
                break;
            case (true, 8):
                // RDX must be RAX's sign (a 64-bit dividend); 0 and -1 (whose quotient of INT64_MIN overflows) go slow.
                Ld(rdx); Ld(rax); il.Emit(OpCodes.Ldc_I4, 63); Op(OpCodes.Shr); il.Emit(OpCodes.Bne_Un, slow);
                Ld(_tb); I8(1); Op(OpCodes.Add); I8(1); il.Emit(OpCodes.Ble_Un, slow);
                Ld(rax); Ld(_tb); Op(OpCodes.Div); St(_ta);
                Ld(rax); Ld(_tb); Op(OpCodes.Rem); St(rdx);
                Ld(_ta); St(rax);
                break;
            default:
                // EDX must be EAX's sign (a 32-bit dividend, as after CDQ); then only -1 could overflow.
                LoadReg(Register.EDX);
                LoadReg(Register.EAX); Op(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, 31); Op(OpCodes.Shr); Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8);
                il.Emit(OpCodes.Bne_Un, slow);
                Ld(_tb); Op(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4_1); Op(OpCodes.Add); il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Ble_Un, slow);
                LoadReg(Register.EAX); SignExtend(4); Ld(_tb); SignExtend(4); Op(OpCodes.Div); St(_tr);
                LoadReg(Register.EAX); SignExtend(4); Ld(_tb); SignExtend(4); Op(OpCodes.Rem); St(_tc);
                StoreReg(Register.EAX, () => Ld(_tr));
                StoreReg(Register.EDX, () => Ld(_tc));
                break;
        }
        il.Emit(OpCodes.Br, done);
        il.MarkLabel(slow);
        Ld(_tb); St(_slowValue);
        ToSlowPath(_slowDivides, DivideKind(signed, size), done);
        il.MarkLabel(done);
    }

    /// <summary>The divisions' shared slow paths (see <see cref="EmitSlowPaths"/>): the registers are published,
    /// MulDiv divides in the state or raises #DE, and RAX and RDX come back into their locals.</summary>
    private void AddDivideSlowPaths(Label[] entries, Action[] bodies, ref int count)
    {
        for (int k = 0; k < _slowDivides.Length; k++)
        {
            var sp = _slowDivides[k];
            if (sp == null) continue;
            var helper = DivideHelpers[k];
            entries[count] = sp.Entry;
            bodies[count++] = () =>
            {
                Ld(_st); Ld(_slowValue);
                _il.Emit(OpCodes.Call, helper);
                LdState(GprOffset + 8 * CpuState.Rax); Op(OpCodes.Ldind_I8); St(_reg[CpuState.Rax]);
                LdState(GprOffset + 8 * CpuState.Rdx); Op(OpCodes.Ldind_I8); St(_reg[CpuState.Rdx]);
                Ld(_resume);
                _il.Emit(OpCodes.Switch, sp.Resumes());
                _il.Emit(OpCodes.Br, _exit); // not reached
            };
        }
    }

    /// <summary>BSF, BSR, TZCNT, LZCNT and POPCNT, with the flags BitOps sets: BSF/BSR only ZF (a zero source
    /// leaves the destination), TZCNT/LZCNT CF and ZF, POPCNT every status flag.</summary>
    private void EmitBitScan(in Instruction i, int size, bool flagsLive)
    {
        var il = _il;
        var m = i.Mnemonic;
        int bits = size * 8;
        var dst = i.Op0Register;
        Read(i, 1, size); St(_tb);
        if (m == Mnemonic.Popcnt)
        {
            Ld(_tb); il.Emit(OpCodes.Call, PopCount); Op(OpCodes.Conv_U8); St(_tr);
            StoreReg(dst, () => Ld(_tr));
            if (flagsLive)
            {
                Ld(_fl); I8(~Flags.Status); Op(OpCodes.And);
                Ld(_tb); I8(0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); il.Emit(OpCodes.Ldc_I4_6); Op(OpCodes.Shl); Op(OpCodes.Or);
                St(_fl);
                FlagsWritten();
            }
            return;
        }
        // Only some flags change: the others must be exact in fl first.
        if (flagsLive) EnsureFlags();
        var done = il.DefineLabel();
        bool forward = m is Mnemonic.Bsf or Mnemonic.Tzcnt;
        if (m is Mnemonic.Tzcnt or Mnemonic.Lzcnt)
        {
            // On a CPU model without BMI1 (LZCNT) the encoding is BSF (BSR), as in BitOps: the processor's model
            // decides at run time.
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Callvirt, CpuidGetter);
            il.Emit(OpCodes.Callvirt, m == Mnemonic.Tzcnt ? HasBmi1Getter : HasLzcntGetter);
            il.Emit(OpCodes.Brfalse, NextLabel(out var legacy));
            if (forward)
            {
                // A bit above the operand makes a zero source count its width.
                Ld(_tb); if (size < 8) { I8(1UL << bits); Op(OpCodes.Or); }
                il.Emit(OpCodes.Call, TrailingZeros);
            }
            else { Ld(_tb); il.Emit(OpCodes.Call, LeadingZeros); il.Emit(OpCodes.Ldc_I4, 64 - bits); Op(OpCodes.Sub); }
            Op(OpCodes.Conv_U8); St(_tr);
            StoreReg(dst, () => Ld(_tr));
            if (flagsLive)
            {
                Ld(_fl); I8(~(Flags.CF | Flags.ZF)); Op(OpCodes.And);
                Ld(_tb); I8(0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); Op(OpCodes.Or);
                Ld(_tr); I8(0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); il.Emit(OpCodes.Ldc_I4_6); Op(OpCodes.Shl); Op(OpCodes.Or);
                St(_fl);
            }
            il.Emit(OpCodes.Br, done);
            il.MarkLabel(legacy);
        }
        Ld(_tb);
        il.Emit(OpCodes.Brtrue, NextLabel(out var nonZero));
        if (flagsLive) { Ld(_fl); I8(Flags.ZF); Op(OpCodes.Or); St(_fl); }
        il.Emit(OpCodes.Br, done);
        il.MarkLabel(nonZero);
        if (forward) { Ld(_tb); il.Emit(OpCodes.Call, TrailingZeros); }
        else { il.Emit(OpCodes.Ldc_I4, 63); Ld(_tb); il.Emit(OpCodes.Call, LeadingZeros); Op(OpCodes.Sub); }
        Op(OpCodes.Conv_U8); St(_tr);
        StoreReg(dst, () => Ld(_tr));
        if (flagsLive) { Ld(_fl); I8(~Flags.ZF); Op(OpCodes.And); St(_fl); }
        il.MarkLabel(done);
    }
}
