using Ferry.Cpu;
using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Interpreter;

public sealed class OperandsTests
{
    private static readonly Register[] HighBytes = [Register.AH, Register.CH, Register.DH, Register.BH];

    /// <summary>The register tables are built from the layout of Iced's Register enum, not from Iced's own
    /// register info: every general register must read and write as Iced describes it (number, width,
    /// AH..BH as bits 8–15, 8/16-bit writes merge, 32-bit writes zero-extend).</summary>
    [Fact]
    public void GeneralRegistersReadAndWriteAsIcedDescribesThem()
    {
        const ulong before = 0x1122_3344_5566_7788, value = 0xF0E1_D2C3_B4A5_9687;
        int checkedCount = 0;
        for (int n = 0; n < 256; n++)
        {
            var r = (Register)n;
            if (!r.IsGPR()) continue;
            checkedCount++;
            int high = Array.IndexOf(HighBytes, r);
            int index = high >= 0 ? high : r.GetFullRegister() - Register.RAX;
            int size = r.GetSize(), shift = high >= 0 ? 8 : 0;
            ulong mask = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
            Assert.Equal(index, Operands.Index(r));

            var s = new CpuState();
            for (int g = 0; g < 16; g++) s.Gpr[g] = before + (ulong)g;
            Assert.Equal(((before + (ulong)index) >> shift) & mask, Operands.GetReg(ref s, r));
            Operands.SetReg(ref s, r, value);
            ulong old = before + (ulong)index;
            ulong expected = size == 4 ? value & 0xFFFF_FFFF : (old & ~(mask << shift)) | ((value & mask) << shift);
            for (int g = 0; g < 16; g++) Assert.Equal(g == index ? expected : before + (ulong)g, s.Gpr[g]);
        }
        Assert.Equal(68, checkedCount);
    }
}
