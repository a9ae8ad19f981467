using Ferry.Cpu;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>MOVS, STOS, LODS, SCAS, CMPS with REP/REPE/REPNE. Each iteration updates RCX, RSI and RDI,
/// so a fault part-way leaves the registers where a restart resumes, as on hardware.</summary>
internal static unsafe class StringOps
{
    private static int ElementSize(in Instruction i) => i.Mnemonic switch
    {
        Mnemonic.Movsb or Mnemonic.Stosb or Mnemonic.Lodsb or Mnemonic.Scasb or Mnemonic.Cmpsb => 1,
        Mnemonic.Movsw or Mnemonic.Stosw or Mnemonic.Lodsw or Mnemonic.Scasw or Mnemonic.Cmpsw => 2,
        Mnemonic.Movsd or Mnemonic.Stosd or Mnemonic.Lodsd or Mnemonic.Scasd or Mnemonic.Cmpsd => 4,
        _ => 8,
    };

    private static bool Rep(in Instruction i) => i.HasRepPrefix || i.HasRepePrefix || i.HasRepnePrefix;

    private static bool Stepping(Processor p) => (p.State.Rflags & Flags.TF) != 0;

    // Under the trap flag the CPU takes the single-step trap after every iteration: the instruction ends
    // after one, with RIP back on itself while iterations remain, so the trap reports it there.
    private static bool EndIteration(Processor p, in Instruction i)
    {
        if (!Stepping(p)) return false;
        if (p.State.Gpr[CpuState.Rcx] != 0) p.State.Rip = i.IP;
        return true;
    }

    private static ulong SourceBase(Processor p, in Instruction i) => i.SegmentPrefix switch
    {
        Register.FS => p.State.FsBase,
        Register.GS => p.State.GsBase,
        _ => 0,
    };

    [Handles(Mnemonic.Movsb, Mnemonic.Movsw, Mnemonic.Movsd, Mnemonic.Movsq)]
    private static void Movs(Processor p, in Instruction i)
    {
        int n = ElementSize(i);
        ref CpuState s = ref p.State;
        long step = (s.Rflags & Flags.DF) != 0 ? -n : n;
        ulong seg = SourceBase(p, i);
        if (!Rep(i))
        {
            p.Memory.Write(s.Gpr[CpuState.Rdi], n, p.Memory.Read(seg + s.Gpr[CpuState.Rsi], n));
            s.Gpr[CpuState.Rsi] += (ulong)step; s.Gpr[CpuState.Rdi] += (ulong)step;
            return;
        }
        while (s.Gpr[CpuState.Rcx] != 0)
        {
            ulong src = seg + s.Gpr[CpuState.Rsi], dst = s.Gpr[CpuState.Rdi], count = s.Gpr[CpuState.Rcx];
            if (step > 0 && !Stepping(p) && TryBulkCopy(p, src, dst, n, count, out ulong done))
            {
                s.Gpr[CpuState.Rsi] += done * (ulong)n; s.Gpr[CpuState.Rdi] += done * (ulong)n; s.Gpr[CpuState.Rcx] -= done;
                continue;
            }
            p.Memory.Write(dst, n, p.Memory.Read(src, n));
            s.Gpr[CpuState.Rsi] += (ulong)step; s.Gpr[CpuState.Rdi] += (ulong)step; s.Gpr[CpuState.Rcx]--;
            if (EndIteration(p, i)) return;
        }
    }

    // Copies whole elements up to the next page boundary of either side, when both pages allow it and
    // the copy order cannot be observed (no forward overlap where the destination trails the source).
    private static bool TryBulkCopy(Processor p, ulong src, ulong dst, int n, ulong count, out ulong done)
    {
        done = 0;
        ulong room = Math.Min(PageMap.PageSize - (src & PageMap.PageMask), PageMap.PageSize - (dst & PageMap.PageMask));
        ulong elems = Math.Min(count, room / (ulong)n);
        if (elems < 2) return false;
        ulong bytes = elems * (ulong)n;
        if (dst > src && dst < src + bytes) return false;
        if (!p.Memory.CanAccess(src, bytes, PageFlags.Read) || !p.Memory.CanAccess(dst, bytes, PageFlags.Write)) return false;
        Buffer.MemoryCopy((void*)src, (void*)dst, bytes, bytes);
        done = elems;
        return true;
    }

    [Handles(Mnemonic.Stosb, Mnemonic.Stosw, Mnemonic.Stosd, Mnemonic.Stosq)]
    private static void Stos(Processor p, in Instruction i)
    {
        int n = ElementSize(i);
        ref CpuState s = ref p.State;
        long step = (s.Rflags & Flags.DF) != 0 ? -n : n;
        ulong v = s.Gpr[CpuState.Rax] & Flags.Mask(n);
        if (!Rep(i))
        {
            p.Memory.Write(s.Gpr[CpuState.Rdi], n, v);
            s.Gpr[CpuState.Rdi] += (ulong)step;
            return;
        }
        while (s.Gpr[CpuState.Rcx] != 0)
        {
            ulong dst = s.Gpr[CpuState.Rdi];
            ulong elems = Math.Min(s.Gpr[CpuState.Rcx], (PageMap.PageSize - (dst & PageMap.PageMask)) / (ulong)n);
            if (step > 0 && elems >= 2 && !Stepping(p) && p.Memory.CanAccess(dst, elems * (ulong)n, PageFlags.Write))
            {
                Fill(dst, n, v, elems);
                s.Gpr[CpuState.Rdi] += elems * (ulong)n; s.Gpr[CpuState.Rcx] -= elems;
                continue;
            }
            p.Memory.Write(dst, n, v);
            s.Gpr[CpuState.Rdi] += (ulong)step; s.Gpr[CpuState.Rcx]--;
            if (EndIteration(p, i)) return;
        }
    }

