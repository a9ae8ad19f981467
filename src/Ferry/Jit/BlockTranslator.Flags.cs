using System.Reflection;
using System.Reflection.Emit;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Jit;

// Status flags and conditions as direct IL, specialised for the operand size. They compute what Flags.Add, Sub
// and Logic and Flags.Condition compute (JitFormTests checks every inline form against the host CPU with its
// flags live); emitting them directly rather than as calls saves RyuJIT inlining five nested helpers per
// producer, which was most of its time on the integer-heavy programs.
internal sealed partial class BlockTranslator
{
    /// <summary>How the flags of an arithmetic producer are derived from a, b and r.</summary>
    private enum FlagRule { Add, Sub, Logic }

    /// <summary>fl = its bits outside <paramref name="mask"/>, and the status flags in <paramref name="mask"/> of
    /// r = a ± b (± <paramref name="carry"/>, a 0/1 value) of <paramref name="size"/> bytes. a, b and r are
    /// zero-extended to 64 bits and r is masked to the size, as Read and Mask leave them; Logic reads only r.</summary>
    private void EmitFlags(FlagRule rule, int size, LocalBuilder a, LocalBuilder b, LocalBuilder r, LocalBuilder? carry, ulong mask = Flags.Status)
    {
        var il = _il;
        // A partial update merges into flags that must be exact first.
        if (mask != Flags.Status) EnsureFlags();
        int top = size * 8 - 1;
        Ld(_fl); I8(~mask); Op(OpCodes.And);
        OrResultFlags(r, size);
        if (rule != FlagRule.Logic)
        {
            // AF: the carry out of bit 3.
            Ld(a); Ld(b); Op(OpCodes.Xor); Ld(r); Op(OpCodes.Xor); I8(Flags.AF); Op(OpCodes.And); Op(OpCodes.Or);
            // OF: operands of the same sign (add) or of different signs (sub) and a result of another sign.
            if (rule == FlagRule.Add) { Ld(a); Ld(r); Op(OpCodes.Xor); Ld(b); Ld(r); Op(OpCodes.Xor); }
            else { Ld(a); Ld(b); Op(OpCodes.Xor); Ld(a); Ld(r); Op(OpCodes.Xor); }
            Op(OpCodes.And); ShiftTo(top, 11); I8(Flags.OF); Op(OpCodes.And); Op(OpCodes.Or);
            if ((mask & Flags.CF) != 0)
            {
                // CF: the result wrapped (r < a for add, a < b for sub), or equal with a carry in.
                if (rule == FlagRule.Add) { Ld(r); Ld(a); } else { Ld(a); Ld(b); }
                Op(OpCodes.Clt_Un);
                if (carry != null)
                {
                    if (rule == FlagRule.Add) { Ld(r); Ld(a); } else { Ld(a); Ld(b); }
                    Op(OpCodes.Ceq); Ld(carry); Op(OpCodes.Conv_I4); Op(OpCodes.And); Op(OpCodes.Or);
                }
                Op(OpCodes.Conv_U8); Op(OpCodes.Or);
            }
        }
        St(_fl);
        FlagsWritten();
    }

    // ---- lazy flags ----

    private static readonly MethodInfo MaterializeFlags = typeof(LazyFlags).GetMethod(nameof(LazyFlags.Materialize))!;

    /// <summary>What the emitter knows, at the current point of a block, about the lazy record
    /// (<see cref="_lk"/> and its operands): none pending, one pending, or unknown (at a block's start, where a
    /// predecessor in the region may have left one).</summary>
    private enum LazyState { Clear, Pending, Unknown }

    private LazyState _lazy;
    // The instructions whose flags are recorded instead of computed (only a fault or an exit may observe them).
    private bool[] _lazyAt = null!;
    private bool _anyLazy;
    private LocalBuilder _lk = null!, _la = null!, _lb = null!, _lr = null!;

    /// <summary>Marks the producers whose flags can be kept lazily: those of the kinds LazyFlags knows whose
    /// flags no instruction reads, but a fault, a fall-back or an exit might observe.</summary>
    private void PlanLazyFlags()
    {
        _lazyAt = new bool[_ins.Length];
        if (_verify) return;
        for (int n = 0; n < _ins.Length; n++)
        {
            ref Instruction i = ref _ins[n];
            if (!_inline[n] || i.Mnemonic is not (Mnemonic.Add or Mnemonic.Sub or Mnemonic.Cmp or Mnemonic.And or Mnemonic.Or
                or Mnemonic.Xor or Mnemonic.Test or Mnemonic.Neg)) continue;
            ulong mod = ToFlags(i.RflagsModified);
            if ((_realAfter[n] & mod) == 0 && (_liveAfter[n] & mod) != 0) _lazyAt[n] = _anyLazy = true;
        }
    }

    private void DeclareLazyLocals()
    {
        if (!_anyLazy) return;
        _lk = _il.DeclareLocal(typeof(int));
        _la = _il.DeclareLocal(typeof(ulong));
        _lb = _il.DeclareLocal(typeof(ulong));
        _lr = _il.DeclareLocal(typeof(ulong));
    }

