using System.Globalization;
using System.Text;
using Ferry.Memory;

namespace Ferry.Linux.Proc;

/// <summary>/proc/self/smaps and smaps_rollup for the guest's mappings (the lines of
/// <see cref="MapsFile"/>). The fields and their order are the host kernel's own (they vary between kernel
/// versions); the numbers are the host's for the same pages: exact where a guest mapping is a whole host
/// mapping, otherwise the host mapping's figures scaled to the guest part by resident size. Size and Rss
/// are always the guest range's own, and VmFlags carry the guest's permissions.</summary>
internal static class SmapsFile
{
    private sealed record HostEntry(ulong Start, ulong End, List<(string Key, string Value)> Fields);

    private static List<HostEntry> ReadHost()
    {
        var list = new List<HostEntry>();
        HostEntry? cur = null;
        foreach (var text in File.ReadLines("/proc/self/smaps"))
        {
            int colon = text.IndexOf(':');
            int dash = text.IndexOf('-');
            if (dash > 0 && (colon < 0 || dash < colon) && ulong.TryParse(text.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong s))
            {
                int sp = text.IndexOf(' ');
                ulong e = ulong.Parse(text.AsSpan(dash + 1, sp - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                cur = new HostEntry(s, e, new List<(string, string)>());
                list.Add(cur);
            }
            else if (cur != null && colon > 0) cur.Fields.Add((text[..colon], text[(colon + 1)..].Trim()));
        }
        return list;
    }

    private static bool IsKb(string value) => value.EndsWith(" kB", StringComparison.Ordinal);

    private static ulong Kb(string value) => ulong.Parse(value.AsSpan(0, value.Length - 3), CultureInfo.InvariantCulture);

    private const ulong PageKb = PageMap.PageSize / 1024;

    // Fields that describe the mapping rather than count pages.
    private static readonly HashSet<string> Fixed = new(StringComparer.Ordinal) { "KernelPageSize", "MMUPageSize" };

    /// <summary>The guest's mappings with their fields, values in kB where the kernel gives kB.</summary>
    private static List<(MapsFile.Line Line, List<(string Key, string Value)> Fields)> Entries(LinuxProcess proc)
    {
        var host = ReadHost();
        var result = new List<(MapsFile.Line, List<(string, string)>)>();
        int h = 0;
        foreach (var l in MapsFile.Lines(proc))
        {
            while (h < host.Count && host[h].End <= l.Start) h++;
            var he = h < host.Count && host[h].Start <= l.Start ? host[h] : null;
            ulong sizeKb = (l.End - l.Start) / 1024;
            ulong rssKb = proc.Memory.ResidentPages(l.Start, l.End) * PageMap.PageSize / 1024;
            var fields = new List<(string, string)>();
            if (he == null)
            {
                fields.Add(("Size", $"{sizeKb} kB"));
                fields.Add(("Rss", $"{rssKb} kB"));
                result.Add((l, fields));
                continue;
            }
            bool whole = he.Start == l.Start && he.End == l.End;
            ulong hostRss = he.Fields.Where(f => f.Key == "Rss" && IsKb(f.Value)).Select(f => Kb(f.Value)).FirstOrDefault();
            foreach (var (key, value) in he.Fields)
            {
                string v = value;
                if (key == "Size") v = $"{sizeKb} kB";
                else if (key == "Rss") v = $"{rssKb} kB";
                else if (key == "VmFlags") v = VmFlags(value, l.Flags);
                else if (!whole && IsKb(value) && !Fixed.Contains(key))
                    v = $"{(hostRss == 0 ? 0 : Math.Min(rssKb, Kb(value) * rssKb / hostRss / PageKb * PageKb))} kB";
                fields.Add((key, v));
            }
            result.Add((l, fields));
        }
        return result;
    }

    // The host's flags but with the guest's rd/wr/ex/sh (the host may map guest pages with other rights).
    private static string VmFlags(string host, PageFlags f)
    {
        var own = new List<string>();
        if ((f & PageFlags.Read) != 0) own.Add("rd");
        if ((f & PageFlags.Write) != 0) own.Add("wr");
        if ((f & PageFlags.Exec) != 0) own.Add("ex");
        if ((f & PageFlags.Shared) != 0) own.Add("sh");
        own.AddRange(host.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(x => x is not ("rd" or "wr" or "ex" or "sh")));
        return string.Join(' ', own) + " ";
    }

    private static void AppendField(StringBuilder sb, string key, string value)
    {
        // show_smap: the name padded to 16 columns, kB values right-aligned in 8; VmFlags as it is.
        if (key == "VmFlags") { sb.Append("VmFlags: ").Append(value).Append('\n'); return; }
        string head = key + ":";
        if (IsKb(value)) sb.Append(head.PadRight(16)).Append(Kb(value).ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append(" kB\n");
        else sb.Append(head.PadRight(16)).Append(value.PadLeft(8)).Append('\n');
    }

    /// <summary>/proc/self/smaps (fs/proc/task_mmu.c, show_smap).</summary>
    public static byte[] Build(LinuxProcess proc)
    {
        var sb = new StringBuilder();
        foreach (var (line, fields) in Entries(proc))
        {
            sb.Append(MapsFile.Format(line));
            foreach (var (k, v) in fields) AppendField(sb, k, v);
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>/proc/self/smaps_rollup (show_smaps_rollup): the sums over every guest mapping, under a
    /// header spanning them all, with Pss split by kind as the kernel does.</summary>
    public static byte[] BuildRollup(LinuxProcess proc)
    {
        var entries = Entries(proc);
        var sums = new Dictionary<string, ulong>(StringComparer.Ordinal);
        ulong pssAnon = 0, pssFile = 0, pssShmem = 0;
        foreach (var (l, fields) in entries)
        {
            foreach (var (k, v) in fields)
                if (IsKb(v) && !Fixed.Contains(k) && k != "Size") sums[k] = sums.GetValueOrDefault(k) + Kb(v);
            ulong pss = fields.Where(f => f.Key == "Pss").Select(f => Kb(f.Value)).FirstOrDefault();
            bool shmem = (l.Flags & PageFlags.Shared) != 0 && l.Inode == "0" || l.Name.StartsWith("/memfd:", StringComparison.Ordinal);
            if (shmem) pssShmem += pss;
            else if (l.Inode == "0") pssAnon += pss;
            else pssFile += pss;
        }
        var sb = new StringBuilder();
        if (entries.Count == 0) return Array.Empty<byte>();
        var rollup = new MapsFile.Line(entries[0].Line.Start, entries[^1].Line.End, 0, 0, "00:00", "0", "[rollup]");
        sb.Append(MapsFile.Format(rollup));
        // The host's rollup gives the kernel's field list; our sums fill it.
        foreach (var text in File.ReadLines("/proc/self/smaps_rollup").Skip(1))
        {
            int colon = text.IndexOf(':');
            if (colon <= 0) continue;
            string key = text[..colon];
            ulong v = key switch
            {
                "Pss_Anon" => pssAnon,
                "Pss_File" => pssFile,
                "Pss_Shmem" => pssShmem,
                _ => sums.GetValueOrDefault(key),
            };
            AppendField(sb, key, $"{v} kB");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
