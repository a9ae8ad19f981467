using Ferry.Cpu;
using Iced.Intel;
using Xunit;
using Xunit.Abstractions;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

public class ProbeTests(ITestOutputHelper o)
{
    [Fact]
    public void ProbeYl2xp1()
    {
        using var h = new X87Harness();
        var code = X87Harness.Assemble(a => a.fyl2xp1());
        var xs = new Float80[]
        {
            new(true, 0x3FFF, 0x8000000000000000), new(true, 0x3FFE, 0x8000000000000000), new(true, 0x3FFE, 0xE666666666666666),
            new(true, 0x3FFF, 0x8000000000000001), new(true, 0x3FFE, 0xFFFFFFFFFFFFFFFF), Float80.Infinity(true), Float80.Infinity(false),
            new(false, 0x3FFF, 0x8000000000000000), new(true, 0x3FFD, 0x95F619980C4336F7), new(true, 0x3FFD, 0x95F619980C4336F8),
            new(true, 0x3FFD, 0x95F619980C4336F6), new(true, 0x3FFD, 0xA000000000000000), new(false, 0x3FFD, 0xA000000000000000),
        };
        foreach (var x in xs)
            foreach (var y in new Float80[] { new(false, 0x3FFF, 0xC000000000000000), Float80.Zero(false), Float80.Infinity(false) })
            {
                var s = h.NewState(0x037F);
                s.FpTop = 0; s.FpEmpty = 0xFC; s.Fpr[0] = x; s.Fpr[1] = y; s.Fsw = 0x4700;
                var r = s; h.Native.Run(ref r, code);
                var e = s; h.Runner.Run(ref e, code);
                o.WriteLine($"fyl2xp1 x={x} y={y}: native {r.Fpr[1]} fsw {r.Fsw:X4}   emu {e.Fpr[1]} fsw {e.Fsw:X4}");
            }
    }

    [Fact]
    public void Probe()
    {
        using var h = new X87Harness();
        var code = X87Harness.Assemble(a => a.f2xm1());
        var xs = new Float80[]
        {
            new(false, 0x3FFF, 0x8000000000000000), new(false, 0x3FFF, 0x8000000000000001), new(false, 0x3FFF, 0xC000000000000000),
            new(true, 0x3FFF, 0x8000000000000000), new(true, 0x3FFF, 0x8000000000000001), new(true, 0x3FFF, 0xFFFFFFFFFFFFFFFF),
            new(false, 0x3FFE, 0xFFFFFFFFFFFFFFFF), new(false, 0x4000, 0x8000000000000000), new(true, 0x4000, 0x8000000000000000),
            new(false, 0x0000, 0x0000000000000001), new(false, 0x0001, 0x8000000000000000), new(true, 0x0001, 0x8000000000000000),
            new(false, 0x3F00, 0x8000000000000000),
        };
        foreach (var x in xs)
            foreach (ushort cw in new ushort[] { 0x037F, 0x0F7F })
            {
                var s = h.NewState(cw);
                s.FpTop = 0; s.FpEmpty = 0xFE; s.Fpr[0] = x; s.Fsw = 0x4700;
                var r = s; h.Native.Run(ref r, code);
                var e = s; h.Runner.Run(ref e, code);
                o.WriteLine($"f2xm1 {x} cw={cw:X4}: native {r.Fpr[0]} fsw {r.Fsw:X4}   emu {e.Fpr[0]} fsw {e.Fsw:X4}");
            }
    }
}
