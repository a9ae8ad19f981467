using System.Reflection;
using System.Reflection.Emit;
using Ferry.Cpu;
using Ferry.Interpreter;
using Iced.Intel;
using Label = System.Reflection.Emit.Label;

namespace Ferry.Jit;

// Scalar SSE (the float arithmetic, compares and conversions of fp code, and the moves between XMM registers,
// memory and general registers) translated inline. Vector registers stay in the state: the code reads and
// writes them through the state reference, as the handlers do, so a fall-back between them needs nothing.
internal sealed partial class BlockTranslator
{
    private static readonly MethodInfo CommitSimd = typeof(SseOperands).GetMethod(nameof(SseOperands.Commit))!;

    private static MethodInfo Scalar(string name) => typeof(ScalarSse).GetMethod(name) ?? throw new MissingMethodException(name);

    private LocalBuilder? _simdFlags;
    private Label? _simdRaise;

    private static bool Xmm(in Instruction i, int op) => i.GetOpKind(op) == OpKind.Register && i.GetOpRegister(op) is >= Register.XMM0 and <= Register.XMM15;
    private static bool XmmOrMem(in Instruction i, int op) => Xmm(i, op) || Mem(i, op);
    private static int XmmIndex(in Instruction i, int op) => i.GetOpRegister(op) - Register.XMM0;

    /// <summary>The scalar SSE forms <see cref="EmitScalar"/> translates.</summary>
    private static bool CanInlineScalar(in Instruction i)
    {
        switch (i.Code)
        {
            case Code.Addsd_xmm_xmmm64 or Code.Subsd_xmm_xmmm64 or Code.Mulsd_xmm_xmmm64 or Code.Divsd_xmm_xmmm64
                or Code.Minsd_xmm_xmmm64 or Code.Maxsd_xmm_xmmm64 or Code.Sqrtsd_xmm_xmmm64
                or Code.Addss_xmm_xmmm32 or Code.Subss_xmm_xmmm32 or Code.Mulss_xmm_xmmm32 or Code.Divss_xmm_xmmm32
                or Code.Minss_xmm_xmmm32 or Code.Maxss_xmm_xmmm32 or Code.Sqrtss_xmm_xmmm32
                or Code.Cmpsd_xmm_xmmm64_imm8 or Code.Cmpss_xmm_xmmm32_imm8
                or Code.Comisd_xmm_xmmm64 or Code.Ucomisd_xmm_xmmm64 or Code.Comiss_xmm_xmmm32 or Code.Ucomiss_xmm_xmmm32
                or Code.Cvtss2sd_xmm_xmmm32 or Code.Cvtsd2ss_xmm_xmmm64
                or Code.Movsd_xmm_xmmm64 or Code.Movss_xmm_xmmm32 or Code.Movq_xmm_xmmm64:
                return Xmm(i, 0) && XmmOrMem(i, 1);
            case Code.Movsd_xmmm64_xmm or Code.Movss_xmmm32_xmm or Code.Movq_xmmm64_xmm:
                return XmmOrMem(i, 0) && Xmm(i, 1);
            case Code.Cvtsi2sd_xmm_rm32 or Code.Cvtsi2sd_xmm_rm64 or Code.Cvtsi2ss_xmm_rm32 or Code.Cvtsi2ss_xmm_rm64
                or Code.Movd_xmm_rm32 or Code.Movq_xmm_rm64:
                return Xmm(i, 0) && RegOrMem(i, 1);
            case Code.Movd_rm32_xmm or Code.Movq_rm64_xmm:
                return RegOrMem(i, 0) && Xmm(i, 1);
            case Code.Cvtsd2si_r32_xmmm64 or Code.Cvtsd2si_r64_xmmm64 or Code.Cvttsd2si_r32_xmmm64 or Code.Cvttsd2si_r64_xmmm64
                or Code.Cvtss2si_r32_xmmm32 or Code.Cvtss2si_r64_xmmm32 or Code.Cvttss2si_r32_xmmm32 or Code.Cvttss2si_r64_xmmm32:
                return Gpr(i, 0) && XmmOrMem(i, 1);
            default:
                return false;
        }
    }

    /// <summary>Pushes the low <paramref name="size"/> bytes (4 or 8) of XMM register <paramref name="x"/>, zero-extended.</summary>
    private void LoadXmmLow(int x, int size)
    {
        LdState(VecOffset + 32 * x);
        if (size == 8) Op(OpCodes.Ldind_I8);
        else { Op(OpCodes.Ldind_U4); Op(OpCodes.Conv_U8); }
    }

