using System.Runtime.InteropServices;
using Ferry.MemoryModel;

namespace Ferry.Host;

/// <summary>Facts about the host that decide how Ferry runs guests: <c>ferry info</c> prints them.</summary>
public static class HostInfo
{
    private const ulong AtHwcap = 16, AtHwcap2 = 26;
    // ARM64 AT_HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h).
    private const ulong HwcapAtomics = 1 << 8, HwcapLrcpc = 1 << 15, HwcapIlrcpc = 1 << 26, HwcapUscat = 1 << 25;

    /// <summary>The host's architecture as Linux names it.</summary>
    public static string Architecture => RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        var a => a.ToString().ToLowerInvariant(),
    };

    public static int PageSize => Environment.SystemPageSize;

    /// <summary>User address-space bits, from the highest user mapping (the stack sits near the top of
    /// the address space on Linux): 47 on x86-64, 39, 47 or 48 on ARM64 kernels.</summary>
    public static int AddressBits()
    {
        ulong top = 0;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-'), space = line.IndexOf(' ');
            if (dash < 0 || space < dash) continue;
            if (ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out var end) &&
                end < 1UL << 56 && end > top)
                top = end;
        }
        return top == 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(top - 1);
    }

    /// <summary>True on an ARM64 host with the LSE atomics (CAS, CASP, LDADD...), from AT_HWCAP.</summary>
    public static bool HasArm64Lse =>
        RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 && (LibC.Getauxval(AtHwcap) & HwcapAtomics) != 0;

    /// <summary>The ARM64 features that matter for ordering, from AT_HWCAP; empty elsewhere.</summary>
    public static IReadOnlyList<string> OrderingFeatures()
    {
        if (RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.Arm64) return [];
        ulong h = LibC.Getauxval(AtHwcap);
        var list = new List<string>();
        if ((h & HwcapAtomics) != 0) list.Add("LSE (atomics)");
        if ((h & HwcapLrcpc) != 0) list.Add("LRCPC (LDAPR)");
        if ((h & HwcapIlrcpc) != 0) list.Add("LRCPC2");
        if ((h & HwcapUscat) != 0) list.Add("USCAT (unaligned single-copy atomicity)");
        return list;
    }

    /// <summary>The report <c>ferry info</c> prints, one fact a line.</summary>
    public static string Report(MemoryModelKind requested)
    {
        var probe = HostTso.ProbeThread();
        var effective = MemoryModelPolicy.Resolve(requested, probe.Available, out var error);
        var features = OrderingFeatures();
        var lines = new List<string>
        {
            $"architecture: {Architecture}",
            $"page size: {PageSize}",
            $"address-space bits: {AddressBits()}",
            $"hardware TSO: {probe.Describe()}",
        };
        if (RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64)
            lines.Add($"ordering features: {(features.Count == 0 ? "none reported" : string.Join(", ", features))}");
        lines.Add($"16-byte compare-exchange: {AtomicStubs.Cas128Kind ?? "none (CMPXCHG16B takes a process-wide lock)"}");
        lines.Add($"memory model: {requested.ToString().ToLowerInvariant()} -> {(error != null ? $"unavailable ({error})" : effective.ToString().ToLowerInvariant())}");
        return string.Join('\n', lines) + "\n";
    }
}
