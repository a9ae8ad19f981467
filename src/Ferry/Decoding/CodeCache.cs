using Ferry.Cpu;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Decoding;

/// <summary>Decoded blocks by guest address, invalidated page by page when guest code changes.</summary>
public sealed class CodeCache
{
    private const int MaxInstructions = 64;
    private readonly GuestMemory _memory;
    private readonly Func<Instruction, nint> _resolve;
    private readonly nint _invalidHandler;
    private readonly Dictionary<ulong, Block> _blocks = new();
    private readonly Dictionary<ulong, List<Block>> _byPage = new();
    private readonly Lock _lock = new();
    private readonly Instruction[] _scratch = new Instruction[MaxInstructions];
    private readonly nint[] _scratchHandlers = new nint[MaxInstructions];

    /// <param name="memory">The guest memory to decode from.</param>
    /// <param name="resolve">Chooses the handler of a decoded instruction.</param>
    /// <param name="invalidHandler">The handler for bytes that do not decode (raises #UD).</param>
    public CodeCache(GuestMemory memory, Func<Instruction, nint> resolve, nint invalidHandler)
    {
        _memory = memory; _resolve = resolve; _invalidHandler = invalidHandler;
    }

    /// <summary>The block that starts at <paramref name="rip"/>, decoding it if needed.</summary>
    public Block Get(ulong rip)
    {
        lock (_lock)
        {
            if (_blocks.TryGetValue(rip, out var b)) return b;
            b = Decode(rip);
            _blocks[rip] = b;
            for (ulong p = rip >> PageMap.PageShift; p <= (b.End - 1) >> PageMap.PageShift; p++)
            {
                if (!_byPage.TryGetValue(p, out var list)) _byPage[p] = list = new List<Block>();
                list.Add(b);
                _memory.MarkCode(p << PageMap.PageShift);
            }
            return b;
        }
    }

    /// <summary>The block that starts at <paramref name="rip"/> if it is decoded already, else null (never
    /// touches guest memory, so another thread than the guest's may call it).</summary>
    public Block? Peek(ulong rip)
    {
        lock (_lock) return _blocks.TryGetValue(rip, out var b) ? b : null;
    }

    /// <summary>Raised after <see cref="Clear"/> (exec): whatever waits to be compiled from the old code can go.</summary>
    public event Action? Cleared;

    private Block Decode(ulong rip)
    {
        if (!_memory.CanExecute(rip))
            throw new MemoryFault(rip, _memory.Pages[rip >> PageMap.PageShift] != PageFlags.None, false);
        var reader = new GuestCodeReader(_memory, rip);
        var decoder = Decoder.Create(64, reader, rip, DecoderOptions.None);
        // Arrays, not List<Instruction>/List<nint>: those instantiations have no ReadyToRun form and were
        // JIT-compiled at every start. Decode runs under _lock, so one scratch pair serves every call.
        var list = _scratch;
        var handlers = _scratchHandlers;
        int count = 0;
        ulong end = rip;
        while (count < MaxInstructions)
        {
            decoder.Decode(out var ins);
            if (ins.Code == Code.INVALID)
            {
                // Bytes that run into a non-executable page fault when reached, not before.
                if (decoder.LastError == DecoderError.NoMoreBytes && count > 0) break;
                if (decoder.LastError == DecoderError.NoMoreBytes)
                    throw new MemoryFault(reader.Position, true, false);
                ins.Length = Math.Max(1, ins.Length);
                list[count] = ins;
                handlers[count++] = _invalidHandler;
                end = ins.NextIP;
                break;
            }
            list[count] = ins;
            handlers[count++] = _resolve(ins);
            end = ins.NextIP;
            if (ins.FlowControl != FlowControl.Next) break;
        }
        var instructions = new Instruction[count];
        Array.Copy(list, instructions, count);
        var resolved = new nint[count];
        Array.Copy(handlers, resolved, count);
        return new Block(rip, end, instructions, resolved);
    }

    /// <summary>Drops every block that overlaps page <paramref name="page"/>.</summary>
    public void InvalidatePage(ulong page)
    {
        lock (_lock) InvalidatePageLocked(page);
    }

    private void InvalidatePageLocked(ulong page)
    {
        if (!_byPage.Remove(page, out var list)) return;
        foreach (var b in list)
        {
            b.Valid = false;
            _blocks.Remove(b.Start);
        }
    }

    /// <summary>Drops every block that overlaps [start, start+length).</summary>
    public void InvalidateRange(ulong start, ulong length)
    {
        ulong first = start >> PageMap.PageShift, end = (start + length + PageMap.PageMask) >> PageMap.PageShift;
        lock (_lock)
        {
            if (_byPage.Count == 0) return;
            if (end - first > (ulong)_byPage.Count)
            {
                var pages = new ulong[_byPage.Count];
                int n = 0;
                foreach (var k in _byPage.Keys) if (k >= first && k < end) pages[n++] = k;
                for (int j = 0; j < n; j++) InvalidatePageLocked(pages[j]);
            }
            else
            {
                for (ulong p = first; p < end; p++) InvalidatePageLocked(p);
            }
        }
    }

    /// <summary>Forgets everything (exec).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var b in _blocks.Values) b.Valid = false;
            _blocks.Clear();
            _byPage.Clear();
        }
        Cleared?.Invoke();
    }
}