    /// <summary>At a block's start: control may come from a predecessor that left a record.</summary>
    private void LazyBlockStart() => _lazy = _anyLazy ? LazyState.Unknown : LazyState.Clear;

    /// <summary>Records the flags of r = a ± b (or of logic result r) instead of computing them.</summary>
    private void RecordFlags(FlagRule rule, int size, LocalBuilder a, LocalBuilder b, LocalBuilder r)
    {
        _il.Emit(OpCodes.Ldc_I4, LazyFlags.Kind(rule switch { FlagRule.Add => LazyFlags.Add, FlagRule.Sub => LazyFlags.Sub, _ => LazyFlags.Logic }, size));
        St(_lk);
        if (rule != FlagRule.Logic) { Ld(a); St(_la); Ld(b); St(_lb); }
        Ld(r); St(_lr);
        _lazy = LazyState.Pending;
    }

    /// <summary>Computes the flags producer <paramref name="n"/> modifies, now or lazily, if anything may see them.</summary>
    private void ProduceFlags(int n, FlagRule rule, int size, LocalBuilder a, LocalBuilder b, LocalBuilder r)
    {
        if (_lazyAt[n]) RecordFlags(rule, size, a, b, r);
        else if ((_liveAfter[n] & ToFlags(_ins[n].RflagsModified)) != 0) EmitFlags(rule, size, a, b, r, null);
    }

    /// <summary>After an instruction replaced every status flag in <see cref="_fl"/>: a pending record is stale.</summary>
    private void FlagsWritten()
    {
        if (_lazy != LazyState.Clear) { _il.Emit(OpCodes.Ldc_I4_0); St(_lk); }
        _lazy = LazyState.Clear;
    }

    /// <summary>Before code that reads <see cref="_fl"/> (or publishes it): computes a pending record's flags.</summary>
    private void EnsureFlags()
    {
        if (_lazy == LazyState.Clear) return;
        EmitMaterialize();
        _lazy = LazyState.Clear;
    }

    /// <summary>if (lk != 0) { fl = Materialize(fl, record); lk = 0; }</summary>
    private void EmitMaterialize()
    {
        if (!_anyLazy) return;
        Ld(_lk);
        _il.Emit(OpCodes.Brfalse, NextLabel(out var done));
        Ld(_fl); Ld(_lk); Ld(_la); Ld(_lb); Ld(_lr);
        _il.Emit(OpCodes.Call, MaterializeFlags);
        St(_fl);
        _il.Emit(OpCodes.Ldc_I4_0); St(_lk);
        _il.MarkLabel(done);
        _dirty[16] = true;
    }

    /// <summary>ORs ZF, SF and PF of result <paramref name="r"/> (masked to <paramref name="size"/> bytes) into
    /// the ulong on the stack.</summary>
    private void OrResultFlags(LocalBuilder r, int size)
    {
        var il = _il;
        // ZF
        Ld(r); I8(0); Op(OpCodes.Ceq); Op(OpCodes.Conv_U8); il.Emit(OpCodes.Ldc_I4_6); Op(OpCodes.Shl); Op(OpCodes.Or);
        // SF: the sign bit moved to bit 7.
        Ld(r); ShiftTo(size * 8 - 1, 7); I8(Flags.SF); Op(OpCodes.And); Op(OpCodes.Or);
        // PF: even parity of the low byte, from a 16-entry table of nibble parities (0x9669) placed at bit 2.
        il.Emit(OpCodes.Ldc_I4, 0x9669 << 2);
        Ld(r); Ld(r); il.Emit(OpCodes.Ldc_I4_4); Op(OpCodes.Shr_Un); Op(OpCodes.Xor); Op(OpCodes.Conv_I4);
        il.Emit(OpCodes.Ldc_I4, 15); Op(OpCodes.And); Op(OpCodes.Shr); il.Emit(OpCodes.Ldc_I4_4); Op(OpCodes.And);
        Op(OpCodes.Conv_U8); Op(OpCodes.Or);
    }