    /// <summary>Stores <paramref name="push"/>'s value in the low <paramref name="size"/> bytes of XMM register
    /// <paramref name="x"/>; with <paramref name="zeroRest"/> the rest of its low 128 bits becomes zero.</summary>
    private void StoreXmmLow(int x, int size, Action push, bool zeroRest)
    {
        if (zeroRest)
        {
            // A zero-extended value written as a qword zeroes the dword above a 4-byte one.
            LdState(VecOffset + 32 * x); push(); Op(OpCodes.Stind_I8);
            LdState(VecOffset + 32 * x + 8); I8(0); Op(OpCodes.Stind_I8);
            return;
        }
        LdState(VecOffset + 32 * x); push();
        if (size == 8) Op(OpCodes.Stind_I8);
        else { Op(OpCodes.Conv_U4); Op(OpCodes.Stind_I4); }
    }

    /// <summary>Stores the scalar source operand <paramref name="op"/> (an XMM register's low bytes or memory) in <see cref="_tb"/>.</summary>
    private void ScalarSource(in Instruction i, int op, int size)
    {
        if (i.GetOpKind(op) == OpKind.Memory) LoadMem(_addr, size);
        else LoadXmmLow(XmmIndex(i, op), size);
        St(_tb);
    }

    /// <summary>The helper left its exception flags on the stack: unless they are zero, raise them.</summary>
    private void CheckSimd()
    {
        _simdFlags ??= _il.DeclareLocal(typeof(uint));
        _simdRaise ??= _il.DefineLabel();
        St(_simdFlags);
        Ld(_simdFlags);
        _il.Emit(OpCodes.Brfalse, NextLabel(out var ok));
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldc_I4, _cur);
        _il.Emit(OpCodes.Stind_I4);
        _il.Emit(OpCodes.Br, _simdRaise.Value);
        _il.MarkLabel(ok);
    }

    /// <summary>The shared path of an unmasked SIMD exception (one of <see cref="EmitSlowPaths"/>, after the
    /// registers are published): committing the flags raises #XM with the state as of the instruction (its
    /// destination unwritten).</summary>
    private void EmitSimdRaise()
    {
        Ld(_st); Ld(_simdFlags!);
        _il.Emit(OpCodes.Call, CommitSimd);
        _il.Emit(OpCodes.Br, _exit); // not reached: the flags hold an unmasked exception
    }

    /// <summary>Calls the <see cref="ScalarSse"/> helper <paramref name="name"/>(state, destination, source).</summary>
    private void ScalarOp(in Instruction i, string name, int size, int? predicate = null)
    {
        ScalarSource(i, 1, size);
        Ld(_st); _il.Emit(OpCodes.Ldc_I4, XmmIndex(i, 0)); Ld(_tb);
        if (size == 4) Op(OpCodes.Conv_U4);
        if (predicate is { } p) _il.Emit(OpCodes.Ldc_I4, p);
        _il.Emit(OpCodes.Call, Scalar(name));
        CheckSimd();
    }

    private bool EmitScalar(in Instruction i)
    {
        switch (i.Code)
        {
            case Code.Addsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Addsd), 8); return true;
            case Code.Subsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Subsd), 8); return true;
            case Code.Mulsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Mulsd), 8); return true;
            case Code.Divsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Divsd), 8); return true;
            case Code.Minsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Minsd), 8); return true;
            case Code.Maxsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Maxsd), 8); return true;
            case Code.Sqrtsd_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Sqrtsd), 8); return true;
            case Code.Addss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Addss), 4); return true;
            case Code.Subss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Subss), 4); return true;
            case Code.Mulss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Mulss), 4); return true;
            case Code.Divss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Divss), 4); return true;
            case Code.Minss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Minss), 4); return true;
            case Code.Maxss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Maxss), 4); return true;
            case Code.Sqrtss_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Sqrtss), 4); return true;
            case Code.Cmpsd_xmm_xmmm64_imm8: ScalarOp(i, nameof(ScalarSse.Cmpsd), 8, i.Immediate8 & 7); return true;
            case Code.Cmpss_xmm_xmmm32_imm8: ScalarOp(i, nameof(ScalarSse.Cmpss), 4, i.Immediate8 & 7); return true;
            case Code.Cvtss2sd_xmm_xmmm32: ScalarOp(i, nameof(ScalarSse.Cvtss2sd), 4); return true;
            case Code.Cvtsd2ss_xmm_xmmm64: ScalarOp(i, nameof(ScalarSse.Cvtsd2ss), 8); return true;
            case Code.Comisd_xmm_xmmm64 or Code.Ucomisd_xmm_xmmm64 or Code.Comiss_xmm_xmmm32 or Code.Ucomiss_xmm_xmmm32:
            {
                bool dbl = i.Code is Code.Comisd_xmm_xmmm64 or Code.Ucomisd_xmm_xmmm64;
                ScalarSource(i, 1, dbl ? 8 : 4);
                Ld(_st); _il.Emit(OpCodes.Ldc_I4, XmmIndex(i, 0)); Ld(_tb);
                if (!dbl) Op(OpCodes.Conv_U4);
                _il.Emit(i.Code is Code.Comisd_xmm_xmmm64 or Code.Comiss_xmm_xmmm32 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Call, Scalar(dbl ? nameof(ScalarSse.Comisd) : nameof(ScalarSse.Comiss)));
                St(_tr);
                Ld(_tr); _il.Emit(OpCodes.Ldc_I4, 32); Op(OpCodes.Shr_Un); Op(OpCodes.Conv_U4);
                CheckSimd();
                Ld(_fl); I8(~Flags.Status); Op(OpCodes.And); Ld(_tr); Op(OpCodes.Or); St(_fl);
                FlagsWritten();
                return true;
            }
            case Code.Cvtsi2sd_xmm_rm32 or Code.Cvtsi2sd_xmm_rm64 or Code.Cvtsi2ss_xmm_rm32 or Code.Cvtsi2ss_xmm_rm64:
            {
                int size = Operands.Size(i, 1);
                Read(i, 1, size); SignExtend(size); St(_tb);
                Ld(_st); _il.Emit(OpCodes.Ldc_I4, XmmIndex(i, 0)); Ld(_tb);
                _il.Emit(OpCodes.Call, Scalar(i.Code is Code.Cvtsi2sd_xmm_rm32 or Code.Cvtsi2sd_xmm_rm64 ? nameof(ScalarSse.Cvtsi2sd) : nameof(ScalarSse.Cvtsi2ss)));
                CheckSimd();
                return true;
            }
            case Code.Cvtsd2si_r32_xmmm64 or Code.Cvtsd2si_r64_xmmm64 or Code.Cvttsd2si_r32_xmmm64 or Code.Cvttsd2si_r64_xmmm64
                or Code.Cvtss2si_r32_xmmm32 or Code.Cvtss2si_r64_xmmm32 or Code.Cvttss2si_r32_xmmm32 or Code.Cvttss2si_r64_xmmm32:
            {
                bool dbl = i.Mnemonic is Mnemonic.Cvtsd2si or Mnemonic.Cvttsd2si;
                ScalarSource(i, 1, dbl ? 8 : 4);
                Ld(_st); Ld(_tb);
                if (!dbl) Op(OpCodes.Conv_U4);
                _il.Emit(i.Mnemonic is Mnemonic.Cvttsd2si or Mnemonic.Cvttss2si ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                _il.Emit(i.Op0Register.GetSize() == 8 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ldloca, _value[3]);
                _il.Emit(OpCodes.Call, Scalar(dbl ? nameof(ScalarSse.Cvtsd2si) : nameof(ScalarSse.Cvtss2si)));
                CheckSimd();
                StoreReg(i.Op0Register, () => Ld(_value[3]));
                return true;
            }
            // Loads of a scalar zero the rest of the register; moves between registers merge (MOVQ zeroes).
            case Code.Movsd_xmm_xmmm64 or Code.Movss_xmm_xmmm32 or Code.Movq_xmm_xmmm64:
            {
                int size = i.Code == Code.Movss_xmm_xmmm32 ? 4 : 8;
                bool load = i.Op1Kind == OpKind.Memory;
                ScalarSource(i, 1, size);
                StoreXmmLow(XmmIndex(i, 0), size, () => Ld(_tb), zeroRest: load || i.Code == Code.Movq_xmm_xmmm64);
                return true;
            }
            case Code.Movsd_xmmm64_xmm or Code.Movss_xmmm32_xmm or Code.Movq_xmmm64_xmm:
            {
                int size = i.Code == Code.Movss_xmmm32_xmm ? 4 : 8, src = XmmIndex(i, 1);
                if (i.Op0Kind == OpKind.Memory) StoreMem(_addr, size, () => LoadXmmLow(src, size));
                else
                {
                    LoadXmmLow(src, size); St(_tb);
                    StoreXmmLow(XmmIndex(i, 0), size, () => Ld(_tb), zeroRest: i.Code == Code.Movq_xmmm64_xmm);
                }
                return true;
            }
            case Code.Movd_xmm_rm32 or Code.Movq_xmm_rm64:
            {
                int size = i.Code == Code.Movd_xmm_rm32 ? 4 : 8;
                Read(i, 1, size); St(_tb);
                StoreXmmLow(XmmIndex(i, 0), size, () => Ld(_tb), zeroRest: true);
                return true;
            }
            case Code.Movd_rm32_xmm or Code.Movq_rm64_xmm:
            {
                int size = i.Code == Code.Movd_rm32_xmm ? 4 : 8, src = XmmIndex(i, 1);
                LoadXmmLow(src, size); St(_tb);
                Write(i, 0, size, () => Ld(_tb));
                return true;
            }
            default:
                return false;
        }
    }
}
