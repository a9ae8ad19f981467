using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Ferry.Interpreter;
using Iced.Intel;

namespace Ferry.Jit;

// Packed SSE/SSE2 and the VEX moves translated inline: whole-register moves between XMM/YMM registers and memory
// (memcpy, memset, strlen and friends in glibc), the bitwise operations, the lane-wise integer arithmetic and
// compares, and PMOVMSKB. The lane semantics are SseInt's (the interpreter's); the vector registers stay in
// the state, as for the scalar forms.
internal sealed partial class BlockTranslator
{
    private static readonly Type V128 = typeof(Vector128<byte>);

    private static MethodInfo Packed(string name) => typeof(PackedSse).GetMethod(name) ?? throw new MissingMethodException(name);
    private static MethodInfo Lanes(string name) => typeof(SseInt).GetMethod(name, [V128, V128]) ?? throw new MissingMethodException(name);

    private LocalBuilder? _vsrc;

    /// <summary>The SseInt helper of a legacy-SSE packed operation xmm, xmm/m128, or null.</summary>
    private static string? PackedOp(Code c) => c switch
    {
        Code.Pand_xmm_xmmm128 or Code.Andps_xmm_xmmm128 or Code.Andpd_xmm_xmmm128 => nameof(SseInt.And),
        Code.Pandn_xmm_xmmm128 or Code.Andnps_xmm_xmmm128 or Code.Andnpd_xmm_xmmm128 => nameof(SseInt.AndNot),
        Code.Por_xmm_xmmm128 or Code.Orps_xmm_xmmm128 or Code.Orpd_xmm_xmmm128 => nameof(SseInt.Or),
        Code.Pxor_xmm_xmmm128 or Code.Xorps_xmm_xmmm128 or Code.Xorpd_xmm_xmmm128 => nameof(SseInt.Xor),
        Code.Paddb_xmm_xmmm128 => nameof(SseInt.AddB),
        Code.Paddw_xmm_xmmm128 => nameof(SseInt.AddW),
        Code.Paddd_xmm_xmmm128 => nameof(SseInt.AddD),
        Code.Paddq_xmm_xmmm128 => nameof(SseInt.AddQ),
        Code.Psubb_xmm_xmmm128 => nameof(SseInt.SubB),
        Code.Psubw_xmm_xmmm128 => nameof(SseInt.SubW),
        Code.Psubd_xmm_xmmm128 => nameof(SseInt.SubD),
        Code.Psubq_xmm_xmmm128 => nameof(SseInt.SubQ),
        Code.Pcmpeqb_xmm_xmmm128 => nameof(SseInt.CmpEqB),
        Code.Pcmpeqw_xmm_xmmm128 => nameof(SseInt.CmpEqW),
        Code.Pcmpeqd_xmm_xmmm128 => nameof(SseInt.CmpEqD),
        Code.Pcmpgtb_xmm_xmmm128 => nameof(SseInt.CmpGtB),
        Code.Pcmpgtw_xmm_xmmm128 => nameof(SseInt.CmpGtW),
        Code.Pcmpgtd_xmm_xmmm128 => nameof(SseInt.CmpGtD),
        Code.Pminub_xmm_xmmm128 => nameof(SseInt.MinUB),
        Code.Pmaxub_xmm_xmmm128 => nameof(SseInt.MaxUB),
        Code.Pminsw_xmm_xmmm128 => nameof(SseInt.MinSW),
        Code.Pmaxsw_xmm_xmmm128 => nameof(SseInt.MaxSW),
        Code.Pmullw_xmm_xmmm128 => nameof(SseInt.MulLoW),
        Code.Pmuludq_xmm_xmmm128 => nameof(SseInt.MulUDQ),
        _ => null,
    };

    /// <summary>Legacy 128-bit moves: (load, aligned) or null.</summary>
    private static (bool Load, bool Aligned)? LegacyMove(Code c) => c switch
    {
        Code.Movaps_xmm_xmmm128 or Code.Movapd_xmm_xmmm128 or Code.Movdqa_xmm_xmmm128 => (true, true),
        Code.Movups_xmm_xmmm128 or Code.Movupd_xmm_xmmm128 or Code.Movdqu_xmm_xmmm128 => (true, false),
        Code.Movaps_xmmm128_xmm or Code.Movapd_xmmm128_xmm or Code.Movdqa_xmmm128_xmm => (false, true),
        Code.Movups_xmmm128_xmm or Code.Movupd_xmmm128_xmm or Code.Movdqu_xmmm128_xmm => (false, false),
        _ => null,
    };

    /// <summary>VEX moves: (load, aligned, wide) or null.</summary>
    private static (bool Load, bool Aligned, bool Wide)? VexMove(Code c) => c switch
    {
        Code.VEX_Vmovaps_xmm_xmmm128 or Code.VEX_Vmovapd_xmm_xmmm128 or Code.VEX_Vmovdqa_xmm_xmmm128 => (true, true, false),
        Code.VEX_Vmovaps_ymm_ymmm256 or Code.VEX_Vmovapd_ymm_ymmm256 or Code.VEX_Vmovdqa_ymm_ymmm256 => (true, true, true),
        Code.VEX_Vmovups_xmm_xmmm128 or Code.VEX_Vmovupd_xmm_xmmm128 or Code.VEX_Vmovdqu_xmm_xmmm128 => (true, false, false),
        Code.VEX_Vmovups_ymm_ymmm256 or Code.VEX_Vmovupd_ymm_ymmm256 or Code.VEX_Vmovdqu_ymm_ymmm256 => (true, false, true),
        Code.VEX_Vmovaps_xmmm128_xmm or Code.VEX_Vmovapd_xmmm128_xmm or Code.VEX_Vmovdqa_xmmm128_xmm => (false, true, false),
        Code.VEX_Vmovaps_ymmm256_ymm or Code.VEX_Vmovapd_ymmm256_ymm or Code.VEX_Vmovdqa_ymmm256_ymm => (false, true, true),
        Code.VEX_Vmovups_xmmm128_xmm or Code.VEX_Vmovupd_xmmm128_xmm or Code.VEX_Vmovdqu_xmmm128_xmm => (false, false, false),
        Code.VEX_Vmovups_ymmm256_ymm or Code.VEX_Vmovupd_ymmm256_ymm or Code.VEX_Vmovdqu_ymmm256_ymm => (false, false, true),
        _ => null,
    };