    /// <summary>The flags of a shift or rotate by the non-zero masked immediate <paramref name="count"/> (or, when
    /// it is -1, by the non-zero masked count in <see cref="_count"/>) of a (in <see cref="_ta"/>, zero-extended) to
    /// r (in <see cref="_tr"/>, masked), as the interpreter's Shifts sets them: SHL/SHR/SAR replace every status
    /// flag (AF cleared, OF from the last step's rule), ROL/ROR only CF and OF.</summary>
    private void EmitShiftFlags(Mnemonic m, int size, int count)
    {
        var il = _il;
        int bits = size * 8, top = bits - 1;
        bool rotate = m is Mnemonic.Rol or Mnemonic.Ror;
        if (rotate) EnsureFlags();
        // The count less one, the position of the last bit shifted out (counts are at most 63).
        void LastOut()
        {
            if (count < 0) { Ld(_count!); il.Emit(OpCodes.Ldc_I4_1); Op(OpCodes.Sub); }
            else il.Emit(OpCodes.Ldc_I4, Math.Min(count - 1, 63));
        }
        // CF into _tc (0 or 1).
        switch (m)
        {
            case Mnemonic.Shl or Mnemonic.Sal:
                // The last bit shifted out is bit (bits - count) of a; none when the count exceeds an 8/16-bit width.
                if (count < 0 && size == 8) { Ld(_ta); il.Emit(OpCodes.Ldc_I4, 64); Ld(_count!); Op(OpCodes.Sub); Op(OpCodes.Shr_Un); I8(1); Op(OpCodes.And); }
                else if (count < 0) { Ld(_ta); Ld(_count!); Op(OpCodes.Shl); il.Emit(OpCodes.Ldc_I4, bits); Op(OpCodes.Shr_Un); I8(1); Op(OpCodes.And); }
                else if (count <= bits) { Ld(_ta); il.Emit(OpCodes.Ldc_I4, bits - count); Op(OpCodes.Shr_Un); I8(1); Op(OpCodes.And); }
                else I8(0);
                break;
            case Mnemonic.Shr:
                Ld(_ta); LastOut(); Op(OpCodes.Shr_Un); I8(1); Op(OpCodes.And);
                break;
            case Mnemonic.Sar:
                Ld(_ta); SignExtend(size); LastOut(); Op(OpCodes.Shr); I8(1); Op(OpCodes.And);
                break;
            case Mnemonic.Rol:
                Ld(_tr); I8(1); Op(OpCodes.And);
                break;
            default: // ROR
                Ld(_tr); il.Emit(OpCodes.Ldc_I4, top); Op(OpCodes.Shr_Un); I8(1); Op(OpCodes.And);
                break;
        }
        St(_tc);
        Ld(_fl); I8(~(rotate ? Flags.CF | Flags.OF : Flags.Status)); Op(OpCodes.And);
        Ld(_tc); Op(OpCodes.Or);
        if (!rotate) OrResultFlags(_tr, size);
        // OF at bit 11.
        switch (m)
        {
            case Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Rol: // msb(r) ^ CF
                Ld(_tr); il.Emit(OpCodes.Ldc_I4, top); Op(OpCodes.Shr_Un); Ld(_tc); Op(OpCodes.Xor);
                il.Emit(OpCodes.Ldc_I4, 11); Op(OpCodes.Shl); Op(OpCodes.Or);
                break;
            case Mnemonic.Shr: // msb(a)
                Ld(_ta); ShiftTo(top, 11); I8(Flags.OF); Op(OpCodes.And); Op(OpCodes.Or);
                break;
            case Mnemonic.Ror: // msb(r) ^ the bit below it
                Ld(_tr); Ld(_tr); il.Emit(OpCodes.Ldc_I4_1); Op(OpCodes.Shl); Op(OpCodes.Xor);
                ShiftTo(top, 11); I8(Flags.OF); Op(OpCodes.And); Op(OpCodes.Or);
                break;
        }
        St(_fl);
        if (!rotate) FlagsWritten();
    }

    /// <summary>Moves bit <paramref name="from"/> of the ulong on the stack to bit <paramref name="to"/>.</summary>
    private void ShiftTo(int from, int to)
    {
        if (from > to) { _il.Emit(OpCodes.Ldc_I4, from - to); Op(OpCodes.Shr_Un); }
        else if (from < to) { _il.Emit(OpCodes.Ldc_I4, to - from); Op(OpCodes.Shl); }
    }

    /// <summary>Pushes condition <paramref name="cc"/> (0–15, as <see cref="Flags.Condition"/> takes it) of
    /// RFLAGS in <see cref="_fl"/> as an int 0 or 1.</summary>
    private void FlagCondition(int cc)
    {
        var il = _il;
        void Bit(int b) { Ld(_fl); if (b != 0) { il.Emit(OpCodes.Ldc_I4, b); Op(OpCodes.Shr_Un); } }
        switch (cc >> 1)
        {
            case 0: Bit(11); break;                                     // OF
            case 1: Bit(0); break;                                      // CF
            case 2: Bit(6); break;                                      // ZF
            case 3: Bit(0); Bit(6); Op(OpCodes.Or); break;              // CF or ZF
            case 4: Bit(7); break;                                      // SF
            case 5: Bit(2); break;                                      // PF
            case 6: Bit(7); Bit(11); Op(OpCodes.Xor); break;            // SF != OF
            default: Bit(7); Bit(11); Op(OpCodes.Xor); Bit(6); Op(OpCodes.Or); break; // ZF or SF != OF
        }
        Op(OpCodes.Conv_I4);
        il.Emit(OpCodes.Ldc_I4_1);
        Op(OpCodes.And);
        if ((cc & 1) != 0) { il.Emit(OpCodes.Ldc_I4_1); Op(OpCodes.Xor); }
    }
}
