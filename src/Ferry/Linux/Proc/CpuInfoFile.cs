using System.Globalization;
using System.Text;
using Ferry.Cpu;

namespace Ferry.Linux.Proc;

/// <summary>/proc/cpuinfo for the CPU that CPUID reports: vendor, family, model and stepping from leaf 1,
/// the brand string, and the flags of exactly the feature bits CPUID sets, by Linux's names and in its
/// order (arch/x86/include/asm/cpufeatures.h: word 0 is leaf 1 EDX, 1 is 0x80000001 EDX, 4 is leaf 1 ECX,
/// 6 is 0x80000001 ECX, 9 is leaf 7 EBX).</summary>
internal static class CpuInfoFile
{
    private enum Reg { Eax, Ebx, Ecx, Edx }

    private static readonly (uint Leaf, Reg Reg, int Bit, string Name)[] Flags =
    {
        (1, Reg.Edx, 0, "fpu"), (1, Reg.Edx, 4, "tsc"), (1, Reg.Edx, 8, "cx8"), (1, Reg.Edx, 15, "cmov"),
        (1, Reg.Edx, 19, "clflush"), (1, Reg.Edx, 23, "mmx"), (1, Reg.Edx, 24, "fxsr"), (1, Reg.Edx, 25, "sse"),
        (1, Reg.Edx, 26, "sse2"),
        (0x80000001, Reg.Edx, 11, "syscall"), (0x80000001, Reg.Edx, 20, "nx"), (0x80000001, Reg.Edx, 27, "rdtscp"),
        (0x80000001, Reg.Edx, 29, "lm"),
        (1, Reg.Ecx, 0, "pni"), (1, Reg.Ecx, 1, "pclmulqdq"), (1, Reg.Ecx, 9, "ssse3"), (1, Reg.Ecx, 12, "fma"),
        (1, Reg.Ecx, 13, "cx16"), (1, Reg.Ecx, 19, "sse4_1"), (1, Reg.Ecx, 20, "sse4_2"), (1, Reg.Ecx, 22, "movbe"),
        (1, Reg.Ecx, 23, "popcnt"), (1, Reg.Ecx, 25, "aes"), (1, Reg.Ecx, 26, "xsave"), (1, Reg.Ecx, 28, "avx"),
        (1, Reg.Ecx, 29, "f16c"),
        (0x80000001, Reg.Ecx, 0, "lahf_lm"), (0x80000001, Reg.Ecx, 5, "abm"),
        (7, Reg.Ebx, 0, "fsgsbase"), (7, Reg.Ebx, 3, "bmi1"), (7, Reg.Ebx, 5, "avx2"), (7, Reg.Ebx, 8, "bmi2"), (7, Reg.Ebx, 19, "adx"),
        (7, Reg.Ebx, 29, "sha_ni"),
    };

    /// <summary>The Linux names of the features <paramref name="cpu"/> reports, in /proc/cpuinfo order.</summary>
    public static IEnumerable<string> FlagNames(CpuidModel cpu)
    {
        foreach (var (leaf, reg, bit, name) in Flags)
        {
            var (a, b, c, d) = cpu.Query(leaf, 0);
            uint v = reg switch { Reg.Eax => a, Reg.Ebx => b, Reg.Ecx => c, _ => d };
            if ((v >> bit & 1) != 0) yield return name;
        }
    }

    private static string Vendor(CpuidModel cpu)
    {
        var (_, b, c, d) = cpu.Query(0, 0);
        var bytes = new byte[12];
        BitConverter.GetBytes(b).CopyTo(bytes, 0);
        BitConverter.GetBytes(d).CopyTo(bytes, 4);
        BitConverter.GetBytes(c).CopyTo(bytes, 8);
        return Encoding.ASCII.GetString(bytes);
    }

    public static byte[] Build(CpuidModel cpu)
    {
        var (sig, _, _, _) = cpu.Query(1, 0);
        uint family = (sig >> 8) & 0xF, model = (sig >> 4) & 0xF, stepping = sig & 0xF;
        if (family == 0xF) family += (sig >> 20) & 0xFF;
        if (family >= 6) model |= ((sig >> 16) & 0xF) << 4;
        var (maxLeaf, _, _, _) = cpu.Query(0, 0);
        var (_, _, l2, _) = cpu.Query(0x80000006, 0);
        var (addr, _, _, _) = cpu.Query(0x80000008, 0);
        string flags = string.Join(' ', FlagNames(cpu));
        int n = Environment.ProcessorCount;
        var sb = new StringBuilder();
        for (int p = 0; p < n; p++)
        {
            void Row(string key, object value) => sb.Append(CultureInfo.InvariantCulture, $"{key}\t: {value}\n");
            Row("processor", p);
            Row("vendor_id", Vendor(cpu));
            Row("cpu family", family);
            Row("model\t", model);
            Row("model name", CpuidModel.Brand);
            Row("stepping", stepping);
            Row("cache size", $"{l2 >> 16} KB");
            Row("physical id", 0);
            Row("siblings", n);
            Row("core id\t", p);
            Row("cpu cores", n);
            Row("apicid\t", p);
            Row("initial apicid", p);
            Row("fpu\t", "yes");
            Row("fpu_exception", "yes");
            Row("cpuid level", maxLeaf);
            Row("wp\t", "yes");
            Row("flags\t", flags);
            sb.Append("bugs\t\t:\n"); // no bugs: the kernel prints none after the colon
            Row("clflush size", 64);
            Row("cache_alignment", 64);
            Row("address sizes", $"{addr & 0xFF} bits physical, {(addr >> 8) & 0xFF} bits virtual");
            sb.Append("power management:\n\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
