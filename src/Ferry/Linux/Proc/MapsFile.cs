using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ferry.Memory;

namespace Ferry.Linux.Proc;

/// <summary>/proc/self/maps as the guest sees it. Guest memory is identity-mapped, so the host's own
/// maps already know, for every guest address, which file backs it (offset, device, inode, name);
/// Ferry's page map knows which pages are the guest's and with what permissions. The guest's view is
/// the host's lines cut to guest pages, with the guest's permissions, and nothing of the runtime.</summary>
internal static partial class MapsFile
{
    [GeneratedRegex(@"^([0-9a-f]+)-([0-9a-f]+) \S{4} ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+) *(.*)$")]
    private static partial Regex HostLine();

    private readonly record struct HostMapping(ulong Start, ulong End, ulong Offset, string Device, string Inode, string Name);

    /// <summary>One line of the guest's maps.</summary>
    public readonly record struct Line(ulong Start, ulong End, PageFlags Flags, ulong Offset, string Device, string Inode, string Name);

    private static List<HostMapping> ReadHost()
    {
        var list = new List<HostMapping>();
        foreach (var text in File.ReadAllLines("/proc/self/maps"))
        {
            var m = HostLine().Match(text);
            if (!m.Success) continue;
            list.Add(new HostMapping(Hex(m.Groups[1].Value), Hex(m.Groups[2].Value), Hex(m.Groups[3].Value),
                m.Groups[4].Value, m.Groups[5].Value, m.Groups[6].Value));
        }
        return list;
    }

    private static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The guest's mappings, in address order.</summary>
    public static List<Line> Lines(LinuxProcess proc)
    {
        var host = ReadHost();
        var regions = proc.Memory.Regions();
        var lines = new List<Line>();
        ulong heapStart = proc.BrkStart, heapEnd = (proc.Brk + PageMap.PageMask) & ~PageMap.PageMask;
        var stack = proc.StackLayout;
        int h = 0;
        foreach (var (start, end, flags) in regions)
        {
            for (ulong a = start; a < end;)
            {
                while (h < host.Count && host[h].End <= a) h++;
                // A guest page the host does not show (cannot happen while the page map is right) ends the region.
                if (h == host.Count || host[h].Start > a) break;
                var hm = host[h];
                ulong b = Math.Min(end, hm.End);
                // The heap and the stack are their own lines even where the host merged them with neighbours.
                foreach (var cut in new[] { heapStart, heapEnd, stack?.StackLow ?? 0, stack?.StackHigh ?? 0 })
                    if (cut > a && cut < b) b = cut;
                bool anonymous = hm.Inode == "0";
                string name = hm.Name;
                if (anonymous && name.Length == 0)
                {
                    if (heapEnd > heapStart && a >= heapStart && b <= heapEnd) name = "[heap]";
                    else if (stack != null && a >= stack.StackLow && b <= stack.StackHigh) name = "[stack]";
                }
                else if (name.StartsWith('/')) name = proc.Sysroot.ToGuest(name);
                ulong offset = anonymous ? 0 : hm.Offset + (a - hm.Start);
                Add(lines, new Line(a, b, flags, offset, hm.Device, hm.Inode, name));
                a = b;
            }
        }
        return lines;
    }

    // The kernel merges neighbours with the same permissions and backing; the host may have split them
    // where only its own permissions differ.
    private static void Add(List<Line> lines, Line l)
    {
        if (lines.Count > 0)
        {
            var p = lines[^1];
            if (p.End == l.Start && p.Flags == l.Flags && p.Device == l.Device && p.Inode == l.Inode && p.Name == l.Name &&
                (p.Inode == "0" || p.Offset + (p.End - p.Start) == l.Offset))
            {
                lines[^1] = p with { End = l.End };
                return;
            }
        }
        lines.Add(l);
    }

    /// <summary>The file's text, in the kernel's format (show_map_vma).</summary>
    public static byte[] Build(LinuxProcess proc)
    {
        var sb = new StringBuilder();
        foreach (var l in Lines(proc)) sb.Append(Format(l));
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>One line as show_map_vma prints it, with its newline.</summary>
    public static string Format(Line l)
    {
        var f = l.Flags;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{l.Start:x8}-{l.End:x8} ");
        line.Append((f & PageFlags.Read) != 0 ? 'r' : '-').Append((f & PageFlags.Write) != 0 ? 'w' : '-')
            .Append((f & PageFlags.Exec) != 0 ? 'x' : '-').Append((f & PageFlags.Shared) != 0 ? 's' : 'p');
        line.Append(CultureInfo.InvariantCulture, $" {l.Offset:x8} {l.Device} {l.Inode} ");
        if (l.Name.Length > 0)
        {
            // seq_pad: names start in column 73.
            if (line.Length < 72) line.Append(' ', 72 - line.Length);
            line.Append(' ').Append(l.Name);
        }
        return line.Append('\n').ToString();
    }
}
