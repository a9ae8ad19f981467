using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Interpreter;
using Iced.Intel;

namespace Ferry.Jit;

// The rest of the packed integer SSE/SSSE3/SSE4.1 forms (unpacks, packs, shuffles, byte and element shifts by an
// immediate, saturating and high arithmetic, PTEST) and their VEX.128/VEX.256 forms, plus the AVX2 forms glibc's
// string functions run (VPCMPEQB, VPMINUB, VPMOVMSKB ymm, VPTEST, VPBROADCASTB, VZEROUPPER, VMOVD/VMOVQ), inline.
// Each lane is computed by the interpreter's own 128-bit helper (SseInt, Ssse3Int, Sse41Int, SimdLanes), called
// with the constant arguments the interpreter's handler passes, so both tiers share one definition; a 256-bit
// form calls it once per 128-bit lane, as VexOperands.Lanes does.
internal sealed partial class BlockTranslator
{
    /// <summary>Operand shapes. Bin: dest = op(a, b) (legacy a = dest; VEX a = VEX.vvvv, b = ModRM.rm);
    /// Un: dest = op(rm); In: dest = op(dest) in place (legacy shifts by an immediate; in VEX the source is a
    /// register operand 1, so it is Un).</summary>
    private enum VecShape { Bin, Un, In }

    /// <param name="Op">The 128-bit lane helper: its vector arguments, then the immediate (when
    /// <paramref name="Imm"/>), then <paramref name="Extra"/>.</param>
    /// <param name="Shape">Which operands are the sources.</param>
    /// <param name="Imm">Whether the form has an imm8, passed to the helper.</param>
    /// <param name="Extra">Constant arguments after the operands (and the immediate), as the interpreter passes them.</param>
    /// <param name="UpperShift">How far the immediate is shifted right for the upper lane of a 256-bit form.</param>
    private sealed record VecForm(MethodInfo Op, VecShape Shape, bool Imm, object[] Extra, int UpperShift = 0);

    private static readonly Dictionary<Mnemonic, VecForm> VecForms = BuildVecForms();

