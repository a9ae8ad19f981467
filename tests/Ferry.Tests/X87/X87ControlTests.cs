using System.Buffers.Binary;
using Ferry.Cpu;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

public class X87ControlTests
{
    private static CpuState RandomState(X87Harness h, X87Values v)
    {
        var s = h.NewState(v.ControlWord());
        var vals = new Float80[v.Rng.Next(0, 9)];
        for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
        X87TestState.SetStack(ref s, v, vals);
        s.Gpr[CpuState.Rax] = v.U64();
        return s;
    }

    [Theory]
    [InlineData("fnstsw ax")]
    [InlineData("fstsw ax")]
    [InlineData("fnstsw m16")]
    [InlineData("fstsw m16")]
    [InlineData("fnstcw")]
    [InlineData("fstcw")]
    [InlineData("fldcw")]
    [InlineData("fninit")]
    [InlineData("finit")]
    [InlineData("fnclex")]
    [InlineData("fclex")]
    [InlineData("fwait")]
    [InlineData("fnop")]
    [InlineData("fneni")]
    [InlineData("feni")]
    public void Simple(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(7000 + form.Length * 13 + form[^1] + form[2]);
        for (int n = 0; n < 300; n++)
        {
            var s = RandomState(h, v);
            ushort cw = (ushort)(v.Rng.Next(0x10000) | 0x3F);
            BinaryPrimitives.WriteUInt16LittleEndian(h.Memory, cw);
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fnstsw ax": a.fnstsw(ax); break;
                    case "fstsw ax": a.fstsw(ax); break;
                    case "fnstsw m16": a.fnstsw(__word_ptr[rbx + 2]); break;
                    case "fstsw m16": a.fstsw(__word_ptr[rbx + 2]); break;
                    case "fnstcw": a.fnstcw(__word_ptr[rbx + 2]); break;
                    case "fstcw": a.fstcw(__word_ptr[rbx + 2]); break;
                    case "fldcw": a.fldcw(__word_ptr[rbx]); a.fnstcw(__word_ptr[rbx + 2]); break;
                    case "fninit": a.fninit(); break;
                    case "finit": a.finit(); break;
                    case "fnclex": a.fnclex(); break;
                    case "fclex": a.fclex(); break;
                    case "fwait": a.wait(); break;
                    case "fnop": a.fnop(); break;
                    // The 8087's and 287's FENI, FDISI and FSETPM do nothing on a 387 or later.
                    case "feni": a.db(0x9B, 0xDB, 0xE0); a.db(0x9B, 0xDB, 0xE1); a.db(0x9B, 0xDB, 0xE4); break;
                    default: a.db(0xDB, 0xE0); a.db(0xDB, 0xE1); a.db(0xDB, 0xE4); break;
                }
            });
            h.Check(form, s, code);
        }
        h.AssertAllPassed();
    }

    /// <summary>FNSTENV/FNSAVE after a random x87 instruction, so the saved opcode and data pointer
    /// are exercised. The saved instruction pointer differs by construction (the code runs at
    /// different addresses) and is not compared.</summary>
    [Theory]
    [InlineData("fnstenv", false)]
    [InlineData("fstenv", false)]
    [InlineData("fnsave", false)]
    [InlineData("fsave", false)]
    [InlineData("fnstenv", true)]
    [InlineData("fnsave", true)]
    [InlineData("fstenv", true)]
    [InlineData("fsave", true)]
    public void SaveEnvironment(string form, bool small)
    {
        using var h = new X87Harness();
        var v = new X87Values(7100 + form.Length * 13 + form[^1] + (small ? 1 : 0));
        h.IgnoreMemory.Add(small ? (256 + 6, 2) : (256 + 12, 4));
        h.NativeMayReadZero.Add(small ? (256 + 8, 2) : (256 + 16, 2));
        var before = new Action<Assembler>[]
        {
            a => a.fadd(__dword_ptr[rbx + 0x40]), a => a.fldpi(), a => a.fmul(st0, st3), a => a.fld(__qword_ptr[rbx + 0x48]),
            a => a.fistp(__dword_ptr[rbx + 0x50]), a => a.fcom(__qword_ptr[rbx + 0x48]), a => a.fxch(st0, st2), a => { },
            a => { a.fld(__dword_ptr[rbx + 0x40]); a.fsqrt(); }, a => a.fnop(), a => a.fninit(),
        };
        for (int n = 0; n < 400; n++)
        {
            var s = RandomState(h, v);
            var mem = h.Memory;
            mem[..1024].Fill(0xCC);
            BinaryPrimitives.WriteUInt32LittleEndian(mem[0x40..], v.Single());
            BinaryPrimitives.WriteUInt64LittleEndian(mem[0x48..], v.Double());
            int b = v.Rng.Next(before.Length);
            var code = X87Harness.Assemble(a =>
            {
                before[b](a);
                // The waiting forms are WAIT and then the no-wait instruction, whose prefix goes after the WAIT.
                string op = form;
                if (small && form is "fstenv" or "fsave") { a.wait(); op = "fn" + form[1..]; }
                if (small) a.db(0x66);
                switch (op)
                {
                    case "fnstenv": a.fnstenv(__[rbx + 256]); break;
                    case "fstenv": a.fstenv(__[rbx + 256]); break;
                    case "fnsave": a.fnsave(__[rbx + 256]); break;
                    default: a.fsave(__[rbx + 256]); break;
                }
            });
            h.Check($"{form} after #{b}", s, code);
        }
        h.AssertAllPassed();
    }

    /// <summary>FLDENV/FRSTOR from random images (exceptions kept masked), then everything is saved again.</summary>
    [Theory]
    [InlineData("fldenv", false)]
    [InlineData("frstor", false)]
    [InlineData("fldenv", true)]
    [InlineData("frstor", true)]
    public void LoadEnvironment(string form, bool small)
    {
        using var h = new X87Harness();
        var v = new X87Values(7200 + form.Length + (small ? 3 : 0));
        // Selectors loaded from the image are not kept (64-bit code never reads them back).
        h.IgnoreMemory.Add((256 + 16, 2));
        h.IgnoreMemory.Add((256 + 24, 2));
        for (int n = 0; n < 400; n++)
        {
            var s = RandomState(h, v);
            var mem = h.Memory;
            for (int k = 0; k < 108; k++) mem[k] = (byte)v.Rng.Next(256);
            BinaryPrimitives.WriteUInt16LittleEndian(mem, (ushort)(v.ControlWord() | (v.Rng.Next(0x10000) & 0xE080)));
            // The 16-bit layouts (66 prefix) keep each field in a word: FSW at 2, the registers from 14.
            int fsw = small ? 2 : 4, regs = small ? 14 : 28;
            BinaryPrimitives.WriteUInt16LittleEndian(mem[fsw..], (ushort)(v.Rng.Next(0x10000) & ~0x80 & 0x7FFF));
            for (int k = 0; k < 8; k++)
            {
                var x = v.Any();
                BinaryPrimitives.WriteUInt64LittleEndian(mem[(regs + 10 * k)..], x.Mantissa);
                BinaryPrimitives.WriteUInt16LittleEndian(mem[(regs + 8 + 10 * k)..], x.SignExp);
            }
            var code = X87Harness.Assemble(a =>
            {
                if (small) a.db(0x66);
                if (form == "fldenv") a.fldenv(__[rbx]); else a.frstor(__[rbx]);
                a.fnstenv(__[rbx + 256]);
            });
            h.Check(form, s, code);
        }
        h.AssertAllPassed();
    }

    [Theory]
    [InlineData("fxsave")]
    [InlineData("fxsave64")]
    [InlineData("fxrstor")]
    [InlineData("fxrstor64")]
    public void Fxsave(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(7300 + form.Length);
        // MXCSR_MASK: the emulated CPU reports its own supported bits, not the host's.
        h.IgnoreMemory.Add((512 + 28, 4));
        h.IgnoreMemory.Add((1536 + 16, 2));
        h.IgnoreMemory.Add((1536 + 24, 2));
        if (form == "fxsave") h.NativeMayReadZero.Add((512 + 12, 2));
        for (int n = 0; n < 300; n++)
        {
            var s = RandomState(h, v);
            for (int k = 0; k < 32; k++) s.Vec[(k >> 1) * 4 + (k & 1)] = v.U64();
            // MXCSR stays host-safe: the oracle returns to .NET with it still loaded.
            s.Mxcsr = 0x1F80u | (uint)v.Rng.Next(0x40);
            var mem = h.Memory;
            mem[..2048].Fill(0xCC);
            if (form.StartsWith("fxrstor"))
            {
                for (int k = 0; k < 512; k++) mem[k] = (byte)v.Rng.Next(256);
                BinaryPrimitives.WriteUInt16LittleEndian(mem, (ushort)(v.ControlWord() | (v.Rng.Next(0x10000) & 0xE080)));
                BinaryPrimitives.WriteUInt16LittleEndian(mem[2..], (ushort)(v.Rng.Next(0x10000) & ~0x8080));
                BinaryPrimitives.WriteUInt32LittleEndian(mem[24..], 0x1F80u | (uint)v.Rng.Next(0x40));
            }
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fxsave": a.fxsave(__[rbx + 512]); break;
                    case "fxsave64": a.fxsave64(__[rbx + 512]); break;
                    case "fxrstor": a.fxrstor(__[rbx]); a.fnstenv(__[rbx + 1536]); break;
                    default: a.fxrstor64(__[rbx]); a.fnstenv(__[rbx + 1536]); break;
                }
            });
            h.Check(form, s, code);
        }
        h.AssertAllPassed();
    }
}