    private static bool Vec(in Instruction i, int op) => i.GetOpKind(op) == OpKind.Register
        && i.GetOpRegister(op) is >= Register.XMM0 and <= Register.XMM15 or >= Register.YMM0 and <= Register.YMM15;

    private static int VecIndex(in Instruction i, int op)
    {
        var r = i.GetOpRegister(op);
        return r >= Register.YMM0 ? r - Register.YMM0 : r - Register.XMM0;
    }

    /// <summary>The forms <see cref="EmitPacked"/> translates.</summary>
    private static bool CanInlinePacked(in Instruction i)
    {
        var c = i.Code;
        if (PackedOp(c) != null) return Xmm(i, 0) && XmmOrMem(i, 1);
        if (LegacyMove(c) is { } lm) return lm.Load ? Xmm(i, 0) && XmmOrMem(i, 1) : XmmOrMem(i, 0) && Xmm(i, 1);
        if (VexMove(c) is { } vm) return vm.Load ? Vec(i, 0) && (Vec(i, 1) || Mem(i, 1)) : (Vec(i, 0) || Mem(i, 0)) && Vec(i, 1);
        if (c == Code.Pmovmskb_r32_xmm) return Gpr(i, 0) && Xmm(i, 1);
        return CanInlineVector(i);
    }

    private void Int(int v) => _il.Emit(OpCodes.Ldc_I4, v);
    private void Bool(bool v) => _il.Emit(v ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);

    private bool EmitPacked(in Instruction i)
    {
        var c = i.Code;
        if (PackedOp(c) is { } op)
        {
            _vsrc ??= _il.DeclareLocal(V128);
            if (i.Op1Kind == OpKind.Memory)
            {
                // The checked read (and the alignment check) faults with the state as of this instruction.
                Publish(_cur);
                Ld(_mem); Ld(_addr); Bool(true); _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.Read)));
            }
            else { XmmAddress(i.Op1Register); _il.Emit(OpCodes.Ldobj, V128); }
            St(_vsrc);
            XmmAddress(i.Op0Register);
            XmmAddress(i.Op0Register); _il.Emit(OpCodes.Ldobj, V128);
            Ld(_vsrc);
            _il.Emit(OpCodes.Call, Lanes(op));
            _il.Emit(OpCodes.Stobj, V128);
            return true;
        }
        if (LegacyMove(c) is { } lm)
        {
            if (i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register)
            {
                XmmAddress(i.Op0Register);
                XmmAddress(i.Op1Register); _il.Emit(OpCodes.Ldobj, V128);
                _il.Emit(OpCodes.Stobj, V128);
                return true;
            }
            Publish(_cur);
            if (lm.Load)
            {
                Ld(_st); Ld(_mem); Ld(_addr); Int(XmmIndex(i, 0)); Bool(lm.Aligned);
                _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.Load)));
            }
            else StoreVector(XmmIndex(i, 1), 16, lm.Aligned, () => _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.Store))));
            return true;
        }
        if (VexMove(c) is { } vm)
        {
            if (i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register)
            {
                Ld(_st); Int(VecIndex(i, 0)); Int(VecIndex(i, 1)); Bool(vm.Wide);
                _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.VexMove)));
                return true;
            }
            Publish(_cur);
            if (vm.Load)
            {
                Ld(_st); Ld(_mem); Ld(_addr); Int(VecIndex(i, 0)); Bool(vm.Wide); Bool(vm.Aligned);
                _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.VexLoad)));
            }
            else StoreVector(VecIndex(i, 1), vm.Wide ? 32 : 16, vm.Aligned, () =>
            {
                // Stack: state, memory, address, register; the VEX store also takes the width.
                Bool(vm.Wide); Bool(vm.Aligned);
                _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.VexStore)));
            }, vex: true);
            return true;
        }
        if (c == Code.Pmovmskb_r32_xmm)
        {
            Ld(_st); Int(XmmIndex(i, 1)); _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.MoveMask))); St(_tr);
            StoreReg(i.Op0Register, () => Ld(_tr));
            return true;
        }
        return EmitVector(i);
    }

    /// <summary>A vector store of register <paramref name="x"/> to the address in <see cref="_addr"/> (the
    /// registers already published): journaled under co-simulation, else through <paramref name="call"/>, which
    /// finds state, memory, address and register on the stack (and pushes the rest of its arguments).</summary>
    private void StoreVector(int x, int size, bool aligned, Action call, bool vex = false)
    {
        Ld(_st); Ld(_mem); Ld(_addr); Int(x);
        if (_verify)
        {
            Int(size); Bool(aligned);
            _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.StoreJournaled)));
            return;
        }
        if (vex) { call(); return; }
        Bool(aligned);
        call();
    }
}