    // Span<T>.Fill for T wider than a byte is generic code with no ReadyToRun form (glibc's first REP STOSQ
    // JIT-compiled it at every start): the element once, then copies that double the filled part.
    private static void Fill(ulong dst, int n, ulong v, ulong elems)
    {
        if (n == 1)
        {
            new Span<byte>((void*)dst, (int)elems).Fill((byte)v);
            return;
        }
        long total = (long)elems * n;
        if (total == 0) return;
        byte* d = (byte*)dst;
        switch (n)
        {
            case 2: System.Runtime.CompilerServices.Unsafe.WriteUnaligned(d, (ushort)v); break;
            case 4: System.Runtime.CompilerServices.Unsafe.WriteUnaligned(d, (uint)v); break;
            default: System.Runtime.CompilerServices.Unsafe.WriteUnaligned(d, v); break;
        }
        for (long done = n; done < total; done *= 2) Buffer.MemoryCopy(d, d + done, total - done, Math.Min(done, total - done));
    }

    [Handles(Mnemonic.Lodsb, Mnemonic.Lodsw, Mnemonic.Lodsd, Mnemonic.Lodsq)]
    private static void Lods(Processor p, in Instruction i)
    {
        int n = ElementSize(i);
        ref CpuState s = ref p.State;
        long step = (s.Rflags & Flags.DF) != 0 ? -n : n;
        ulong seg = SourceBase(p, i);
        var reg = n switch { 1 => Register.AL, 2 => Register.AX, 4 => Register.EAX, _ => Register.RAX };
        if (!Rep(i))
        {
            Operands.SetReg(ref s, reg, p.Memory.Read(seg + s.Gpr[CpuState.Rsi], n));
            s.Gpr[CpuState.Rsi] += (ulong)step;
            return;
        }
        while (s.Gpr[CpuState.Rcx] != 0)
        {
            Operands.SetReg(ref s, reg, p.Memory.Read(seg + s.Gpr[CpuState.Rsi], n));
            s.Gpr[CpuState.Rsi] += (ulong)step; s.Gpr[CpuState.Rcx]--;
            if (EndIteration(p, i)) return;
        }
    }

    [Handles(Mnemonic.Scasb, Mnemonic.Scasw, Mnemonic.Scasd, Mnemonic.Scasq)]
    private static void Scas(Processor p, in Instruction i)
    {
        int n = ElementSize(i);
        ref CpuState s = ref p.State;
        long step = (s.Rflags & Flags.DF) != 0 ? -n : n;
        ulong a = s.Gpr[CpuState.Rax] & Flags.Mask(n);
        bool rep = Rep(i);
        while (!rep || s.Gpr[CpuState.Rcx] != 0)
        {
            ulong b = p.Memory.Read(s.Gpr[CpuState.Rdi], n);
            s.Rflags = Flags.Merge(s.Rflags, Flags.Sub(a, b, a - b, 0, n), Flags.Status);
            s.Gpr[CpuState.Rdi] += (ulong)step;
            if (!rep) return;
            s.Gpr[CpuState.Rcx]--;
            bool zf = (s.Rflags & Flags.ZF) != 0;
            if (i.HasRepePrefix ? !zf : zf) return;
            if (EndIteration(p, i)) return;
        }
    }

    [Handles(Mnemonic.Cmpsb, Mnemonic.Cmpsw, Mnemonic.Cmpsd, Mnemonic.Cmpsq)]
    private static void Cmps(Processor p, in Instruction i)
    {
        int n = ElementSize(i);
        ref CpuState s = ref p.State;
        long step = (s.Rflags & Flags.DF) != 0 ? -n : n;
        ulong seg = SourceBase(p, i);
        bool rep = Rep(i);
        while (!rep || s.Gpr[CpuState.Rcx] != 0)
        {
            ulong a = p.Memory.Read(seg + s.Gpr[CpuState.Rsi], n);
            ulong b = p.Memory.Read(s.Gpr[CpuState.Rdi], n);
            s.Rflags = Flags.Merge(s.Rflags, Flags.Sub(a, b, a - b, 0, n), Flags.Status);
            s.Gpr[CpuState.Rsi] += (ulong)step; s.Gpr[CpuState.Rdi] += (ulong)step;
            if (!rep) return;
            s.Gpr[CpuState.Rcx]--;
            bool zf = (s.Rflags & Flags.ZF) != 0;
            if (i.HasRepePrefix ? !zf : zf) return;
            if (EndIteration(p, i)) return;
        }
    }
}