    private static Dictionary<Mnemonic, VecForm> BuildVecForms()
    {
        var t = new Dictionary<Mnemonic, VecForm>();
        static MethodInfo H(Type type, string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException(name);
        void Both(Mnemonic legacy, Mnemonic vex, VecForm f)
        {
            t.Add(legacy, f);
            t.Add(vex, f.Shape == VecShape.In ? f with { Shape = VecShape.Un } : f);
        }
        void Bin(Mnemonic legacy, Mnemonic vex, Type type, string name, params object[] extra) =>
            Both(legacy, vex, new VecForm(H(type, name), VecShape.Bin, false, extra));

        var si = typeof(SseInt);
        // Forms PackedOp inlines in their legacy encoding only get their VEX entry here.
        (Mnemonic, string)[] vexOnly =
        [
            (Mnemonic.Vpand, nameof(SseInt.And)), (Mnemonic.Vandps, nameof(SseInt.And)), (Mnemonic.Vandpd, nameof(SseInt.And)),
            (Mnemonic.Vpandn, nameof(SseInt.AndNot)), (Mnemonic.Vandnps, nameof(SseInt.AndNot)), (Mnemonic.Vandnpd, nameof(SseInt.AndNot)),
            (Mnemonic.Vpor, nameof(SseInt.Or)), (Mnemonic.Vorps, nameof(SseInt.Or)), (Mnemonic.Vorpd, nameof(SseInt.Or)),
            (Mnemonic.Vpxor, nameof(SseInt.Xor)), (Mnemonic.Vxorps, nameof(SseInt.Xor)), (Mnemonic.Vxorpd, nameof(SseInt.Xor)),
            (Mnemonic.Vpaddb, nameof(SseInt.AddB)), (Mnemonic.Vpaddw, nameof(SseInt.AddW)), (Mnemonic.Vpaddd, nameof(SseInt.AddD)), (Mnemonic.Vpaddq, nameof(SseInt.AddQ)),
            (Mnemonic.Vpsubb, nameof(SseInt.SubB)), (Mnemonic.Vpsubw, nameof(SseInt.SubW)), (Mnemonic.Vpsubd, nameof(SseInt.SubD)), (Mnemonic.Vpsubq, nameof(SseInt.SubQ)),
            (Mnemonic.Vpcmpeqb, nameof(SseInt.CmpEqB)), (Mnemonic.Vpcmpeqw, nameof(SseInt.CmpEqW)), (Mnemonic.Vpcmpeqd, nameof(SseInt.CmpEqD)),
            (Mnemonic.Vpcmpgtb, nameof(SseInt.CmpGtB)), (Mnemonic.Vpcmpgtw, nameof(SseInt.CmpGtW)), (Mnemonic.Vpcmpgtd, nameof(SseInt.CmpGtD)),
            (Mnemonic.Vpminub, nameof(SseInt.MinUB)), (Mnemonic.Vpmaxub, nameof(SseInt.MaxUB)), (Mnemonic.Vpminsw, nameof(SseInt.MinSW)), (Mnemonic.Vpmaxsw, nameof(SseInt.MaxSW)),
            (Mnemonic.Vpmullw, nameof(SseInt.MulLoW)), (Mnemonic.Vpmuludq, nameof(SseInt.MulUDQ)),
        ];
        foreach (var (m, name) in vexOnly) t.Add(m, new VecForm(H(si, name), VecShape.Bin, false, []));

        Bin(Mnemonic.Paddsb, Mnemonic.Vpaddsb, si, nameof(SseInt.AddSatSB));
        Bin(Mnemonic.Paddsw, Mnemonic.Vpaddsw, si, nameof(SseInt.AddSatSW));
        Bin(Mnemonic.Paddusb, Mnemonic.Vpaddusb, si, nameof(SseInt.AddSatUB));
        Bin(Mnemonic.Paddusw, Mnemonic.Vpaddusw, si, nameof(SseInt.AddSatUW));
        Bin(Mnemonic.Psubsb, Mnemonic.Vpsubsb, si, nameof(SseInt.SubSatSB));
        Bin(Mnemonic.Psubsw, Mnemonic.Vpsubsw, si, nameof(SseInt.SubSatSW));
        Bin(Mnemonic.Psubusb, Mnemonic.Vpsubusb, si, nameof(SseInt.SubSatUB));
        Bin(Mnemonic.Psubusw, Mnemonic.Vpsubusw, si, nameof(SseInt.SubSatUW));
        Bin(Mnemonic.Pmulhw, Mnemonic.Vpmulhw, si, nameof(SseInt.MulHiSW));
        Bin(Mnemonic.Pmulhuw, Mnemonic.Vpmulhuw, si, nameof(SseInt.MulHiUW));
        Bin(Mnemonic.Pmaddwd, Mnemonic.Vpmaddwd, si, nameof(SseInt.MaddWD));
        Bin(Mnemonic.Pavgb, Mnemonic.Vpavgb, si, nameof(SseInt.AvgB));
        Bin(Mnemonic.Pavgw, Mnemonic.Vpavgw, si, nameof(SseInt.AvgW));
        Bin(Mnemonic.Psadbw, Mnemonic.Vpsadbw, si, nameof(SseInt.Sadbw));
        Bin(Mnemonic.Punpcklbw, Mnemonic.Vpunpcklbw, si, nameof(SseInt.Interleave), 1, 16, false);
        Bin(Mnemonic.Punpcklwd, Mnemonic.Vpunpcklwd, si, nameof(SseInt.Interleave), 2, 16, false);
        Bin(Mnemonic.Punpckldq, Mnemonic.Vpunpckldq, si, nameof(SseInt.Interleave), 4, 16, false);
        Bin(Mnemonic.Punpcklqdq, Mnemonic.Vpunpcklqdq, si, nameof(SseInt.Interleave), 8, 16, false);
        Bin(Mnemonic.Punpckhbw, Mnemonic.Vpunpckhbw, si, nameof(SseInt.Interleave), 1, 16, true);
        Bin(Mnemonic.Punpckhwd, Mnemonic.Vpunpckhwd, si, nameof(SseInt.Interleave), 2, 16, true);
        Bin(Mnemonic.Punpckhdq, Mnemonic.Vpunpckhdq, si, nameof(SseInt.Interleave), 4, 16, true);
        Bin(Mnemonic.Punpckhqdq, Mnemonic.Vpunpckhqdq, si, nameof(SseInt.Interleave), 8, 16, true);
        Bin(Mnemonic.Unpcklps, Mnemonic.Vunpcklps, si, nameof(SseInt.Interleave), 4, 16, false);
        Bin(Mnemonic.Unpckhps, Mnemonic.Vunpckhps, si, nameof(SseInt.Interleave), 4, 16, true);
        Bin(Mnemonic.Unpcklpd, Mnemonic.Vunpcklpd, si, nameof(SseInt.Interleave), 8, 16, false);
        Bin(Mnemonic.Unpckhpd, Mnemonic.Vunpckhpd, si, nameof(SseInt.Interleave), 8, 16, true);
        Bin(Mnemonic.Packsswb, Mnemonic.Vpacksswb, si, nameof(SseInt.PackWB), 16, false);
        Bin(Mnemonic.Packuswb, Mnemonic.Vpackuswb, si, nameof(SseInt.PackWB), 16, true);
        Bin(Mnemonic.Packssdw, Mnemonic.Vpackssdw, si, nameof(SseInt.PackDW), 16);

        var s3 = typeof(Ssse3Int);
        Bin(Mnemonic.Pshufb, Mnemonic.Vpshufb, s3, nameof(Ssse3Int.Pshufb), 16);
        Bin(Mnemonic.Phaddw, Mnemonic.Vphaddw, s3, nameof(Ssse3Int.HaddW), 16);
        Bin(Mnemonic.Phaddd, Mnemonic.Vphaddd, s3, nameof(Ssse3Int.HaddD), 16);
        Bin(Mnemonic.Phaddsw, Mnemonic.Vphaddsw, s3, nameof(Ssse3Int.HaddSW), 16);
        Bin(Mnemonic.Phsubw, Mnemonic.Vphsubw, s3, nameof(Ssse3Int.HsubW), 16);
        Bin(Mnemonic.Phsubd, Mnemonic.Vphsubd, s3, nameof(Ssse3Int.HsubD), 16);
        Bin(Mnemonic.Phsubsw, Mnemonic.Vphsubsw, s3, nameof(Ssse3Int.HsubSW), 16);
        Bin(Mnemonic.Pmaddubsw, Mnemonic.Vpmaddubsw, s3, nameof(Ssse3Int.MaddUbsW));
        Bin(Mnemonic.Pmulhrsw, Mnemonic.Vpmulhrsw, s3, nameof(Ssse3Int.MulHrsW));
        Bin(Mnemonic.Psignb, Mnemonic.Vpsignb, s3, nameof(Ssse3Int.SignB));
        Bin(Mnemonic.Psignw, Mnemonic.Vpsignw, s3, nameof(Ssse3Int.SignW));
        Bin(Mnemonic.Psignd, Mnemonic.Vpsignd, s3, nameof(Ssse3Int.SignD));
        Both(Mnemonic.Pabsb, Mnemonic.Vpabsb, new VecForm(H(s3, nameof(Ssse3Int.AbsB)), VecShape.Un, false, []));
        Both(Mnemonic.Pabsw, Mnemonic.Vpabsw, new VecForm(H(s3, nameof(Ssse3Int.AbsW)), VecShape.Un, false, []));
        Both(Mnemonic.Pabsd, Mnemonic.Vpabsd, new VecForm(H(s3, nameof(Ssse3Int.AbsD)), VecShape.Un, false, []));
        Both(Mnemonic.Palignr, Mnemonic.Vpalignr, new VecForm(H(s3, nameof(Ssse3Int.Alignr)), VecShape.Bin, true, [16]));

        var s4 = typeof(Sse41Int);
        Bin(Mnemonic.Pminsb, Mnemonic.Vpminsb, s4, nameof(Sse41Int.MinSB));
        Bin(Mnemonic.Pmaxsb, Mnemonic.Vpmaxsb, s4, nameof(Sse41Int.MaxSB));
        Bin(Mnemonic.Pminuw, Mnemonic.Vpminuw, s4, nameof(Sse41Int.MinUW));
        Bin(Mnemonic.Pmaxuw, Mnemonic.Vpmaxuw, s4, nameof(Sse41Int.MaxUW));
        Bin(Mnemonic.Pminsd, Mnemonic.Vpminsd, s4, nameof(Sse41Int.MinSD));
        Bin(Mnemonic.Pmaxsd, Mnemonic.Vpmaxsd, s4, nameof(Sse41Int.MaxSD));
        Bin(Mnemonic.Pminud, Mnemonic.Vpminud, s4, nameof(Sse41Int.MinUD));
        Bin(Mnemonic.Pmaxud, Mnemonic.Vpmaxud, s4, nameof(Sse41Int.MaxUD));
        Bin(Mnemonic.Pmulld, Mnemonic.Vpmulld, s4, nameof(Sse41Int.MulLoD));
        Bin(Mnemonic.Pmuldq, Mnemonic.Vpmuldq, s4, nameof(Sse41Int.MulDQ));
        Bin(Mnemonic.Pcmpeqq, Mnemonic.Vpcmpeqq, s4, nameof(Sse41Int.CmpEqQ));
        Bin(Mnemonic.Pcmpgtq, Mnemonic.Vpcmpgtq, s4, nameof(Sse41Int.CmpGtQ));
        Bin(Mnemonic.Packusdw, Mnemonic.Vpackusdw, s4, nameof(Sse41Int.PackUsDW));

        Both(Mnemonic.Shufps, Mnemonic.Vshufps, new VecForm(H(si, nameof(SseInt.ShufPs)), VecShape.Bin, true, []));
        Both(Mnemonic.Shufpd, Mnemonic.Vshufpd, new VecForm(H(si, nameof(SseInt.ShufPd)), VecShape.Bin, true, [], 2));
        Both(Mnemonic.Pblendw, Mnemonic.Vpblendw, new VecForm(H(typeof(SimdLanes), nameof(SimdLanes.BlendW)), VecShape.Bin, true, []));
        t.Add(Mnemonic.Vpblendd, new VecForm(H(typeof(SimdLanes), nameof(SimdLanes.BlendD)), VecShape.Bin, true, [], 4));

        Both(Mnemonic.Pshufd, Mnemonic.Vpshufd, new VecForm(H(si, nameof(SseInt.ShuffleD)), VecShape.Un, true, []));
        Both(Mnemonic.Pshuflw, Mnemonic.Vpshuflw, new VecForm(H(si, nameof(SseInt.ShuffleW)), VecShape.Un, true, [0]));
        Both(Mnemonic.Pshufhw, Mnemonic.Vpshufhw, new VecForm(H(si, nameof(SseInt.ShuffleW)), VecShape.Un, true, [4]));
        Both(Mnemonic.Pslldq, Mnemonic.Vpslldq, new VecForm(H(si, nameof(SseInt.ByteShiftLeft)), VecShape.In, true, []));
        Both(Mnemonic.Psrldq, Mnemonic.Vpsrldq, new VecForm(H(si, nameof(SseInt.ByteShiftRight)), VecShape.In, true, []));
        (Mnemonic, Mnemonic, string, int)[] shifts =
        [
            (Mnemonic.Psllw, Mnemonic.Vpsllw, nameof(SseInt.Sll), 16), (Mnemonic.Pslld, Mnemonic.Vpslld, nameof(SseInt.Sll), 32),
            (Mnemonic.Psllq, Mnemonic.Vpsllq, nameof(SseInt.Sll), 64), (Mnemonic.Psrlw, Mnemonic.Vpsrlw, nameof(SseInt.Srl), 16),
            (Mnemonic.Psrld, Mnemonic.Vpsrld, nameof(SseInt.Srl), 32), (Mnemonic.Psrlq, Mnemonic.Vpsrlq, nameof(SseInt.Srl), 64),
            (Mnemonic.Psraw, Mnemonic.Vpsraw, nameof(SseInt.Sra), 16), (Mnemonic.Psrad, Mnemonic.Vpsrad, nameof(SseInt.Sra), 32),
        ];
        foreach (var (legacy, vex, name, bits) in shifts) Both(legacy, vex, new VecForm(H(si, name), VecShape.In, true, [bits]));
        return t;
    }

    private static bool Imm8(in Instruction i, int op) => i.GetOpKind(op) == OpKind.Immediate8;
    private static bool VecOrMem(in Instruction i, int op) => Vec(i, op) || Mem(i, op);

    /// <summary>The source operands of <paramref name="f"/> in instruction <paramref name="i"/>, or null when its
    /// operands are not a shape translated inline (MMX forms, shifts by a register count, EVEX).</summary>
    private static int[]? VecSources(in Instruction i, VecForm f)
    {
        int imm = f.Imm ? 1 : 0;
        if (i.Encoding == EncodingKind.Legacy)
        {
            if (!Xmm(i, 0)) return null;
            return f.Shape switch
            {
                VecShape.Bin when i.OpCount == 2 + imm && XmmOrMem(i, 1) && (!f.Imm || Imm8(i, 2)) => [0, 1],
                VecShape.Un when i.OpCount == 2 + imm && XmmOrMem(i, 1) && (!f.Imm || Imm8(i, 2)) => [1],
                VecShape.In when i.OpCount == 2 && Imm8(i, 1) => [0],
                _ => null,
            };
        }
        if (i.Encoding != EncodingKind.VEX || !Vec(i, 0)) return null;
        return f.Shape switch
        {
            VecShape.Bin when i.OpCount == 3 + imm && Vec(i, 1) && VecOrMem(i, 2) && (!f.Imm || Imm8(i, 3)) => [1, 2],
            VecShape.Un when i.OpCount == 2 + imm && VecOrMem(i, 1) && (!f.Imm || Imm8(i, 2)) => [1],
            _ => null,
        };
    }

    /// <summary>Legacy packed float arithmetic: (double, operation number of <see cref="PackedFloat"/>) or null.</summary>
    private static (bool Double, int Op)? PackedFloatOp(Code c) => c switch
    {
        Code.Addpd_xmm_xmmm128 => (true, 0), Code.Subpd_xmm_xmmm128 => (true, 1), Code.Mulpd_xmm_xmmm128 => (true, 2),
        Code.Divpd_xmm_xmmm128 => (true, 3), Code.Minpd_xmm_xmmm128 => (true, 4), Code.Maxpd_xmm_xmmm128 => (true, 5),
        Code.Addps_xmm_xmmm128 => (false, 0), Code.Subps_xmm_xmmm128 => (false, 1), Code.Mulps_xmm_xmmm128 => (false, 2),
        Code.Divps_xmm_xmmm128 => (false, 3), Code.Minps_xmm_xmmm128 => (false, 4), Code.Maxps_xmm_xmmm128 => (false, 5),
        _ => null,
    };

    /// <summary>The forms <see cref="EmitVector"/> translates.</summary>
    private static bool CanInlineVector(in Instruction i)
    {
        if (VecForms.TryGetValue(i.Mnemonic, out var f)) return VecSources(i, f) != null;
        if (PackedFloatOp(i.Code) != null) return Xmm(i, 0) && XmmOrMem(i, 1);
        switch (i.Code)
        {
            case Code.Ptest_xmm_xmmm128: return Xmm(i, 0) && XmmOrMem(i, 1);
            case Code.VEX_Vptest_xmm_xmmm128 or Code.VEX_Vptest_ymm_ymmm256: return Vec(i, 0) && VecOrMem(i, 1);
            case Code.VEX_Vpmovmskb_r32_xmm or Code.VEX_Vpmovmskb_r32_ymm: return Gpr(i, 0) && Vec(i, 1);
            case Code.VEX_Vzeroupper: return true;
            case Code.VEX_Vpbroadcastb_xmm_xmmm8 or Code.VEX_Vpbroadcastb_ymm_xmmm8 or Code.VEX_Vpbroadcastw_xmm_xmmm16
                or Code.VEX_Vpbroadcastw_ymm_xmmm16 or Code.VEX_Vpbroadcastd_xmm_xmmm32 or Code.VEX_Vpbroadcastd_ymm_xmmm32
                or Code.VEX_Vpbroadcastq_xmm_xmmm64 or Code.VEX_Vpbroadcastq_ymm_xmmm64:
                return Vec(i, 0) && XmmOrMem(i, 1);
            case Code.VEX_Vmovd_xmm_rm32 or Code.VEX_Vmovq_xmm_rm64: return Xmm(i, 0) && RegOrMem(i, 1);
            case Code.VEX_Vmovq_xmm_xmmm64: return Xmm(i, 0) && XmmOrMem(i, 1);
            case Code.VEX_Vmovd_rm32_xmm or Code.VEX_Vmovq_rm64_xmm: return RegOrMem(i, 0) && Xmm(i, 1);
            case Code.VEX_Vmovq_xmmm64_xmm: return XmmOrMem(i, 0) && Xmm(i, 1);
            default: return false;
        }
    }

    private LocalBuilder? _vsrc256;

    private bool EmitVector(in Instruction i)
    {
        if (VecForms.TryGetValue(i.Mnemonic, out var f))
        {
            if (VecSources(i, f) is not { } src) return false;
            EmitLanes(i, f, src);
            return true;
        }
        if (PackedFloatOp(i.Code) is { } pf)
        {
            LoadVecMemory(i, [1], wide: false, aligned: true);
            Ld(_st); Int(XmmIndex(i, 0)); PushLane(i, 1, 0, wide: false); Int(pf.Op);
            _il.Emit(OpCodes.Call, typeof(PackedFloat).GetMethod(pf.Double ? nameof(PackedFloat.Pd) : nameof(PackedFloat.Ps))!);
            CheckSimd();
            return true;
        }
        switch (i.Code)
        {
            case Code.Ptest_xmm_xmmm128 or Code.VEX_Vptest_xmm_xmmm128 or Code.VEX_Vptest_ymm_ymmm256:
            {
                bool vex = i.Encoding == EncodingKind.VEX, wide = vex && i.Op0Register.IsYMM();
                int[] ops = [0, 1];
                LoadVecMemory(i, ops, wide, aligned: !vex);
                var ptest = typeof(Sse41Int).GetMethod(nameof(Sse41Int.PtestFlags))!;
                // Both lanes' ZF (CF) must hold: the flags of the two halves, ANDed.
                PushLane(i, 0, 0, wide); PushLane(i, 1, 0, wide); _il.Emit(OpCodes.Call, ptest);
                if (wide) { PushLane(i, 0, 1, wide); PushLane(i, 1, 1, wide); _il.Emit(OpCodes.Call, ptest); Op(OpCodes.And); }
                St(_tr);
                Ld(_fl); I8(~Flags.Status); Op(OpCodes.And); Ld(_tr); Op(OpCodes.Or); St(_fl);
                FlagsWritten();
                return true;
            }
            case Code.VEX_Vpmovmskb_r32_xmm or Code.VEX_Vpmovmskb_r32_ymm:
                Ld(_st); Int(VecIndex(i, 1));
                _il.Emit(OpCodes.Call, i.Op1Register.IsYMM() ? typeof(PackedVex).GetMethod(nameof(PackedVex.MoveMask256))! : Packed(nameof(PackedSse.MoveMask)));
                St(_tr);
                StoreReg(i.Op0Register, () => Ld(_tr));
                return true;
            case Code.VEX_Vzeroupper:
                Ld(_st); _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(nameof(PackedVex.ZeroUpper))!);
                return true;
            case Code.VEX_Vpbroadcastb_xmm_xmmm8 or Code.VEX_Vpbroadcastb_ymm_xmmm8 or Code.VEX_Vpbroadcastw_xmm_xmmm16
                or Code.VEX_Vpbroadcastw_ymm_xmmm16 or Code.VEX_Vpbroadcastd_xmm_xmmm32 or Code.VEX_Vpbroadcastd_ymm_xmmm32
                or Code.VEX_Vpbroadcastq_xmm_xmmm64 or Code.VEX_Vpbroadcastq_ymm_xmmm64:
            {
                int size = i.Mnemonic switch { Mnemonic.Vpbroadcastb => 1, Mnemonic.Vpbroadcastw => 2, Mnemonic.Vpbroadcastd => 4, _ => 8 };
                if (i.Op1Kind == OpKind.Memory) LoadMem(_addr, size);
                else LoadXmmLow(XmmIndex(i, 1), 8);
                St(_tb);
                Ld(_st); Int(VecIndex(i, 0)); Ld(_tb); Int(size); Bool(i.Op0Register.IsYMM());
                _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(nameof(PackedVex.Broadcast))!);
                return true;
            }
            case Code.VEX_Vmovd_xmm_rm32 or Code.VEX_Vmovq_xmm_rm64 or Code.VEX_Vmovq_xmm_xmmm64:
            {
                int size = i.Code == Code.VEX_Vmovd_xmm_rm32 ? 4 : 8;
                if (Xmm(i, 1)) LoadXmmLow(XmmIndex(i, 1), 8);
                else Read(i, 1, size);
                St(_tb);
                Ld(_st); Int(XmmIndex(i, 0)); Ld(_tb);
                _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(nameof(PackedVex.MoveScalar))!);
                return true;
            }
            case Code.VEX_Vmovq_xmmm64_xmm when i.Op0Kind == OpKind.Register:
                LoadXmmLow(XmmIndex(i, 1), 8); St(_tb);
                Ld(_st); Int(XmmIndex(i, 0)); Ld(_tb);
                _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(nameof(PackedVex.MoveScalar))!);
                return true;
            case Code.VEX_Vmovd_rm32_xmm or Code.VEX_Vmovq_rm64_xmm or Code.VEX_Vmovq_xmmm64_xmm:
            {
                int size = i.Code == Code.VEX_Vmovd_rm32_xmm ? 4 : 8;
                LoadXmmLow(XmmIndex(i, 1), size); St(_tb);
                Write(i, 0, size, () => Ld(_tb));
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>dest = op(sources) on the low lane, and on the high lane for VEX.256 (VEX.128 zeroes it; legacy
    /// SSE keeps it). The high lane is written first: the low lane's sources are unaffected by it, so a
    /// destination that is also a source is read before it is written.</summary>
    private void EmitLanes(in Instruction i, VecForm f, int[] src)
    {
        bool vex = i.Encoding == EncodingKind.VEX, wide = vex && i.Op0Register.IsYMM();
        int d = VecIndex(i, 0);
        LoadVecMemory(i, src, wide, aligned: !vex);
        if (vex)
        {
            LdState(VecOffset + 32 * d + 16);
            if (wide) CallLane(i, f, src, 1, wide);
            else _il.Emit(OpCodes.Call, V128Zero);
            _il.Emit(OpCodes.Stobj, V128);
        }
        LdState(VecOffset + 32 * d);
        CallLane(i, f, src, 0, wide);
        _il.Emit(OpCodes.Stobj, V128);
    }

    private static readonly MethodInfo V128Zero = typeof(Vector128<byte>).GetProperty(nameof(Vector128<byte>.Zero))!.GetMethod!;

    /// <summary>A memory source is read once into a local: the page check and load inline; when they refuse, the
    /// registers are published and the full checked (for legacy forms, aligned) read runs, which faults with the
    /// state as of this instruction or completes a page-crossing access.</summary>
    private void LoadVecMemory(in Instruction i, int[] src, bool wide, bool aligned)
    {
        foreach (int o in src)
        {
            if (i.GetOpKind(o) != OpKind.Memory) continue;
            LocalBuilder v = wide ? _vsrc256 ??= _il.DeclareLocal(typeof(Vector256<byte>)) : _vsrc ??= _il.DeclareLocal(V128);
            Ld(_mem); Ld(_addr);
            if (!wide) Bool(aligned);
            _il.Emit(OpCodes.Ldloca, v);
            _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(wide ? nameof(PackedVex.TryRead256) : nameof(PackedVex.TryRead))!);
            _il.Emit(OpCodes.Brtrue, NextLabel(out var ok));
            // Only this path publishes: what the translator knows about pending flags holds on the other.
            var lazy = _lazy;
            Publish(_cur);
            _lazy = lazy;
            Ld(_mem); Ld(_addr);
            if (wide) _il.Emit(OpCodes.Call, typeof(PackedVex).GetMethod(nameof(PackedVex.Read256))!);
            else { Bool(aligned); _il.Emit(OpCodes.Call, Packed(nameof(PackedSse.Read))); }
            St(v);
            _il.MarkLabel(ok);
        }
    }

    /// <summary>Pushes 128-bit lane <paramref name="lane"/> of source operand <paramref name="op"/>.</summary>
    private void PushLane(in Instruction i, int op, int lane, bool wide)
    {
        if (i.GetOpKind(op) == OpKind.Memory)
        {
            if (wide)
            {
                _il.Emit(OpCodes.Ldloca, _vsrc256!);
                if (lane == 1) { Int(16); Op(OpCodes.Add); }
                _il.Emit(OpCodes.Ldobj, V128);
            }
            else Ld(_vsrc!);
            return;
        }
        LdState(VecOffset + 32 * VecIndex(i, op) + 16 * lane);
        _il.Emit(OpCodes.Ldobj, V128);
    }

    private void CallLane(in Instruction i, VecForm f, int[] src, int lane, bool wide)
    {
        foreach (int o in src) PushLane(i, o, lane, wide);
        var ps = f.Op.GetParameters();
        int p = src.Length;
        if (f.Imm)
        {
            int imm = i.Immediate8 >> (lane == 1 ? f.UpperShift : 0);
            if (ps[p].ParameterType == typeof(ulong)) I8((ulong)imm); else Int(imm);
            p++;
        }
        foreach (var e in f.Extra)
        {
            if (e is bool b) Bool(b);
            else Int((int)e);
            p++;
        }
        if (p != ps.Length) throw new InvalidOperationException($"{f.Op.Name} takes {ps.Length} arguments, {p} given");
        _il.Emit(OpCodes.Call, f.Op);
    }
}
