using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Decoding;
using Ferry.Interpreter;
using Ferry.Memory;
using Iced.Intel;
using Label = System.Reflection.Emit.Label;
using FlowControl = Iced.Intel.FlowControl;

namespace Ferry.Jit;

/// <summary>Translates one decoded block into a <see cref="DynamicMethod"/>.</summary>
/// <remarks>
/// Why DynamicMethod rather than static methods in an AssemblyBuilder (DESIGN.md, "Execution"): a
/// DynamicMethod is collected with its block when guest code is invalidated (self-modifying code and
/// exec would otherwise leak translations in a non-collectible assembly), and it is compiled at full
/// optimization at once, which is what hot code needs. What it lacks (function pointers for chaining with
/// <c>tail. calli</c>, Tier0) matters for a later region-linking tier, not for whole-block compilation.
///
/// Shape of the generated code: the guest registers the inline instructions touch live in IL locals,
/// loaded at entry and stored at every exit and before every handler fall-back (which sees
/// <see cref="Processor.State"/>; afterwards only what Iced says the instruction writes is reloaded). There is
/// no exception handler (it would keep every local on the host stack): a guest access runs GuestMemory's fast
/// check and volatile access inline, and when the check refuses, the code publishes the instruction's index and
/// the registers changed so far and calls the full checked accessor, which faults exactly as in the interpreter
/// or completes the rare case. RFLAGS lives in a local too; an instruction computes status flags only when a
/// later reader may see them (liveness over Iced's RflagsRead/RflagsModified, across into successor blocks on
/// the same pages; everything is live at other exits, at instructions that may fault, and at fall-backs, so the
/// state a fault or a handler observes is exact), and a Jcc/SETcc/CMOVcc after CMP/SUB/ADD/TEST/logic/INC/DEC
/// is computed from that instruction's operands. Flag and condition semantics come from <see cref="Flags"/>,
/// the helpers the interpreter uses, which RyuJIT inlines. A hot block is later recompiled with the blocks it
/// branches to on its pages (a region), whose branches then stay inside the method.
/// </remarks>
internal sealed partial class BlockTranslator
{
    private static readonly FieldInfo StateField = typeof(Processor).GetField(nameof(Processor.State))!;
    private static readonly FieldInfo StopField = typeof(Processor).GetField(nameof(Processor.Stop))!;
    private static readonly MethodInfo MustLeaveGetter = typeof(Processor).GetProperty(nameof(Processor.MustLeave))!.GetGetMethod()!;
    private static readonly MethodInfo MemoryGetter = typeof(Processor).GetProperty(nameof(Processor.Memory))!.GetMethod!;
    private static readonly FieldInfo BlockField = typeof(CompiledBlock).GetField(nameof(CompiledBlock.Block))!;
    private static readonly FieldInfo ExitLiveField = typeof(CompiledBlock).GetField(nameof(CompiledBlock.ExitLive), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly FieldInfo InstructionsField = typeof(CompiledBlock).GetField(nameof(CompiledBlock.Instructions))!;
    private static readonly MethodInfo ValidGetter = typeof(Block).GetProperty(nameof(Block.Valid))!.GetMethod!;
    private static readonly MethodInfo JournalWrite = typeof(StoreJournal).GetMethod(nameof(StoreJournal.Write))!;
    private static readonly MethodInfo Swap64 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ulong)])!;
    private static readonly MethodInfo Swap32 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;
    private static readonly MethodInfo[] Reads = Accessors("Read");
    private static readonly MethodInfo[] Writes = Accessors("Write");

    // The slow paths' full accessors, out of line (see SlowAccess). Loops and arrays rather than LINQ on the first
    // compile's path: their generic code has no ReadyToRun form.
    private static MethodInfo[] Accessors(string prefix)
    {
        var m = new MethodInfo[4];
        for (int x = 0; x < 4; x++) m[x] = typeof(SlowAccess).GetMethod(prefix + (8 << x)) ?? throw new MissingMethodException(prefix + (8 << x));
        return m;
    }

    private static readonly Type[] ValueTypes = [typeof(byte), typeof(ushort), typeof(uint), typeof(ulong)];

    private static readonly int GprOffset, RipOffset, RflagsOffset, FsOffset, GsOffset, VecOffset;

    static BlockTranslator()
    {
        var s = new CpuState();
        ref byte b0 = ref Unsafe.As<CpuState, byte>(ref s);
        GprOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.Gpr[0]));
        RipOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.Rip));
        RflagsOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.Rflags));
        FsOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.FsBase));
        GsOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.GsBase));
        VecOffset = (int)Unsafe.ByteOffset(ref b0, ref Unsafe.As<ulong, byte>(ref s.Vec[0]));
    }

    private readonly Block _b;
    private readonly List<Block> _blocks;
    private readonly int[] _offset;
    private readonly Instruction[] _ins;
    private readonly nint[] _handlers;
    private Label[] _blockLabel = null!;
    private int _curBlock;
    private readonly bool _verify;
    private readonly bool[] _inline;
    private readonly ulong[] _liveAfter, _realAfter;
    private readonly bool[] _used = new bool[16];
    private readonly Func<ulong, Block?>? _successor;
    private readonly bool[] _fused, _feeds;
    private readonly ulong[] _takenLive, _fallLive;
    private Producer _producer;
    private int _producerSize;
    private LocalBuilder _fa = null!, _fb = null!, _fr = null!;
    private bool _flagsUsed;
    private ILGenerator _il = null!;
    private readonly LocalBuilder[] _reg = new LocalBuilder[16];
    private readonly LocalBuilder[] _value = new LocalBuilder[4];
    private int _cur;
    private MemoryAccessors _access = MemoryAccessors.Ordered;

    // The memory model's choice of fast path for a guest access (DESIGN.md, memory ordering): tso leaves
    // stack accesses (PUSH, POP, CALL, RET, RSP-based operands) plain, as FEX does, since a thread's stack
    // is its own unless the program hands out pointers into it.
    private MemoryAccessors AccessorsFor(LocalBuilder addr) =>
        _access.IsOrdered && (addr == _reg[CpuState.Rsp] || addr == _tc || addr == _addr && _ins[_cur].MemoryBase == Register.RSP)
            ? MemoryAccessors.Plain : _access;
    private LocalBuilder _fl = null!, _st = null!, _mem = null!, _ta = null!, _tb = null!, _tr = null!, _tc = null!, _addr = null!;
    private Label _exit;

    private BlockTranslator(Block b, bool verify, Func<ulong, Block?>? successor, bool region)
    {
        _successor = successor;
        _b = b;
        _verify = verify;
        _blocks = verify || !region ? [b] : Region(b, successor);
        _offset = new int[_blocks.Count + 1];
        for (int j = 0; j < _blocks.Count; j++) _offset[j + 1] = _offset[j] + _blocks[j].Instructions.Length;
        _ins = new Instruction[_offset[_blocks.Count]];
        _handlers = new nint[_ins.Length];
        for (int j = 0; j < _blocks.Count; j++)
        {
            Array.Copy(_blocks[j].Instructions, 0, _ins, _offset[j], _blocks[j].Instructions.Length);
            Array.Copy(_blocks[j].Handlers, 0, _handlers, _offset[j], _blocks[j].Handlers.Length);
        }
        _inline = new bool[_ins.Length];
        _liveAfter = new ulong[_ins.Length];
        _realAfter = new ulong[_ins.Length];
        _fused = new bool[_ins.Length];
        _feeds = new bool[_ins.Length];
        _takenLive = new ulong[_blocks.Count];
        _fallLive = new ulong[_blocks.Count];
    }

    // RyuJIT's time grows faster than linearly with method size, and it runs on the guest's thread.
    private const int MaxRegionBlocks = 12, MaxRegionInstructions = 200;

    /// <summary>The blocks compiled together with <paramref name="b"/>: those reachable from it by direct
    /// jumps and fall-throughs that lie on its own pages (so a store that changes any of them invalidates
    /// <paramref name="b"/>, which the code checks at every transfer between them). Branches between them
    /// stay inside the compiled code, with the guest registers in locals.</summary>
    private static List<Block> Region(Block b, Func<ulong, Block?>? successor)
    {
        var region = new List<Block> { b };
        if (successor == null) return region;
        ulong first = b.Start >> PageMap.PageShift, last = (b.End - 1) >> PageMap.PageShift;
        var seen = new HashSet<ulong> { b.Start };
        int count = b.Instructions.Length;
        for (int q = 0; q < region.Count && region.Count < MaxRegionBlocks; q++)
        {
            foreach (var t in Successors(region[q]))
            {
                if (t >> PageMap.PageShift < first || t >> PageMap.PageShift > last || !seen.Add(t)) continue;
                var sb = successor(t);
                if (sb == null || !sb.Valid || (sb.End - 1) >> PageMap.PageShift > last) continue;
                if (count + sb.Instructions.Length > MaxRegionInstructions || region.Count >= MaxRegionBlocks) return region;
                region.Add(sb);
                count += sb.Instructions.Length;
            }
        }
        return region;
    }

    /// <summary>Where a block can continue, when that is known at translation time.</summary>
    private static List<ulong> Successors(Block b)
    {
        var last = b.Instructions[^1];
        var r = new List<ulong>(2);
        if (last.Code == Code.INVALID) return r;
        if (last.Op0Kind == OpKind.NearBranch64 && last.Mnemonic == Mnemonic.Jmp) r.Add(last.NearBranchTarget);
        else if (last.Mnemonic == Mnemonic.Call)
        {
            // The callee and the return site: with both in the region, a call and its return stay in the method
            // (see EmitReturn), so recursion and calls to helpers on the same page do not leave compiled code.
            if (last.Op0Kind == OpKind.NearBranch64) r.Add(last.NearBranchTarget);
            r.Add(last.NextIP);
        }
        else if (IsConsumer(last) && last.Op0Kind == OpKind.NearBranch64)
        {
            r.Add(last.NearBranchTarget);
            r.Add(last.NextIP);
        }
        else if (last.FlowControl == FlowControl.Next) r.Add(b.End);
        return r;
    }

    /// <summary>Compiles <paramref name="b"/>. Under <paramref name="verify"/> stores are journaled and a
    /// branch back to the block's start leaves the code, so one call runs the block exactly once.
    /// <paramref name="successor"/> finds the block at an address (for the flags successors read); without it
    /// every flag is live at the block's exits. <paramref name="region"/> also compiles the blocks linked to
    /// <paramref name="b"/> (see <see cref="Region"/>) into the same method.
    /// <paramref name="accessors"/> are the guest-memory fast paths the memory model asks for (ordered when null).</summary>
    public static CompiledBlock Translate(Block b, bool verify, Func<ulong, Block?>? successor = null, bool region = false, MemoryAccessors? accessors = null)
    {
        var t = new BlockTranslator(b, verify, successor, region) { _access = accessors ?? MemoryAccessors.Ordered };
        var c = new CompiledBlock(b);
        t.Analyse();
        var dm = new DynamicMethod($"ferry_{b.Start:x}", typeof(void),
            [typeof(CompiledBlock), typeof(Processor), typeof(int).MakeByRefType()], typeof(BlockTranslator).Module, skipVisibility: true);
        t._il = dm.GetILGenerator();
        t.Emit();
        c.ILSize = t._il.ILOffset;
        c.Code = (CompiledCode)dm.CreateDelegate(typeof(CompiledCode), c);
        foreach (bool x in t._inline) if (x) c.InlineCount++;
        c.Instructions = t._ins;
        c.RegionBlocks = t._blocks.Count;
        c.Members = t._blocks;
        c.Verifiable = t.IsVerifiable();
        return c;
    }

    // ---- analysis ----------------------------------------------------------------------------------

    private static ulong ToFlags(RflagsBits b)
    {
        ulong f = 0;
        if ((b & RflagsBits.OF) != 0) f |= Flags.OF;
        if ((b & RflagsBits.SF) != 0) f |= Flags.SF;
        if ((b & RflagsBits.ZF) != 0) f |= Flags.ZF;
        if ((b & RflagsBits.AF) != 0) f |= Flags.AF;
        if ((b & RflagsBits.CF) != 0) f |= Flags.CF;
        if ((b & RflagsBits.PF) != 0) f |= Flags.PF;
        return f;
    }

    private static bool IsShift(Mnemonic m) => m is Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol
        or Mnemonic.Ror or Mnemonic.Rcl or Mnemonic.Rcr or Mnemonic.Shld or Mnemonic.Shrd;

    /// <summary>The status flags the instruction certainly replaces. A shift or rotate whose count is CL or a
    /// masked immediate of zero leaves the flags alone, so it kills nothing (DESIGN.md).</summary>
    private static ulong Kills(in Instruction i)
    {
        if (KillsInteger(i) is { } k) return k;
        if (KillsBmi(i) is { } bmi) return bmi;
        if (IsShift(i.Mnemonic))
        {
            int countOp = i.OpCount - 1;
            if (i.OpCount < 2) return ToFlags(i.RflagsModified);
            if (i.GetOpKind(countOp) == OpKind.Register) return 0;
            int size = Operands.Size(i, 0);
            if ((i.GetImmediate(countOp) & (size == 8 ? 63UL : 31UL)) == 0) return 0;
        }
        return ToFlags(i.RflagsModified);
    }

    private static bool MayFault(in Instruction i)
    {
        if (i.Mnemonic is Mnemonic.Lea or Mnemonic.Nop) return false;
        for (int n = 0; n < i.OpCount; n++) if (i.GetOpKind(n) == OpKind.Memory) return true;
        // A division raises #DE whatever its operand.
        return i.Mnemonic is Mnemonic.Push or Mnemonic.Pop or Mnemonic.Call or Mnemonic.Ret or Mnemonic.Div or Mnemonic.Idiv;
    }

    /// <summary>How a fused flag producer's result is kept for its consumer.</summary>
    private enum Producer { None, Sub, Add, Logic, IncDec }

    private static Producer ProducerOf(in Instruction i) => i.Mnemonic switch
    {
        Mnemonic.Cmp or Mnemonic.Sub => Producer.Sub,
        Mnemonic.Add => Producer.Add,
        Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Test => Producer.Logic,
        Mnemonic.Inc or Mnemonic.Dec => Producer.IncDec,
        _ => Producer.None,
    };

    /// <summary>True when condition <paramref name="cc"/> (0–15, as <see cref="Flags.Condition"/> takes it)
    /// can be computed from the producer's operands and result instead of from RFLAGS.</summary>
    private static bool Fusable(Producer p, int cc) => (cc >> 1) switch
    {
        2 or 4 => p != Producer.None,                                  // E/NE, S/NS
        1 => p is Producer.Sub or Producer.Add or Producer.Logic,      // B/AE
        3 or 6 or 7 => p is Producer.Sub or Producer.Logic,            // BE/A, L/GE, LE/G
        _ => false,                                                    // O/NO, P/NP
    };

    private static bool IsConsumer(in Instruction i) => i.ConditionCode != ConditionCode.None
        && i.Mnemonic is not (Mnemonic.Loop or Mnemonic.Loope or Mnemonic.Loopne or Mnemonic.Jrcxz or Mnemonic.Jecxz);

    /// <summary>One backward pass: the flags live after each instruction and whether it is inlined, from the
    /// flags live at the block's end. Returns the flags live at the block's start. Fused consumers read their
    /// producer's operands, not RFLAGS. Two sets: <c>live</c> counts every reader, the instructions that may
    /// fault too; <c>real</c> (in <paramref name="realAfter"/> and <paramref name="realIn"/>) only those that
    /// read RFLAGS when nothing goes wrong (consumers, fall-backs, exits to unknown code). A flag in the first
    /// set only may be kept lazily (see <see cref="LazyFlags"/>).</summary>
    private static ulong Backward(Instruction[] ins, ulong exitLive, ulong exitReal, bool[]? fused, bool[]? inline, ulong[]? liveAfter,
        ulong[]? realAfter, out ulong realIn)
    {
        ulong live = exitLive, real = exitReal;
        for (int n = ins.Length - 1; n >= 0; n--)
        {
            ref Instruction i = ref ins[n];
            if (liveAfter != null) liveAfter[n] = live;
            if (realAfter != null) realAfter[n] = real;
            bool inl = CanInline(i, live);
            if (inline != null) inline[n] = inl;
            ulong reads = fused != null && fused[n] ? 0 : ToFlags(i.RflagsRead);
            ulong realReads = inl ? reads : Flags.Status;
            // What a fault or a handler observes must be exact, so they read every flag.
            if (!inl || MayFault(i)) reads = Flags.Status;
            live = (live & ~Kills(i)) | reads;
            real = (real & ~Kills(i)) | realReads;
        }
        realIn = real;
        return live;
    }

    /// <summary>The flags code at <paramref name="target"/> may read before replacing them, from its block's
    /// instructions; everything when the block cannot be known for sure. Only a block on this block's own pages
    /// counts: a store that changes it then invalidates this block too, so the assumption cannot go stale.
    /// <paramref name="real"/>: those it reads other than at a possible fault.</summary>
    private ulong LiveIn(ulong target, out ulong real)
    {
        real = Flags.Status;
        if (_successor == null) return Flags.Status;
        ulong first = _b.Start >> PageMap.PageShift, last = (_b.End - 1) >> PageMap.PageShift;
        if (target >> PageMap.PageShift < first || target >> PageMap.PageShift > last) return Flags.Status;
        var sb = _successor(target);
        if (sb == null || (sb.End - 1) >> PageMap.PageShift > last || sb.Start >> PageMap.PageShift < first) return Flags.Status;
        return Backward(sb.Instructions, Flags.Status, Flags.Status, Fusions(sb.Instructions, out _), null, null, null, out real);
    }

    /// <summary>Consumers (Jcc, SETcc, CMOVcc) whose condition is computed from the nearest earlier flag
    /// producer in the block, and the producers that feed one.</summary>
    private static bool[] Fusions(Instruction[] ins, out bool[] feeds)
    {
        var fused = new bool[ins.Length];
        feeds = new bool[ins.Length];
        int producer = -1;
        for (int n = 0; n < ins.Length; n++)
        {
            ref Instruction i = ref ins[n];
            if (IsConsumer(i) && producer >= 0 && !MayFault(i) && CanInline(i, Flags.Status)
                && Fusable(ProducerOf(ins[producer]), (int)i.ConditionCode - 1))
            {
                fused[n] = true;
                feeds[producer] = true;
            }
            if (ToFlags(i.RflagsModified) != 0 || !CanInline(i, Flags.Status))
                producer = ProducerOf(i) != Producer.None && CanInline(i, Flags.Status) ? n : -1;
        }
        return fused;
    }

    private void Analyse()
    {
        for (int j = 0; j < _blocks.Count; j++)
        {
            var bi = _blocks[j].Instructions;
            int o = _offset[j];
            // Fusion stays inside a block: control may enter the next one from elsewhere.
            var fused = Fusions(bi, out var feeds);
            // The flags live where the block ends: what its successors may read.
            ref Instruction last = ref bi[^1];
            ulong exitLive = Flags.Status, exitReal = Flags.Status;
            _takenLive[j] = _fallLive[j] = Flags.Status;
            if (last.Op0Kind == OpKind.NearBranch64 && last.Mnemonic is Mnemonic.Jmp or Mnemonic.Call)
                exitLive = _takenLive[j] = LiveIn(last.NearBranchTarget, out exitReal);
            else if (IsConsumer(last) && last.Op0Kind == OpKind.NearBranch64)
            {
                _takenLive[j] = LiveIn(last.NearBranchTarget, out ulong takenReal);
                _fallLive[j] = LiveIn(last.NextIP, out ulong fallReal);
                exitLive = _takenLive[j] | _fallLive[j];
                exitReal = takenReal | fallReal;
            }
            else if (last.FlowControl == FlowControl.Next)
                exitLive = _fallLive[j] = LiveIn(_blocks[j].End, out exitReal);
            var inline = new bool[bi.Length];
            var liveAfter = new ulong[bi.Length];
            var realAfter = new ulong[bi.Length];
            Backward(bi, exitLive, exitReal, fused, inline, liveAfter, realAfter, out _);
            fused.CopyTo(_fused, o);
            feeds.CopyTo(_feeds, o);
            inline.CopyTo(_inline, o);
            liveAfter.CopyTo(_liveAfter, o);
            realAfter.CopyTo(_realAfter, o);
        }
        for (int n = 0; n < _ins.Length; n++)
        {
            if (!_inline[n]) continue;
            ref Instruction i = ref _ins[n];
            MarkWritten(i, _writtenInline);
            for (int o = 0; o < i.OpCount; o++)
            {
                var k = i.GetOpKind(o);
                if (k == OpKind.Register) Use(i.GetOpRegister(o));
                else if (k == OpKind.Memory) { Use(i.MemoryBase); Use(i.MemoryIndex); }
            }
            switch (i.Mnemonic)
            {
                case Mnemonic.Push or Mnemonic.Pop or Mnemonic.Call or Mnemonic.Ret: _used[CpuState.Rsp] = true; break;
                case Mnemonic.Cdqe or Mnemonic.Cwde: _used[CpuState.Rax] = true; break;
                case Mnemonic.Cdq or Mnemonic.Cqo: _used[CpuState.Rax] = _used[CpuState.Rdx] = true; break;
            }
            if (UsesRaxRdx(i)) _used[CpuState.Rax] = _used[CpuState.Rdx] = true;
            if (ReadsRdx(i)) _used[CpuState.Rdx] = true;
            if (i.RflagsRead != RflagsBits.None || i.RflagsModified != RflagsBits.None) _flagsUsed = true;
        }
        PlanLazyFlags();
    }

    private void Use(Register r)
    {
        if (r != Register.None && r.IsGPR()) _used[Operands.Index(r)] = true;
    }

    private static bool Gpr(in Instruction i, int op) => i.GetOpKind(op) == OpKind.Register && i.GetOpRegister(op).IsGPR();

    private static bool Mem(in Instruction i, int op)
    {
        if (i.GetOpKind(op) != OpKind.Memory) return false;
        var b = i.MemoryBase;
        var x = i.MemoryIndex;
        bool baseOk = b == Register.None || b == Register.RIP || b == Register.EIP || b.IsGPR64() || b.IsGPR32();
        bool indexOk = x == Register.None || x.IsGPR64() || x.IsGPR32();
        return baseOk && indexOk;
    }

    private static bool Imm(in Instruction i, int op) => i.GetOpKind(op) is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32
        or OpKind.Immediate64 or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;

    private static bool RegOrMem(in Instruction i, int op) => Gpr(i, op) || Mem(i, op);
    private static bool Any(in Instruction i, int op) => Gpr(i, op) || Mem(i, op) || Imm(i, op);
    private static bool Direct(in Instruction i) => i.Op0Kind is OpKind.NearBranch64;

    /// <summary>True when <paramref name="i"/> is translated inline given the flags live after it (else it calls its handler).</summary>
    internal static bool CanInline(in Instruction i, ulong liveAfter)
    {
        if (i.HasLockPrefix) return false;
        if (CanInlineScalar(i)) return true;
        if (i.HasRepPrefix || i.HasRepnePrefix) return false;
        if (CanInlinePacked(i)) return true;
        if (CanInlineInteger(i) is { } integer) return integer;
        if (CanInlineBmi(i) is { } bmi) return bmi;
        switch (i.Mnemonic)
        {
            case Mnemonic.Mov:
                return i.OpCount == 2 && RegOrMem(i, 0) && Any(i, 1) && !(Mem(i, 0) && Mem(i, 1));
            case Mnemonic.Movzx or Mnemonic.Movsx or Mnemonic.Movsxd:
                return Gpr(i, 0) && RegOrMem(i, 1);
            case Mnemonic.Lea:
                return Gpr(i, 0) && Mem(i, 1);
            case Mnemonic.Add or Mnemonic.Adc or Mnemonic.Sub or Mnemonic.Sbb or Mnemonic.Cmp
                or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Test:
                return i.OpCount == 2 && RegOrMem(i, 0) && Any(i, 1);
            case Mnemonic.Inc or Mnemonic.Dec or Mnemonic.Neg or Mnemonic.Not:
                return RegOrMem(i, 0);
            case Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror:
                // By an immediate (CL: CanInlineInteger); the flags are computed when live.
                return i.OpCount == 2 && RegOrMem(i, 0) && i.Op1Kind == OpKind.Immediate8
                    && (i.Immediate8 & (Operands.Size(i, 0) == 8 ? 63 : 31)) != 0;
            case Mnemonic.Push:
                return Any(i, 0) && Operands.Size(i, 0) == 8;
            case Mnemonic.Pop:
                return Gpr(i, 0) && Operands.Size(i, 0) == 8;
            case Mnemonic.Call or Mnemonic.Jmp:
                return Direct(i) || (RegOrMem(i, 0) && Operands.Size(i, 0) == 8);
            case Mnemonic.Ret:
                return i.OpCount == 0 || i.Op0Kind == OpKind.Immediate16;
            case Mnemonic.Jo or Mnemonic.Jno or Mnemonic.Jb or Mnemonic.Jae or Mnemonic.Je or Mnemonic.Jne or Mnemonic.Jbe or Mnemonic.Ja
                or Mnemonic.Js or Mnemonic.Jns or Mnemonic.Jp or Mnemonic.Jnp or Mnemonic.Jl or Mnemonic.Jge or Mnemonic.Jle or Mnemonic.Jg:
                return Direct(i);
            case Mnemonic.Seto or Mnemonic.Setno or Mnemonic.Setb or Mnemonic.Setae or Mnemonic.Sete or Mnemonic.Setne
                or Mnemonic.Setbe or Mnemonic.Seta or Mnemonic.Sets or Mnemonic.Setns or Mnemonic.Setp or Mnemonic.Setnp
                or Mnemonic.Setl or Mnemonic.Setge or Mnemonic.Setle or Mnemonic.Setg:
                return RegOrMem(i, 0);
            case Mnemonic.Cmovo or Mnemonic.Cmovno or Mnemonic.Cmovb or Mnemonic.Cmovae or Mnemonic.Cmove or Mnemonic.Cmovne
                or Mnemonic.Cmovbe or Mnemonic.Cmova or Mnemonic.Cmovs or Mnemonic.Cmovns or Mnemonic.Cmovp or Mnemonic.Cmovnp
                or Mnemonic.Cmovl or Mnemonic.Cmovge or Mnemonic.Cmovle or Mnemonic.Cmovg:
                return Gpr(i, 0) && RegOrMem(i, 1);
            case Mnemonic.Cdqe or Mnemonic.Cqo or Mnemonic.Cdq or Mnemonic.Cwde:
                return true;
            case Mnemonic.Xchg:
                return Gpr(i, 0) && Gpr(i, 1);
            case Mnemonic.Bswap:
                return Gpr(i, 0);
            case Mnemonic.Nop or Mnemonic.Endbr64 or Mnemonic.Pause:
                return true;
            default:
                return false;
        }
    }

    private bool IsVerifiable()
    {
        var factory = new InstructionInfoFactory();
        for (int n = 0; n < _ins.Length; n++)
        {
            ref Instruction i = ref _ins[n];
            if (i.Mnemonic is Mnemonic.Rdtsc or Mnemonic.Rdtscp or Mnemonic.Rdrand or Mnemonic.Rdseed or Mnemonic.Rdpid or Mnemonic.Rdpmc)
                return false;
            if (_inline[n]) continue;
            if (i.Code.IsStringInstruction()) return false;
            foreach (var m in factory.GetInfo(i).GetUsedMemory())
                if (m.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite) return false;
        }
        return true;
    }

    // ---- emission ----------------------------------------------------------------------------------

    private void Emit()
    {
        var il = _il;
        for (int r = 0; r < 16; r++) _reg[r] = il.DeclareLocal(typeof(ulong));
        _fl = il.DeclareLocal(typeof(ulong));
        _st = il.DeclareLocal(typeof(CpuState).MakeByRefType());
        _mem = il.DeclareLocal(typeof(GuestMemory));
        for (int v = 0; v < 4; v++) _value[v] = il.DeclareLocal(ValueTypes[v]);
        _ta = il.DeclareLocal(typeof(ulong));
        _tb = il.DeclareLocal(typeof(ulong));
        _tr = il.DeclareLocal(typeof(ulong));
        _tc = il.DeclareLocal(typeof(ulong));
        _addr = il.DeclareLocal(typeof(ulong));
        _fa = il.DeclareLocal(typeof(ulong));
        _fb = il.DeclareLocal(typeof(ulong));
        _fr = il.DeclareLocal(typeof(ulong));
        _exit = il.DefineLabel();
        _slowAddr = il.DeclareLocal(typeof(ulong));
        _slowValue = il.DeclareLocal(typeof(ulong));
        _resume = il.DeclareLocal(typeof(int));
        DeclareLazyLocals();

        // Called without a processor, the method only returns: JitEngine calls it so to have RyuJIT compile it
        // (a DynamicMethod offers no other way) on the thread that translated it.
        var body = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Brtrue, body);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(body);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldflda, StateField);
        il.Emit(OpCodes.Stloc, _st);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Call, MemoryGetter);
        il.Emit(OpCodes.Stloc, _mem);
        LoadState();
        if (_verify) SetExitLive(Flags.Status);

        _blockLabel = new Label[_blocks.Count];
        for (int j = 0; j < _blockLabel.Length; j++) _blockLabel[j] = il.DefineLabel();
        if (_blocks.Count > 1)
        {
            // Every block of a region is an entry (index says which on entry), so a block that is hot inside a
            // compiled region runs that code instead of paying RyuJIT for a method of its own. Entering anywhere
            // is sound: the registers were all loaded above and flag liveness stops at block boundaries.
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Switch, _blockLabel);
        }
        for (int j = 0; j < _blocks.Count; j++)
        {
            _curBlock = j;
            il.MarkLabel(_blockLabel[j]);
            // Control may come here from anywhere in the region, but a local only ever differs from the state
            // after an inline instruction wrote it (a fall-back reloads what its handler wrote).
            Array.Copy(_writtenInline, _dirty, _dirty.Length);
            LazyBlockStart();
            if (FallbackCounter.Enabled) Count(FallbackCounter.TotalSlot, _offset[j + 1] - _offset[j]);
            for (int n = _offset[j]; n < _offset[j + 1]; n++)
            {
                _cur = n;
                if (_inline[n]) { EmitInline(n); MarkWritten(_ins[n]); }
                else EmitFallback(n, n == _offset[j + 1] - 1);
            }
            // Fell off the end of a block that stopped before a control transfer.
            int end = _offset[j + 1] - 1;
            if (_ins[end].FlowControl == FlowControl.Next && _inline[end]) EmitJump(_blocks[j].End, _fallLive[j]);
        }

        il.MarkLabel(_exit);
        Array.Copy(_writtenInline, _dirty, _dirty.Length);
        // Whatever runs next (the dispatcher, another method, a signal handler) sees exact flags.
        EmitMaterialize();
        StoreState(onlyDirty: true);
        il.Emit(OpCodes.Ret);
        EmitSlowPaths();
    }

    private void LdState(int offset)
    {
        _il.Emit(OpCodes.Ldloc, _st);
        _il.Emit(OpCodes.Ldc_I4, offset);
        _il.Emit(OpCodes.Add);
    }

    private void LoadState()
    {
        for (int r = 0; r < 16; r++)
        {
            if (!_used[r]) continue;
            LdState(GprOffset + 8 * r);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _reg[r]);
        }
        if (_flagsUsed)
        {
            LdState(RflagsOffset);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _fl);
        }
    }

    // Which locals may differ from Processor.State at this point of the emission (index 16: RFLAGS). At a
    // block's start control may come from anywhere, so everything counts as changed.
    private readonly bool[] _dirty = new bool[17];
    // The locals some inline instruction of the region writes: the others always equal the state.
    private readonly bool[] _writtenInline = new bool[17];
    private readonly InstructionInfoFactory _info = new();

    private void StoreState(bool onlyDirty = false)
    {
        for (int r = 0; r < 16; r++)
        {
            if (!_used[r] || onlyDirty && !_dirty[r]) continue;
            LdState(GprOffset + 8 * r);
            _il.Emit(OpCodes.Ldloc, _reg[r]);
            _il.Emit(OpCodes.Stind_I8);
        }
        if (_flagsUsed && (!onlyDirty || _dirty[16]))
        {
            LdState(RflagsOffset);
            _il.Emit(OpCodes.Ldloc, _fl);
            _il.Emit(OpCodes.Stind_I8);
        }
    }

    /// <summary>Reloads the locals a handler may have changed: the registers Iced says it writes, and RFLAGS
    /// if it modifies flags.</summary>
    private void ReloadAfter(in Instruction i)
    {
        var written = new bool[17];
        foreach (var u in _info.GetInfo(i).GetUsedRegisters())
        {
            var full = u.Register.GetFullRegister();
            if (!full.IsGPR64() || u.Access is not (OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite)) continue;
            written[Operands.Index(full)] = true;
        }
        written[16] = i.RflagsModified != RflagsBits.None || i.Mnemonic is Mnemonic.Popf or Mnemonic.Popfq or Mnemonic.Sahf;
        for (int r = 0; r < 16; r++)
        {
            if (!_used[r] || !written[r]) continue;
            LdState(GprOffset + 8 * r);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _reg[r]);
        }
        if (_flagsUsed && written[16])
        {
            LdState(RflagsOffset);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _fl);
        }
    }

    /// <summary>After an inline instruction: the registers it may have written no longer match the state.</summary>
    private void MarkWritten(in Instruction i) => MarkWritten(i, _dirty);

    private static void MarkWritten(in Instruction i, bool[] dirty)
    {
        for (int o = 0; o < i.OpCount; o++)
            if (i.GetOpKind(o) == OpKind.Register && i.GetOpRegister(o).IsGPR()) dirty[Operands.Index(i.GetOpRegister(o))] = true;
        switch (i.Mnemonic)
        {
            case Mnemonic.Push or Mnemonic.Pop or Mnemonic.Call or Mnemonic.Ret: dirty[CpuState.Rsp] = true; break;
            case Mnemonic.Cdqe or Mnemonic.Cwde: dirty[CpuState.Rax] = true; break;
            case Mnemonic.Cdq or Mnemonic.Cqo: dirty[CpuState.Rdx] = true; break;
        }
        if (UsesRaxRdx(i)) dirty[CpuState.Rax] = dirty[CpuState.Rdx] = true;
        if (i.RflagsModified != RflagsBits.None) dirty[16] = true;
    }

    private void SetRip(ulong rip)
    {
        LdState(RipOffset);
        _il.Emit(OpCodes.Ldc_I8, (long)rip);
        _il.Emit(OpCodes.Stind_I8);
    }

    private void SetRipFrom(LocalBuilder v)
    {
        LdState(RipOffset);
        _il.Emit(OpCodes.Ldloc, v);
        _il.Emit(OpCodes.Stind_I8);
    }

    private void ExitTo(ulong rip, ulong live = Flags.Status)
    {
        SetRip(rip);
        if (_verify && live != Flags.Status) SetExitLive(live);
        _il.Emit(OpCodes.Br, _exit);
    }

    // Under co-simulation the code records which flags the exit it takes keeps exact: the others are dead in
    // every successor, and were not computed.
    private void SetExitLive(ulong live)
    {
        _il.Emit(OpCodes.Ldarg_0);
        I8(live);
        _il.Emit(OpCodes.Stfld, ExitLiveField);
    }

    /// <summary>Before a call that may fault (a handler, or the full path of a guest access): publishes the
    /// instruction's index, for the fault's RIP, and stores the registers as of the instruction.</summary>
    private void Publish(int n)
    {
        EnsureFlags();
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldc_I4, n);
        _il.Emit(OpCodes.Stind_I4);
        StoreState(onlyDirty: true);
    }

    private static readonly FieldInfo CountsField = typeof(FallbackCounter).GetField(nameof(FallbackCounter.Counts))!;

    /// <summary>FallbackCounter.Counts[slot] += by.</summary>
    private void Count(int slot, int by)
    {
        _il.Emit(OpCodes.Ldsfld, CountsField);
        _il.Emit(OpCodes.Ldc_I4, slot);
        _il.Emit(OpCodes.Ldelema, typeof(long));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Emit(OpCodes.Ldc_I4, by);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stind_I8);
    }

    private void EmitFallback(int n, bool lastInBlock)
    {
        var il = _il;
        ref Instruction i = ref _ins[n];
        if (FallbackCounter.Enabled) Count((int)i.Code, 1);
        // The handler sees (and may fault with) the state as of the instruction; if it throws, the state is
        // as it left it, as in the interpreter.
        Publish(n);
        SetRip(i.NextIP);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, InstructionsField);
        il.Emit(OpCodes.Ldc_I4, n);
        il.Emit(OpCodes.Ldelema, typeof(Instruction));
        il.Emit(OpCodes.Ldc_I8, (long)_handlers[n]);
        il.Emit(OpCodes.Conv_I);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, typeof(void), [typeof(Processor), typeof(Instruction).MakeByRefType()], null);
        Array.Clear(_dirty);
        ReloadAfter(i);
        if (lastInBlock)
        {
            // The handler set RIP (a branch) or left it past the instruction.
            il.Emit(OpCodes.Br, _exit);
            return;
        }
        // A handler that stopped the processor (SYSCALL) or an outside stop request ends the block here.
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Volatile);
        il.Emit(OpCodes.Ldfld, StopField);
        il.Emit(OpCodes.Brfalse, NextLabel(out var next));
        il.Emit(OpCodes.Br, _exit);
        il.MarkLabel(next);
    }

    private Label NextLabel(out Label l) => l = _il.DefineLabel();

    // ---- operands ----------------------------------------------------------------------------------

    private void Ld(LocalBuilder l) => _il.Emit(OpCodes.Ldloc, l);
    private void St(LocalBuilder l) => _il.Emit(OpCodes.Stloc, l);
    private void I8(ulong v) => _il.Emit(OpCodes.Ldc_I8, (long)v);
    private void Op(OpCode o) => _il.Emit(o);

    private static bool IsHigh(Register r) => r is Register.AH or Register.CH or Register.DH or Register.BH;

    /// <summary>Pushes a general register, zero-extended to 64 bits.</summary>
    private void LoadReg(Register r)
    {
        Ld(_reg[Operands.Index(r)]);
        if (IsHigh(r)) { _il.Emit(OpCodes.Ldc_I4_8); Op(OpCodes.Shr_Un); Op(OpCodes.Conv_U1); Op(OpCodes.Conv_U8); return; }
        switch (r.GetSize())
        {
            case 1: Op(OpCodes.Conv_U1); Op(OpCodes.Conv_U8); break;
            case 2: Op(OpCodes.Conv_U2); Op(OpCodes.Conv_U8); break;
            case 4: Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8); break;
        }
    }

    /// <summary>Writes the value <paramref name="push"/> emits to a general register with the partial-register
    /// rules: 8/16-bit writes merge, 32-bit writes zero the upper half.</summary>
    private void StoreReg(Register r, Action push)
    {
        var dst = _reg[Operands.Index(r)];
        if (IsHigh(r))
        {
            Ld(dst); I8(~0xFF00UL); Op(OpCodes.And);
            push(); Op(OpCodes.Conv_U1); Op(OpCodes.Conv_U8); _il.Emit(OpCodes.Ldc_I4_8); Op(OpCodes.Shl); Op(OpCodes.Or);
            St(dst);
            return;
        }
        switch (r.GetSize())
        {
            case 8: push(); break;
            case 4: push(); Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8); break;
            case 2: Ld(dst); I8(~0xFFFFUL); Op(OpCodes.And); push(); Op(OpCodes.Conv_U2); Op(OpCodes.Conv_U8); Op(OpCodes.Or); break;
            default: Ld(dst); I8(~0xFFUL); Op(OpCodes.And); push(); Op(OpCodes.Conv_U1); Op(OpCodes.Conv_U8); Op(OpCodes.Or); break;
        }
        St(dst);
    }

    /// <summary>Pushes the effective address (what LEA computes), optionally plus the FS/GS base, exactly as
    /// <see cref="Operands.Address"/> does.</summary>
    private void EmitAddress(in Instruction i, bool segment)
    {
        var b = i.MemoryBase;
        I8(i.MemoryDisplacement64);
        if (b != Register.RIP && b != Register.EIP)
        {
            if (b != Register.None) { Ld(_reg[Operands.Index(b)]); Op(OpCodes.Add); }
            var x = i.MemoryIndex;
            if (x != Register.None)
            {
                Ld(_reg[Operands.Index(x)]);
                int scale = i.MemoryIndexScale;
                if (scale > 1) { _il.Emit(OpCodes.Ldc_I4, scale switch { 2 => 1, 4 => 2, _ => 3 }); Op(OpCodes.Shl); }
                Op(OpCodes.Add);
            }
            if (b.IsGPR32() || x.IsGPR32()) { Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8); }
        }
        if (!segment) return;
        if (i.SegmentPrefix == Register.FS) { LdState(FsOffset); Op(OpCodes.Ldind_I8); Op(OpCodes.Add); }
        else if (i.SegmentPrefix == Register.GS) { LdState(GsOffset); Op(OpCodes.Ldind_I8); Op(OpCodes.Add); }
    }

    private static int SizeIndex(int size) => size switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 };

    /// <summary>Pushes the <paramref name="size"/>-byte guest value at the address in <paramref name="addr"/>:
    /// the fast check and load inline; when it refuses, the state is published and the full checked read runs
    /// (and faults, or handles a page-crossing access).</summary>
    // The evaluation stack must be empty here: the slow path is shared and control comes back from it.
    private void LoadMem(LocalBuilder addr, int size)
    {
        var il = _il;
        int x = SizeIndex(size);
        var v = _value[x];
        Ld(_mem); Ld(addr); il.Emit(OpCodes.Ldloca, v);
        il.Emit(OpCodes.Call, AccessorsFor(addr).TryReads[x]);
        il.Emit(OpCodes.Brtrue, NextLabel(out var ok));
        Ld(addr); St(_slowAddr);
        ToSlowPath(_slowReads, x, ok);
        il.MarkLabel(ok);
        Ld(v);
        Op(OpCodes.Conv_U8);
    }

    // The full (slow) paths of guest accesses, one per kind and size, shared by the whole method: the code
    // of the stores that publish the registers is large, and RyuJIT's time grows with the method's size.
    private readonly SlowPath[] _slowReads = new SlowPath[4], _slowWrites = new SlowPath[4];
    private LocalBuilder _slowAddr = null!, _slowValue = null!, _resume = null!;

    private sealed class SlowPath
    {
        public Label Entry;
        private Label[] _resumes = new Label[8];

        public int ResumeCount { get; private set; }

        public void AddResume(Label l)
        {
            if (ResumeCount == _resumes.Length)
            {
                var grown = new Label[ResumeCount * 2];
                Array.Copy(_resumes, grown, ResumeCount);
                _resumes = grown;
            }
            _resumes[ResumeCount++] = l;
        }

        public Label[] Resumes()
        {
            var r = new Label[ResumeCount];
            Array.Copy(_resumes, r, ResumeCount);
            return r;
        }
    }

    /// <summary>Publishes the instruction's index and jumps to the shared slow path, which comes back to
    /// <paramref name="resume"/>.</summary>
    private void ToSlowPath(SlowPath[] kind, int x, Label resume)
    {
        var sp = kind[x] ??= new SlowPath { Entry = _il.DefineLabel() };
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldc_I4, _cur);
        _il.Emit(OpCodes.Stind_I4);
        _il.Emit(OpCodes.Ldc_I4, sp.ResumeCount);
        St(_resume);
        sp.AddResume(resume);
        _il.Emit(OpCodes.Br, sp.Entry);
    }

    /// <summary>The shared slow paths: every register is stored (those that did not change equal the state
    /// anyway), so a fault sees the state as of the instruction; the checked accessor faults or completes the
    /// access, and control returns to where the access was. The stores are emitted once for all of them (they
    /// are most of a slow path's code): each entry records which path it is and jumps to them.</summary>
    private void EmitSlowPaths()
    {
        var entries = new Label[13];
        var bodies = new Action[13];
        int count = 0;
        for (int x = 0; x < 4; x++)
        {
            for (int w = 0; w < 2; w++)
            {
                var sp = w == 0 ? _slowReads[x] : _slowWrites[x];
                bool write = w == 1;
                if (sp == null) continue;
                int size = x;
                entries[count] = sp.Entry;
                bodies[count++] = () =>
                {
                    Ld(_mem); Ld(_slowAddr);
                    if (write)
                    {
                        Ld(_slowValue);
                        switch (size)
                        {
                            case 0: Op(OpCodes.Conv_U1); break;
                            case 1: Op(OpCodes.Conv_U2); break;
                            case 2: Op(OpCodes.Conv_U4); break;
                        }
                        _il.Emit(OpCodes.Call, Writes[size]);
                    }
                    else
                    {
                        _il.Emit(OpCodes.Call, Reads[size]);
                        St(_value[size]);
                    }
                    Ld(_resume);
                    _il.Emit(OpCodes.Switch, sp.Resumes());
                    _il.Emit(OpCodes.Br, _exit); // not reached
                };
            }
        }
        AddDivideSlowPaths(entries, bodies, ref count);
        if (_simdRaise is { } raise)
        {
            entries[count] = raise;
            bodies[count++] = EmitSimdRaise;
        }
        if (count == 0) return;
        for (int r = 0; r < _dirty.Length; r++) _dirty[r] = true;
        if (count == 1)
        {
            _il.MarkLabel(entries[0]);
            // A fault must see exact flags; an access that completes comes back with them computed.
            EmitMaterialize();
            StoreState(onlyDirty: true);
            bodies[0]();
            return;
        }
        var kind = _il.DeclareLocal(typeof(int));
        var spill = _il.DefineLabel();
        for (int k = 0; k < count; k++)
        {
            _il.MarkLabel(entries[k]);
            _il.Emit(OpCodes.Ldc_I4, k);
            St(kind);
            _il.Emit(OpCodes.Br, spill);
        }
        _il.MarkLabel(spill);
        EmitMaterialize();
        StoreState(onlyDirty: true);
        var bodyLabels = new Label[count];
        for (int k = 0; k < count; k++) bodyLabels[k] = _il.DefineLabel();
        Ld(kind);
        _il.Emit(OpCodes.Switch, bodyLabels);
        _il.Emit(OpCodes.Br, _exit); // not reached
        for (int k = 0; k < count; k++)
        {
            _il.MarkLabel(bodyLabels[k]);
            bodies[k]();
        }
    }

    /// <summary>Stores the value <paramref name="push"/> emits (it may be emitted twice) at the address in
    /// <paramref name="addr"/>, with the fast path inline as in <see cref="LoadMem"/>.</summary>
    private void StoreMem(LocalBuilder addr, int size, Action push)
    {
        var il = _il;
        if (_verify)
        {
            Publish(_cur);
            Ld(_mem); Ld(addr); push();
            il.Emit(OpCodes.Ldc_I4, size);
            il.Emit(OpCodes.Call, JournalWrite);
            return;
        }
        int x = SizeIndex(size);
        void Value()
        {
            push();
            switch (size)
            {
                case 1: Op(OpCodes.Conv_U1); break;
                case 2: Op(OpCodes.Conv_U2); break;
                case 4: Op(OpCodes.Conv_U4); break;
            }
        }
        Ld(_mem); Ld(addr); Value();
        il.Emit(OpCodes.Call, AccessorsFor(addr).TryWrites[x]);
        il.Emit(OpCodes.Brtrue, NextLabel(out var ok));
        Ld(addr); St(_slowAddr);
        push(); St(_slowValue);
        ToSlowPath(_slowWrites, x, ok);
        il.MarkLabel(ok);
    }

    /// <summary>Pushes operand <paramref name="op"/> of <paramref name="size"/> bytes, zero-extended; a memory
    /// operand uses the address already in <see cref="_addr"/>.</summary>
    private void Read(in Instruction i, int op, int size)
    {
        switch (i.GetOpKind(op))
        {
            case OpKind.Register: LoadReg(i.GetOpRegister(op)); break;
            case OpKind.Memory: LoadMem(_addr, size); break;
            default: I8(i.GetImmediate(op) & Flags.Mask(size)); break;
        }
    }

    private void Write(in Instruction i, int op, int size, Action push)
    {
        if (i.GetOpKind(op) == OpKind.Register) StoreReg(i.GetOpRegister(op), push);
        else StoreMem(_addr, size, push);
    }

    private void SignExtend(int size)
    {
        switch (size)
        {
            case 1: Op(OpCodes.Conv_I1); Op(OpCodes.Conv_I8); break;
            case 2: Op(OpCodes.Conv_I2); Op(OpCodes.Conv_I8); break;
            case 4: Op(OpCodes.Conv_I4); Op(OpCodes.Conv_I8); break;
        }
    }

    private void Mask(int size)
    {
        if (size != 8) { I8(Flags.Mask(size)); Op(OpCodes.And); }
    }

    private void Condition(in Instruction i, int n)
    {
        int cc = (int)i.ConditionCode - 1;
        if (_fused[n]) { FusedCondition(cc); return; }
        EnsureFlags();
        FlagCondition(cc);
    }

    /// <summary>Pushes condition <paramref name="cc"/> computed from the feeding producer's operands
    /// (<see cref="_fa"/>, <see cref="_fb"/>) and result (<see cref="_fr"/>), as the flags it would set give it.</summary>
    private void FusedCondition(int cc)
    {
        var il = _il;
        int size = _producerSize, bits = size * 8;
        bool sub = _producer == Producer.Sub;
        switch (cc >> 1)
        {
            case 2: // ZF
                Ld(_fr); I8(0); Op(OpCodes.Ceq);
                break;
            case 4: // SF
                Ld(_fr); il.Emit(OpCodes.Ldc_I4, bits - 1); Op(OpCodes.Shr_Un); Op(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4_1); Op(OpCodes.And);
                break;
            case 1: // CF
                if (sub) { Ld(_fa); Ld(_fb); Op(OpCodes.Clt_Un); }
                else if (_producer == Producer.Add) { Ld(_fr); Ld(_fa); Op(OpCodes.Clt_Un); }
                else il.Emit(OpCodes.Ldc_I4_0);
                break;
            case 3: // CF or ZF
                if (sub) { Ld(_fa); Ld(_fb); Op(OpCodes.Cgt_Un); il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); }
                else { Ld(_fr); I8(0); Op(OpCodes.Ceq); }
                break;
            case 6: // SF != OF
                if (sub) { Ld(_fa); SignExtend(size); Ld(_fb); SignExtend(size); Op(OpCodes.Clt); }
                else { Ld(_fr); SignExtend(size); I8(0); Op(OpCodes.Clt); }
                break;
            default: // ZF or SF != OF
                if (sub) { Ld(_fa); SignExtend(size); Ld(_fb); SignExtend(size); Op(OpCodes.Cgt); }
                else { Ld(_fr); SignExtend(size); I8(0); Op(OpCodes.Cgt); }
                il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq);
                break;
        }
        if ((cc & 1) != 0) { il.Emit(OpCodes.Ldc_I4_0); Op(OpCodes.Ceq); }
    }

    /// <summary>Keeps a producer's operands and result for the consumers fused to it.</summary>
    private void Feed(int n, Producer kind, int size, bool operands)
    {
        if (!_feeds[n]) return;
        if (operands) { Ld(_ta); St(_fa); Ld(_tb); St(_fb); }
        Ld(_tr); St(_fr);
        _producer = kind;
        _producerSize = size;
    }

    private void Push(LocalBuilder value)
    {
        var rsp = _reg[CpuState.Rsp];
        // The store happens before RSP changes, so a fault leaves RSP intact.
        Ld(rsp); I8(8); Op(OpCodes.Sub); St(_tc);
        StoreMem(_tc, 8, () => Ld(value));
        Ld(_tc); St(rsp);
    }

    // ---- instructions ------------------------------------------------------------------------------

    private void EmitInline(int n)
    {
        ref Instruction i = ref _ins[n];
        var m = i.Mnemonic;
        bool flagsLive = (_liveAfter[n] & ToFlags(i.RflagsModified)) != 0;
        if (m != Mnemonic.Lea && m != Mnemonic.Nop)
            for (int o = 0; o < i.OpCount; o++)
                if (i.GetOpKind(o) == OpKind.Memory) { EmitAddress(i, true); St(_addr); break; }
        if (EmitPacked(i) || EmitScalar(i) || EmitInteger(n, flagsLive) || EmitBmi(n, flagsLive)) return;
        int size = i.OpCount > 0 ? Operands.Size(i, 0) : 8;
        var il = _il;
        switch (m)
        {
            case Mnemonic.Mov:
                Read(i, 1, size); St(_tb);
                Write(i, 0, size, () => Ld(_tb));
                break;
            case Mnemonic.Movzx:
                Read(i, 1, Operands.Size(i, 1)); St(_tb);
                Write(i, 0, size, () => Ld(_tb));
                break;
            case Mnemonic.Movsx or Mnemonic.Movsxd:
            {
                int from = Operands.Size(i, 1);
                Read(i, 1, from); SignExtend(from); St(_tb);
                Write(i, 0, size, () => Ld(_tb));
                break;
            }
            case Mnemonic.Lea:
                EmitAddress(i, false); St(_tb);
                StoreReg(i.Op0Register, () => Ld(_tb));
                break;
            case Mnemonic.Add or Mnemonic.Adc or Mnemonic.Sub or Mnemonic.Sbb or Mnemonic.Cmp:
            {
                Read(i, 0, size); St(_ta);
                Read(i, 1, size); St(_tb);
                bool carry = m is Mnemonic.Adc or Mnemonic.Sbb;
                if (carry) EnsureFlags();
                if (carry) { Ld(_fl); I8(Flags.CF); Op(OpCodes.And); St(_tc); }
                bool add = m is Mnemonic.Add or Mnemonic.Adc;
                Ld(_ta); Ld(_tb); Op(add ? OpCodes.Add : OpCodes.Sub);
                if (carry) { Ld(_tc); Op(add ? OpCodes.Add : OpCodes.Sub); }
                Mask(size); St(_tr);
                if (!carry) Feed(n, add ? Producer.Add : Producer.Sub, size, true);
                if (m != Mnemonic.Cmp) Write(i, 0, size, () => Ld(_tr));
                if (carry) { if (flagsLive) EmitFlags(add ? FlagRule.Add : FlagRule.Sub, size, _ta, _tb, _tr, _tc); }
                else ProduceFlags(n, add ? FlagRule.Add : FlagRule.Sub, size, _ta, _tb, _tr);
                break;
            }
            case Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Test:
                Read(i, 0, size); St(_ta);
                Read(i, 1, size); St(_tb);
                Ld(_ta); Ld(_tb);
                Op(m switch { Mnemonic.Or => OpCodes.Or, Mnemonic.Xor => OpCodes.Xor, _ => OpCodes.And });
                St(_tr);
                Feed(n, Producer.Logic, size, false);
                if (m != Mnemonic.Test) Write(i, 0, size, () => Ld(_tr));
                ProduceFlags(n, FlagRule.Logic, size, _ta, _tb, _tr);
                break;
            case Mnemonic.Inc or Mnemonic.Dec:
                Read(i, 0, size); St(_ta);
                Ld(_ta); I8(1); Op(m == Mnemonic.Inc ? OpCodes.Add : OpCodes.Sub); Mask(size); St(_tr);
                Feed(n, Producer.IncDec, size, false);
                Write(i, 0, size, () => Ld(_tr));
                if (flagsLive)
                {
                    // INC and DEC leave CF alone.
                    I8(1); St(_tb);
                    EmitFlags(m == Mnemonic.Inc ? FlagRule.Add : FlagRule.Sub, size, _ta, _tb, _tr, null, Flags.Status & ~Flags.CF);
                }
                break;
            case Mnemonic.Neg:
                Read(i, 0, size); St(_ta);
                I8(0); Ld(_ta); Op(OpCodes.Sub); Mask(size); St(_tr);
                Write(i, 0, size, () => Ld(_tr));
                if (flagsLive)
                {
                    // The flags of 0 - a.
                    Ld(_ta); St(_tb); I8(0); St(_ta);
                    ProduceFlags(n, FlagRule.Sub, size, _ta, _tb, _tr);
                }
                break;
            case Mnemonic.Not:
                Read(i, 0, size); Op(OpCodes.Not); Mask(size); St(_tr);
                Write(i, 0, size, () => Ld(_tr));
                break;
            case Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror:
                EmitShift(i, size);
                if (flagsLive) EmitShiftFlags(m, size, i.Immediate8 & (size == 8 ? 63 : 31));
                break;
            case Mnemonic.Push:
                Read(i, 0, 8); St(_tb);
                Push(_tb);
                break;
            case Mnemonic.Pop:
            {
                var rsp = _reg[CpuState.Rsp];
                LoadMem(rsp, 8); St(_tb);
                Ld(rsp); I8(8); Op(OpCodes.Add); St(rsp);
                StoreReg(i.Op0Register, () => Ld(_tb));
                break;
            }
            case Mnemonic.Call:
                if (Direct(i)) I8(i.NearBranchTarget); else Read(i, 0, 8);
                St(_tr);
                I8(i.NextIP); St(_tb);
                Push(_tb);
                // A callee in the region is a jump inside the method: the guest's stack holds the return address,
                // the host's does not grow (no guest call is a host call).
                if (Direct(i)) { EmitJump(i.NearBranchTarget, _takenLive[_curBlock]); break; }
                SetRipFrom(_tr);
                il.Emit(OpCodes.Br, _exit);
                break;
            case Mnemonic.Ret:
            {
                var rsp = _reg[CpuState.Rsp];
                LoadMem(rsp, 8); St(_tr);
                Ld(rsp); I8(8 + (i.OpCount > 0 ? (ulong)i.Immediate16 : 0)); Op(OpCodes.Add); St(rsp);
                EmitReturn();
                break;
            }
            case Mnemonic.Jmp:
                if (Direct(i)) { EmitJump(i.NearBranchTarget, _takenLive[_curBlock]); break; }
                Read(i, 0, 8); St(_tr);
                SetRipFrom(_tr);
                il.Emit(OpCodes.Br, _exit);
                break;
            case Mnemonic.Jo or Mnemonic.Jno or Mnemonic.Jb or Mnemonic.Jae or Mnemonic.Je or Mnemonic.Jne or Mnemonic.Jbe or Mnemonic.Ja
                or Mnemonic.Js or Mnemonic.Jns or Mnemonic.Jp or Mnemonic.Jnp or Mnemonic.Jl or Mnemonic.Jge or Mnemonic.Jle or Mnemonic.Jg:
            {
                Condition(i, n);
                il.Emit(OpCodes.Brfalse, NextLabel(out var notTaken));
                EmitJump(i.NearBranchTarget, _takenLive[_curBlock]);
                il.MarkLabel(notTaken);
                EmitJump(i.NextIP, _fallLive[_curBlock]);
                break;
            }
            case Mnemonic.Seto or Mnemonic.Setno or Mnemonic.Setb or Mnemonic.Setae or Mnemonic.Sete or Mnemonic.Setne
                or Mnemonic.Setbe or Mnemonic.Seta or Mnemonic.Sets or Mnemonic.Setns or Mnemonic.Setp or Mnemonic.Setnp
                or Mnemonic.Setl or Mnemonic.Setge or Mnemonic.Setle or Mnemonic.Setg:
                Condition(i, n); Op(OpCodes.Conv_U8); St(_tr);
                Write(i, 0, 1, () => Ld(_tr));
                break;
            case Mnemonic.Cmovo or Mnemonic.Cmovno or Mnemonic.Cmovb or Mnemonic.Cmovae or Mnemonic.Cmove or Mnemonic.Cmovne
                or Mnemonic.Cmovbe or Mnemonic.Cmova or Mnemonic.Cmovs or Mnemonic.Cmovns or Mnemonic.Cmovp or Mnemonic.Cmovnp
                or Mnemonic.Cmovl or Mnemonic.Cmovge or Mnemonic.Cmovle or Mnemonic.Cmovg:
            {
                // The source is read (and may fault) whatever the condition; a 32-bit destination is always written.
                Read(i, 1, size); St(_tb);
                Condition(i, n);
                il.Emit(OpCodes.Brfalse, NextLabel(out var no));
                StoreReg(i.Op0Register, () => Ld(_tb));
                if (size == 4)
                {
                    il.Emit(OpCodes.Br, NextLabel(out var done));
                    il.MarkLabel(no);
                    var dst = i.Op0Register;
                    StoreReg(dst, () => LoadReg(dst));
                    il.MarkLabel(done);
                }
                else il.MarkLabel(no);
                break;
            }
            case Mnemonic.Cdqe:
                Ld(_reg[CpuState.Rax]); Op(OpCodes.Conv_I4); Op(OpCodes.Conv_I8); St(_reg[CpuState.Rax]);
                break;
            case Mnemonic.Cwde:
                Ld(_reg[CpuState.Rax]); Op(OpCodes.Conv_I2); Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8); St(_reg[CpuState.Rax]);
                break;
            case Mnemonic.Cdq:
                Ld(_reg[CpuState.Rax]); Op(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, 31); Op(OpCodes.Shr);
                Op(OpCodes.Conv_U4); Op(OpCodes.Conv_U8); St(_reg[CpuState.Rdx]);
                break;
            case Mnemonic.Cqo:
                Ld(_reg[CpuState.Rax]); il.Emit(OpCodes.Ldc_I4, 63); Op(OpCodes.Shr); St(_reg[CpuState.Rdx]);
                break;
            case Mnemonic.Xchg:
                LoadReg(i.Op0Register); St(_ta);
                LoadReg(i.Op1Register); St(_tb);
                StoreReg(i.Op0Register, () => Ld(_tb));
                StoreReg(i.Op1Register, () => Ld(_ta));
                break;
            case Mnemonic.Bswap:
                if (size == 8) { LoadReg(i.Op0Register); il.Emit(OpCodes.Call, Swap64); }
                else if (size == 4) { LoadReg(i.Op0Register); Op(OpCodes.Conv_U4); il.Emit(OpCodes.Call, Swap32); Op(OpCodes.Conv_U8); }
                else I8(0); // BSWAP of a 16-bit register is undefined; real CPUs give zero.
                St(_tr);
                StoreReg(i.Op0Register, () => Ld(_tr));
                break;
            case Mnemonic.Nop or Mnemonic.Endbr64 or Mnemonic.Pause:
                break;
            default:
                throw new InvalidOperationException($"no inline translation for {m}");
        }
    }

    /// <summary>Pushes the address of XMM register <paramref name="r"/> in the state (vector registers are not kept in locals).</summary>
    private void XmmAddress(Register r) => LdState(VecOffset + 32 * (r - Register.XMM0));

    /// <summary>A return (the popped address in <c>_tr</c>): predicted to be one of the region's return sites (the
    /// blocks after its calls), each prediction checked against the popped address, so a return that a longjmp,
    /// a signal handler or a coroutine switch redirected simply misses and leaves with RIP set.</summary>
    private void EmitReturn()
    {
        var il = _il;
        if (!_verify)
        {
            for (int j = 0; j < _blocks.Count; j++)
            {
                ulong site = _blocks[j].Start;
                if (!IsReturnSite(site)) continue;
                Ld(_tr); I8(site);
                il.Emit(OpCodes.Bne_Un, NextLabel(out var miss));
                EmitJump(site, Flags.Status);
                il.MarkLabel(miss);
            }
        }
        SetRipFrom(_tr);
        il.Emit(OpCodes.Br, _exit);
    }

    private bool IsReturnSite(ulong a)
    {
        foreach (var b in _blocks)
            if (b.Instructions[^1].Mnemonic == Mnemonic.Call && b.End == a) return true;
        return false;
    }

    /// <summary>A direct jump: to a block of the region it stays inside the compiled code (after checking that
    /// the region is still valid and, on a branch backwards, that no stop was requested); anything else leaves
    /// with RIP set.</summary>
    private void EmitJump(ulong target, ulong live)
    {
        int j = _blocks.FindIndex(x => x.Start == target);
        if (j < 0 || _verify) { ExitTo(target, live); return; }
        var il = _il;
        var leave = il.DefineLabel();
        if (target <= _blocks[_curBlock].Start)
        {
            // A loop must still see signals, exits and stop-the-world requests from other threads.
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, MustLeaveGetter);
            il.Emit(OpCodes.Brtrue, leave);
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, BlockField);
        il.Emit(OpCodes.Callvirt, ValidGetter);
        il.Emit(OpCodes.Brtrue, _blockLabel[j]);
        il.MarkLabel(leave);
        ExitTo(target, live);
    }

    /// <summary>Shifts and rotates by a non-zero immediate (by CL: EmitShiftByCl).</summary>
    private void EmitShift(in Instruction i, int size)
    {
        int bits = size * 8;
        var il = _il;
        int count = i.Immediate8 & (size == 8 ? 63 : 31);
        Read(i, 0, size); St(_ta);
        switch (i.Mnemonic)
        {
            case Mnemonic.Shl or Mnemonic.Sal:
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, count); Op(OpCodes.Shl); Mask(size);
                break;
            case Mnemonic.Shr:
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, count); Op(OpCodes.Shr_Un);
                break;
            case Mnemonic.Sar:
                Ld(_ta); SignExtend(size); il.Emit(OpCodes.Ldc_I4, Math.Min(count, 63)); Op(OpCodes.Shr); Mask(size);
                break;
            default:
            {
                int left = i.Mnemonic == Mnemonic.Rol ? count % bits : (bits - count % bits) % bits;
                if (left == 0) { Ld(_ta); break; }
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, left); Op(OpCodes.Shl);
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, bits - left); Op(OpCodes.Shr_Un);
                Op(OpCodes.Or); Mask(size);
                break;
            }
        }
        St(_tr);
        Write(i, 0, size, () => Ld(_tr));
    }
}
