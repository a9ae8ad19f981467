namespace Ferry.Memory;

/// <summary>A guest mapping of a file: where it is, which file (device and inode) and from what offset,
/// so pages past the file's end can be made to raise SIGBUS as on Linux.</summary>
public sealed record FileMapping(ulong Start, ulong Length, ulong Offset, ulong Device, ulong Inode);
